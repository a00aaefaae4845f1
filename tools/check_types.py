"""Type-check what users write, the way they do: test/typing/user_script.py and every python snippet of README.md
and docs/ (extracted to a temporary folder), under mypy --strict and pyright strict.

    python tools/check_types.py [--pyright PATH]

PATH defaults to .ci/node's pyright (bash .ci/install-pyright puts it there). Both checkers see the package of
this checkout. An ignore comment that is not needed is an error in both, so the mistakes user_script.py marks
must be reported. Exits non-zero if either checker reports anything.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
USER_SCRIPT = ROOT / "test" / "typing" / "user_script.py"
PYRIGHT = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "pyright"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def snippets(folder: Path) -> List[Path]:
    """Write every ```python block of the README and docs/ pages into ``folder``, one module each."""
    written = []
    for page in PAGES:
        stem = re.sub(r"\W", "_", str(page.relative_to(ROOT).with_suffix(""))).lower()
        for number, match in enumerate(_BLOCK.finditer(page.read_text(encoding="utf-8")), 1):
            line = page.read_text(encoding="utf-8")[: match.start()].count("\n") + 2
            path = folder / f"{stem}_{number}.py"
            path.write_text(f"# {page.relative_to(ROOT)}, from line {line}\n{match.group(1)}", encoding="utf-8")
            written.append(path)
    return written


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyright", default=str(PYRIGHT), help="the pyright command (default: .ci/node's)")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        files = [USER_SCRIPT, *snippets(folder)]
        print(f"checking {USER_SCRIPT.relative_to(ROOT)} and {len(files) - 1} snippets of {len(PAGES)} pages")
        config = {
            "include": [os.path.relpath(path, folder) for path in files],  # pyright wants them relative
            "extraPaths": [str(ROOT)],
            "typeCheckingMode": "strict",
            "enableTypeIgnoreComments": False,  # pyright reads only its own ignores; mypy reads only type: ignore
            "reportUnnecessaryTypeIgnoreComment": "error",
            "pythonVersion": f"{sys.version_info[0]}.{sys.version_info[1]}",
        }
        (folder / "pyrightconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        names = [str(path) for path in files]
        mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *names], cwd=ROOT)
        pyright = subprocess.run(
            [arguments.pyright, "--project", str(folder / "pyrightconfig.json"), "--pythonpath", sys.executable],
            cwd=ROOT,
        )
    return 1 if mypy.returncode or pyright.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
