"""The import contract "scenes never import each other" (pyproject.toml, checked by lint-imports) names every
module that defines a scene: a scene added without it would be free to import another."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import tomllib

import game.scenes
from game.scenes.base import BaseScene

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
CONTRACT = "Scenes never import each other"


def contract_modules() -> set[str]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if str(c["name"]).startswith(CONTRACT)]
    assert contract["type"] == "independence"
    return set(contract["modules"])


def scene_modules() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(game.scenes.__path__, prefix="game.scenes."):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseScene) and value is not BaseScene and value.__module__ == info.name:
                found.add(info.name)
    return found


def test_every_scene_module_is_in_the_independence_contract() -> None:
    scenes = scene_modules()
    assert {"game.scenes.menu", "game.scenes.level", "game.scenes.rest"} <= scenes  # the search finds scenes
    assert scenes <= contract_modules(), sorted(scenes - contract_modules())
