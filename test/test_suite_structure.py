"""The test suite's own rules, read from its source with ast: no test function is defined twice (a second
definition silently replaces the first in its module, and two files with one name make a failure ambiguous)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

TEST_DIR = Path(__file__).resolve().parent


def _test_definitions() -> Dict[str, List[str]]:
    """Test name (Class.name for methods) -> where each definition is, as file:line."""
    found: Dict[str, List[str]] = defaultdict(list)
    for path in sorted(TEST_DIR.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            scopes = [("", node)]
            if isinstance(node, ast.ClassDef):
                scopes = [(f"{node.name}.", child) for child in node.body]
            for prefix, child in scopes:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name.startswith("test"):
                    found[prefix + child.name].append(f"{path.name}:{child.lineno}")
    return found


def test_the_test_files_are_read() -> None:
    definitions = _test_definitions()

    assert "test_no_test_is_defined_twice" in definitions
    assert len(definitions) > 400


def test_no_test_is_defined_twice() -> None:
    twice = {name: places for name, places in _test_definitions().items() if len(places) > 1}

    assert twice == {}
