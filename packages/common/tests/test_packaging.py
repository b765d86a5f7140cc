"""The packaging rules of issue 14, checked on this checkout's four pyproject.toml files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ["common", "postgres", "mysql", "mariadb"]

pytestmark = pytest.mark.skipif(
    not (ROOT / "packages" / "postgres" / "pyproject.toml").is_file(),
    reason="checks the repository's four packages: only meaningful in the repository checkout",
)


def _project(name: str) -> dict:
    with open(ROOT / "packages" / name / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("name", PACKAGES)
def test_one_version_source(name):
    data = _project(name)
    assert "version" not in data["project"] and data["project"]["dynamic"] == ["version"]
    init = ROOT / "packages" / name / data["tool"]["hatch"]["version"]["path"]
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+[^"]*"$', init.read_text(), re.M)


@pytest.mark.parametrize("name", PACKAGES)
def test_metadata(name):
    project = _project(name)["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    assert project["authors"] and project["requires-python"] == ">=3.10"
    for minor in range(10, 15):
        assert f"Programming Language :: Python :: 3.{minor}" in project["classifiers"]
    assert "Typing :: Typed" in project["classifiers"]
    assert any(c.startswith("Framework :: ") for c in project["classifiers"])
    assert {"Homepage", "Source", "Changelog", "Issues"} <= set(project["urls"])
    for url in project["urls"].values():
        assert url.startswith("https://")


@pytest.mark.parametrize("name", PACKAGES)
def test_license_file_is_the_root_one(name):
    root = (ROOT / "LICENSE").read_text()
    assert "Apache License" in root and "Version 2.0, January 2004" in root
    assert (ROOT / "packages" / name / "LICENSE").read_text() == root
    sdist = _project(name)["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert "LICENSE" in sdist
