"""The therapist's live view of a supervised session (``motorplay play --live-view``).

:mod:`clinic.live_view.publisher` takes the game's events without ever blocking it; :mod:`clinic.live_view.server`
serves them (Starlette on uvicorn, server-sent events) to a page behind a random token, from a background thread.
No pygame here: the game's side is :mod:`game.live_view`.
"""
