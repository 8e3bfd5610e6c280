"""The hold family: hold the head (or the hand) at a target posture within a tolerance (``schema.py``, ``rules.py``)."""
