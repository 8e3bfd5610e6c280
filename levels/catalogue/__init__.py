"""The catalogue of level files shipped with the game (TOML, one a level), read by :mod:`levels.loader`."""
