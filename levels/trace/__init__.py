"""The trace family: follow a guide that moves at a set speed along a line, a circle or a figure-8."""
