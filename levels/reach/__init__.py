"""The reach family: move the cursor onto a target and hold it there (``schema.py``: its level file; ``rules.py``)."""
