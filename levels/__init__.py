"""Levels: the families of games (their file schemas and pure rules), the level files and how they load.

See levels/README.md for the level file format and :mod:`levels.families` for the families.
"""
