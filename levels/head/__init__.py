"""The head control family: steer a head cursor with yaw and pitch onto targets (``schema.py``; ``rules.py``)."""
