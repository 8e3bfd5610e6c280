"""The wheel's contents as pyproject.toml declares them: every package of ours and its data files, none forgotten."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path
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


def _is_package_data(path: Path, package_data: dict[str, list[str]]) -> bool:
    """Whether a package-data pattern of ``path``'s package, or of a package above it, matches ``path``."""
    relative = path.relative_to(REPO_ROOT)
    for depth in range(len(relative.parts) - 1, 0, -1):
        package = ".".join(relative.parts[:depth])
        inside = Path(*relative.parts[depth:]).as_posix()
        if any(fnmatch.fnmatch(inside, pattern) for pattern in package_data.get(package, ())):
            return True
    return False


def test_every_data_file_of_a_package_is_in_the_wheel() -> None:
    """The level catalogue, the assets, alembic's template: every file of a package that is not Python code (nor a
    README for developers) is declared package data."""
    package_data = _setuptools_config()["package-data"]
    data_files = [
        path
        for root in ROOT_PACKAGES
        for path in (REPO_ROOT / root).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py" and path.name != "README.md"
    ]
    assert any(path.match("levels/catalogue/*.toml") for path in data_files), "no level file in levels/catalogue"
    missing = [str(path.relative_to(REPO_ROOT)) for path in data_files if not _is_package_data(path, package_data)]
    assert missing == [], f"{missing}: not declared in [tool.setuptools.package-data]"
