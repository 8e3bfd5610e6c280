"""The wheel's contents as pyproject.toml declares them: every package of ours and its data files, none forgotten."""

from __future__ import annotations

import fnmatch
import sys
from typing import Any

from setuptools import find_namespace_packages, find_packages

from tests.support.paths import REPO_ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT_PACKAGES = ("tracking", "levels", "game", "clinic", "assets")


def _setuptools_config() -> dict[str, Any]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(config["tool"]["setuptools"])


def _packages() -> set[str]:
    find = _setuptools_config()["packages"]["find"]
    finder = find_namespace_packages if find.get("namespaces", True) else find_packages  # setuptools' default
    return set(finder(where=str(REPO_ROOT), include=find["include"], exclude=find.get("exclude", ())))


def _folders_with_python(root: str) -> set[str]:
    return {
        ".".join(path.parent.relative_to(REPO_ROOT).parts)
        for path in (REPO_ROOT / root).rglob("*.py")
        if "__pycache__" not in path.parts
    }


def test_every_folder_of_python_code_is_a_package_in_the_wheel() -> None:
    packages = _packages()
    for root in ROOT_PACKAGES:
        missing = _folders_with_python(root) - packages
        assert not missing, f"{sorted(missing)}: Python code that the wheel would leave out"
    assert {"game.commands", "game.scenes", "clinic.reports", "levels.catalogue"} <= packages
    assert all(name.split(".")[0] in ROOT_PACKAGES for name in packages)  # nothing else (tests, docs, benchmarks)


def test_the_level_catalogue_and_the_assets_are_package_data() -> None:
    package_data = _setuptools_config()["package-data"]
    catalogue = sorted((REPO_ROOT / "levels" / "catalogue").glob("*.toml"))
    assert catalogue, "no level file in levels/catalogue"
    for level_file in catalogue:
        assert any(fnmatch.fnmatch(level_file.name, pattern) for pattern in package_data["levels.catalogue"])
    assets = [path for path in (REPO_ROOT / "assets").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    for asset in assets:
        relative = asset.relative_to(REPO_ROOT / "assets").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in package_data["assets"]), relative
