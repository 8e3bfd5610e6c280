"""The scene registry: builds the scene a route names. The only module that knows every scene.

Scenes return routes (:mod:`game.scenes.routes`); the game loop (:class:`game.app.App`) builds the next scene here,
so no scene module imports another.
"""

from __future__ import annotations

from game.scenes.base import GameContext, Scene
from game.scenes.calibration import CalibrationScene
from game.scenes.level import LevelScene
from game.scenes.loading import LoadingScene
from game.scenes.menu import MenuScene
from game.scenes.no_camera import NoCameraScene
from game.scenes.rest import RestScene
from game.scenes.results import ResultsScene
from game.scenes.routes import (
    Route,
    ToCalibration,
    ToLevel,
    ToLoading,
    ToMenu,
    ToNoCamera,
    ToRest,
    ToResults,
    ToTherapist,
)
from game.scenes.therapist import TherapistScene


def build_scene(context: GameContext, route: Route) -> Scene:
    """The scene ``route`` names, for the session of ``context``.

    The routes between levels (next level, the menu's choice, Stop) need the session's plan: the session's router
    (:class:`game.session_flow.SessionFlow`) takes them before they come here.
    """
    if isinstance(route, ToMenu):
        return MenuScene(context, notice=route.notice)
    if isinstance(route, ToNoCamera):
        return NoCameraScene(context, route.message)
    if isinstance(route, ToLoading):
        return LoadingScene(context, then=route.then)
    if isinstance(route, ToCalibration):
        return CalibrationScene(context, then=route.then, check_length=route.check_length)
    if isinstance(route, ToLevel):
        return LevelScene(context)
    if isinstance(route, ToResults):
        return ResultsScene(context, route.state, route.feedback, note=route.note)
    if isinstance(route, ToRest):
        return RestScene(context, sets_done=route.sets_done, sets=route.sets, rest_s=route.rest_s)
    if isinstance(route, ToTherapist):
        return TherapistScene(context, at_s=route.at_s)
    raise TypeError(f"no scene for the route {route!r}")
