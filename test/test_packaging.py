"""The distribution's metadata, read from setup.py as setuptools runs it: what a package index shows."""

from __future__ import annotations

import configparser
import re
import runpy
import sys
import types
from pathlib import Path
from typing import Any, Dict

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def metadata() -> Dict[str, Any]:
    """The keyword arguments setup.py gives setuptools.setup(), read with a stand-in for setuptools (a fresh
    virtualenv of Python 3.12 or later has none)."""
    captured: Dict[str, Any] = {}
    stand_in = types.ModuleType("setuptools")
    stand_in.setup = lambda **kwargs: captured.update(kwargs)  # type: ignore[attr-defined]
    stand_in.find_packages = lambda **kwargs: ["chatwoot_client"]  # type: ignore[attr-defined]
    patch = pytest.MonkeyPatch()
    patch.setitem(sys.modules, "setuptools", stand_in)
    patch.chdir(ROOT)
    try:
        runpy.run_path(str(ROOT / "setup.py"), run_name="__main__")
    finally:
        patch.undo()
    return captured


def test_index_page_has_no_link_to_a_file_of_the_source_tree(metadata: Dict[str, Any]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/" in readme  # the README itself links, for readers of the source tree

    page = metadata["long_description"]

    assert re.findall(r"\]\((?!https?://)[^)]*\)", page) == []
    assert "**list_all_messages** (`docs/MessagesApi.md`)" in page
    assert "Changes are listed in `CHANGELOG.md`." in page
    assert "(see section *Exactly-once sends*)" in page
    assert "(https://www.chatwoot.com)" in page


def test_every_python_of_tox_is_a_classifier_and_back(metadata: Dict[str, Any]) -> None:
    tox = configparser.ConfigParser()
    tox.read(ROOT / "tox.ini")
    envs = {env.strip() for env in tox["tox"]["envlist"].split(",")}
    from_tox = {f"3.{env[3:]}" for env in envs if re.fullmatch(r"py3\d+", env)}
    classified = {
        line.rsplit(" :: ", 1)[1]
        for line in metadata["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", line)
    }

    assert from_tox == classified == {"3.9", "3.10", "3.11", "3.12", "3.13", "3.14"}
    assert metadata["python_requires"] == ">=3.9"


def test_license_is_an_spdx_expression_without_a_license_classifier(metadata: Dict[str, Any]) -> None:
    assert (metadata["license"], metadata["license_files"]) == ("MIT", ["LICENSE"])
    assert not [line for line in metadata["classifiers"] if line.startswith("License ::")]
    assert "Development Status :: 5 - Production/Stable" in metadata["classifiers"]
