"""The breathe family: a paced breathing guide with stillness biofeedback (``schema.py``, ``rules.py``, ``rate.py``)."""
