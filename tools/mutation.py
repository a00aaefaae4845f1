"""Mutation testing of chatwoot_client's core modules: break one thing at a time and check that a test notices.

    python tools/mutation.py                  # every mutant of every core module (the full run)
    python tools/mutation.py --quick          # a fixed sample of about 120 mutants, for CI
    python tools/mutation.py --modules rest,exceptions --match backoff

How it works. One test run under coverage, with a context per test, tells which tests execute each line. Each
mutant is one small change to the module's syntax tree (an operator, a comparison, a constant, a condition, a
deleted statement or raise, a return value). For each mutant a forked child installs an import hook that serves the
mutated code for that module, and runs pytest (`-x`, no coverage) on just the tests that execute the mutated line;
a line that only runs at import time gets every test that touches the module, plus the tests that read declarations
(test/test_public_surface.py). The mutant is killed when pytest fails, errors, cannot import the package or runs past
the time limit, and survives when the tests pass.

Mutants are keyed by module, the stripped text of their line and the mutation (plus `#N` where the same key occurs
more than once), so the key survives edits elsewhere in the file. tools/mutation-equivalents.tsv lists the mutants
judged equivalent (no test could tell them apart from the original), one per line with its reason:

    module<TAB>line text<TAB>mutation<TAB>reason

The score of a module is killed / (mutants - equivalent). The script exits 1 when a module's score is below
--fail-under (in --quick mode: the score of the whole sample), and prints each survivor as a line ready to paste
into the equivalents file once it is judged equivalent.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "chatwoot_client"
CORE_MODULES = (
    "rest",
    "api_client",
    "api/messages_api",
    "api/__init__",
    "models/base",
    "exceptions",
    "configuration",
    "webhooks",
    "_signature",
    "_multipart",
    "cli",
)
# Measured when named (--modules): the exactly-once path, the answer deadline and the command's output.
MORE_MODULES = ("_reconcile", "_lookup", "_exactly_once", "_deadline", "_cli_output")
EQUIVALENTS = ROOT / "tools" / "mutation-equivalents.tsv"
DECLARATION_TESTS = {"test/test_public_surface.py"}  # they read __all__ and class names, not code a mutant runs
QUICK_SAMPLE = 9  # --quick keeps the mutants whose key hashes to 0 modulo this: a fixed ~11 % sample

_BINARY = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Mult,
    ast.Pow: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
}
_COMPARE = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.And: "and",
    ast.Or: "or",
}
_UNMUTATED_CALLS = {"cast", "TypeVar", "getLogger", "NewType"}  # string arguments only the type checker reads


@dataclass
class Mutant:
    module: str  # "rest", "api/messages_api"
    index: int  # position of the node in the module's deterministic walk
    operation: str  # what _apply does to that node
    description: str  # "`==` -> `!=`"
    line: int
    statement_line: int
    text: str  # the stripped source line
    key: str = ""
    status: str = "pending"  # killed, survived, timeout, uncovered, equivalent, error
    tests: List[str] = field(default_factory=list)
    seconds: float = 0.0

    def tsv(self) -> str:
        return f"{self.module}\t{self.text}\t{self.description}"


def module_path(module: str) -> Path:
    return ROOT / PACKAGE / f"{module}.py"


def module_name(module: str) -> str:
    name = f"{PACKAGE}.{module.replace('/', '.')}"
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_docstring(statement: ast.stmt, body: Sequence[ast.stmt]) -> bool:
    return (
        bool(body)
        and statement is body[0]
        and isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _walk(tree: ast.Module) -> Iterator[Tuple[int, ast.AST, Optional[ast.stmt], bool, bool]]:
    """Yield (index, node, enclosing statement, skipped, in_function) for every node, in one fixed order."""
    counter = [0]

    def visit(
        node: ast.AST, statement: Optional[ast.stmt], skipped: bool, in_function: bool
    ) -> Iterator[Tuple[int, ast.AST, Optional[ast.stmt], bool, bool]]:
        index = counter[0]
        counter[0] += 1
        if isinstance(node, ast.stmt):
            statement = node
        yield index, node, statement, skipped, in_function
        for name, value in ast.iter_fields(node):
            children = value if isinstance(value, list) else [value]
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                skip = skipped
                if name in ("annotation", "returns", "decorator_list", "format_spec", "type_comment"):
                    skip = True
                if isinstance(child, ast.stmt) and isinstance(value, list) and _is_docstring(child, value):
                    skip = True
                if _is_type_checking(child) or isinstance(child, (ast.ImportFrom, ast.Import)):
                    skip = True
                if (
                    isinstance(node, ast.Call)
                    and name == "args"
                    and isinstance(node.func, (ast.Name, ast.Attribute))
                    and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in _UNMUTATED_CALLS
                ):
                    skip = True
                function = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                yield from visit(child, statement, skip, function)

    yield from visit(tree, None, False, False)


def _operations(node: ast.AST, in_function: bool) -> List[Tuple[str, str]]:
    """The mutations that apply to one node, as (operation, description)."""
    found: List[Tuple[str, str]] = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINARY:
        old, new = type(node.op), _BINARY[type(node.op)]
        found.append(("binop", f"`{_SYMBOL[old]}` -> `{_SYMBOL[new]}`"))
    elif isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            new = _COMPARE[type(op)]
            found.append((f"compare:{position}", f"`{_SYMBOL[type(op)]}` -> `{_SYMBOL[new]}`"))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        found.append(("boolop", f"`{_SYMBOL[type(node.op)]}` -> `{_SYMBOL[new]}`"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        found.append(("unary", f"`{_short(node)}` -> `{_short(node.operand)}`"))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            found.append(("constant", f"`{value}` -> `{not value}`"))
        elif isinstance(value, (int, float)):
            found.append(("constant", f"`{value!r}` -> `{value + 1!r}`"))
        elif isinstance(value, str):
            found.append(("constant", f"`{_short(node)}` -> `{_short(ast.Constant('XX' + value + 'XX'))}`"))
        elif isinstance(value, bytes):
            found.append(("constant", f"`{_short(node)}` -> `{_short(ast.Constant(b'XX' + value + b'XX'))}`"))
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)) and not isinstance(node.test, (ast.Compare, ast.UnaryOp)):
        found.append(("negate", f"`{_short(node.test)}` -> `not ({_short(node.test)})`"))
    elif isinstance(node, ast.Return) and node.value is not None and not isinstance(node.value, ast.Constant):
        found.append(("return", f"`return {_short(node.value)}` -> `return None`"))
    elif in_function and (
        isinstance(node, ast.Raise) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call))
    ):
        found.append(("delete", f"`{_short(node)}` -> `pass`"))
    elif (
        isinstance(node, ast.Assign)
        and in_function
        and len(node.targets) == 1
        and not _is_none(node.value)
        and not isinstance(node.value, ast.Constant)
    ):
        found.append(("assign", f"`= {_short(node.value)}` -> `= None`"))
    elif isinstance(node, ast.Break):
        found.append(("loopjump", "`break` -> `continue`"))
    elif isinstance(node, ast.Continue):
        found.append(("loopjump", "`continue` -> `break`"))
    return found


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _apply(node: ast.AST, operation: str, parents: Dict[int, Tuple[ast.AST, str, Optional[int]]]) -> None:
    """Change node in place, or put another node in its place."""

    def replace(new: ast.AST) -> None:
        parent, name, position = parents[id(node)]
        if position is None:
            setattr(parent, name, ast.copy_location(new, node))
        else:
            getattr(parent, name)[position] = ast.copy_location(new, node)

    if operation == "binop":
        assert isinstance(node, (ast.BinOp, ast.AugAssign))
        node.op = _BINARY[type(node.op)]()
    elif operation.startswith("compare:"):
        assert isinstance(node, ast.Compare)
        position = int(operation.split(":")[1])
        node.ops[position] = _COMPARE[type(node.ops[position])]()
    elif operation == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif operation == "unary":
        assert isinstance(node, ast.UnaryOp)
        replace(node.operand)
    elif operation == "constant":
        assert isinstance(node, ast.Constant)
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, (int, float)):
            node.value = value + 1
        elif isinstance(value, str):
            node.value = "XX" + value + "XX"
        elif isinstance(value, bytes):
            node.value = b"XX" + value + b"XX"
    elif operation == "negate":
        assert isinstance(node, (ast.If, ast.While, ast.IfExp))
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif operation == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif operation == "delete":
        replace(ast.Pass())
    elif operation == "assign":
        assert isinstance(node, ast.Assign)
        node.value = ast.Constant(None)
    elif operation == "loopjump":
        replace(ast.Continue() if isinstance(node, ast.Break) else ast.Break())
    else:  # pragma: no cover - every operation above
        raise ValueError(operation)


def generate(module: str) -> List[Mutant]:
    """Every mutant of one module, keyed stably."""
    source = module_path(module).read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    mutants: List[Mutant] = []
    for index, node, statement, skipped, in_function in _walk(tree):
        if skipped or statement is None or not hasattr(node, "lineno"):
            continue
        line = node.lineno
        if "pragma: no cover" in lines[statement.lineno - 1]:
            continue
        for operation, description in _operations(node, in_function):
            mutants.append(
                Mutant(
                    module=module,
                    index=index,
                    operation=operation,
                    description=description,
                    line=line,
                    statement_line=statement.lineno,
                    text=lines[line - 1].strip(),
                )
            )
    seen: Dict[str, int] = {}
    for mutant in mutants:
        base = mutant.tsv()
        seen[base] = seen.get(base, 0) + 1
        mutant.key = base if seen[base] == 1 else f"{base} #{seen[base]}"
        if seen[base] > 1:
            mutant.description += f" #{seen[base]}"
    return mutants


def mutated_code(mutant: Mutant) -> object:
    """The module's code object with the one mutation applied; line numbers stay the original ones."""
    path = module_path(mutant.module)
    tree = ast.parse(path.read_text())
    parents: Dict[int, Tuple[ast.AST, str, Optional[int]]] = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, ast.AST):
                parents[id(value)] = (parent, name, None)
            elif isinstance(value, list):
                for position, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        parents[id(child)] = (parent, name, position)
    target = next(node for index, node, _s, _k, _f in _walk(tree) if index == mutant.index)
    _apply(target, mutant.operation, parents)
    ast.fix_missing_locations(tree)
    return compile(tree, str(path), "exec", dont_inherit=True)


# -- which tests run which line ---------------------------------------------------------------------------------


def coverage_map(workdir: Path) -> Dict[str, Dict[int, Set[str]]]:
    """Run the suite once under coverage with a context per test: module -> line -> test functions."""
    data_file = workdir / ".coverage"
    env = dict(os.environ, COVERAGE_FILE=str(data_file))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        f"--cov={PACKAGE}",
        "--cov-context=test",
        "--cov-report=",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-5000:])
        raise SystemExit("the test suite fails without any mutant: fix it first")
    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    found: Dict[str, Dict[int, Set[str]]] = {}
    for filename in data.measured_files():
        relative = Path(filename).resolve().relative_to(ROOT / PACKAGE).with_suffix("")
        per_line: Dict[int, Set[str]] = {}
        for line, contexts in (data.contexts_by_lineno(filename) or {}).items():
            tests = {_test_function(context) for context in contexts if context}
            per_line[line] = tests
        found[relative.as_posix()] = per_line
    return found


def _test_function(context: str) -> str:
    """test/test_rest.py::test_x[a-b]|run -> test/test_rest.py::test_x (all of its parameters run)."""
    node = context.rsplit("|", 1)[0]
    return node.split("[", 1)[0]


def select_tests(mutant: Mutant, lines: Dict[int, Set[str]]) -> Optional[List[str]]:
    """The tests that execute the mutant's statement; None when no test does."""
    tests = lines.get(mutant.statement_line, set()) | lines.get(mutant.line, set())
    if not tests and (mutant.statement_line in lines or mutant.line in lines):
        # The line runs only at import time (a constant, a default, a class body, __all__): every test of the
        # module, and the tests that read modules' declarations without running their code.
        tests = set().union(*lines.values(), DECLARATION_TESTS)
    return sorted(tests) if tests else None


# -- running the mutants --------------------------------------------------------------------------------------


class _MutantLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, code: object) -> None:
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname: str) -> object:  # type: ignore[override]
        return self._code


class _MutantFinder(importlib.abc.MetaPathFinder):
    def __init__(self, fullname: str, path: str, code: object) -> None:
        self._fullname, self._path, self._code = fullname, path, code

    def find_spec(self, fullname: str, path: object, target: object = None) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname != self._fullname:
            return None
        loader = _MutantLoader(fullname, self._path, self._code)
        spec = importlib.util.spec_from_file_location(fullname, self._path, loader=loader)
        if spec is not None and self._path.endswith("__init__.py"):
            spec.submodule_search_locations = [os.path.dirname(self._path)]
        return spec


def _child(mutant: Mutant, tests: List[str]) -> None:
    """In the forked child: import the mutated module and run the tests; never returns."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        code = mutated_code(mutant)
        sys.meta_path.insert(0, _MutantFinder(module_name(mutant.module), str(module_path(mutant.module)), code))
        import pytest

        status = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=--strict-markers", *tests])
        os._exit(int(status))
    except BaseException:  # anything a mutant breaks here is a failure of the suite
        os._exit(3)


def run_mutants(mutants: List[Mutant], jobs: int, limit: float, progress: bool) -> None:
    """Run each pending mutant in a forked child, `jobs` at a time, killing any child past `limit` seconds."""
    queue = [mutant for mutant in mutants if mutant.status == "pending"]
    running: Dict[int, Tuple[Mutant, float]] = {}
    done = 0
    while queue or running:
        while queue and len(running) < jobs:
            mutant = queue.pop(0)
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                _child(mutant, mutant.tests)
            running[pid] = (mutant, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (mutant, started) in list(running.items()):
                if now - started > limit:
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    del running[child]
                    mutant.status, mutant.seconds = "timeout", now - started
                    done += 1
            time.sleep(0.02)
            continue
        if pid not in running:
            continue
        mutant, started = running.pop(pid)
        mutant.seconds = time.monotonic() - started
        code = os.waitstatus_to_exitcode(status)
        # pytest's exit codes: 1 tests failed, 2 interrupted, 3 internal error, 4 usage error, which is also what a
        # conftest that cannot be imported gives (the mutant broke the package's import): all of them notice it.
        mutant.status = {0: "survived", 1: "killed", 2: "killed", 3: "killed", 4: "killed"}.get(code, "error")
        done += 1
        if progress:
            print(f"\r{done}/{done + len(queue) + len(running)} mutants", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)


# -- equivalents and the report -------------------------------------------------------------------------------


def read_equivalents(path: Path) -> Dict[str, str]:
    """key -> reason, from the tab-separated file; blank lines and # comments are skipped."""
    found: Dict[str, str] = {}
    if not path.exists():
        return found
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 4 or not parts[3].strip():
            raise SystemExit(f"{path}:{number}: want module<TAB>line text<TAB>mutation<TAB>reason")
        found["\t".join(parts[:3])] = parts[3].strip()
    return found


def _score(killed: int, judged: int) -> str:
    return f"{100.0 * killed / judged:5.1f}%" if judged else "    -"


def report(mutants: List[Mutant], modules: Sequence[str], stale: List[str]) -> Dict[str, float]:
    print(f"\n{'module':<20} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} {'equiv':>5} {'score':>6}")
    scores: Dict[str, float] = {}
    totals = [0, 0, 0, 0, 0]
    for module in modules:
        mine = [mutant for mutant in mutants if mutant.module == module]
        if not mine:
            continue
        killed = sum(mutant.status == "killed" for mutant in mine)
        timeout = sum(mutant.status == "timeout" for mutant in mine)
        survived = sum(mutant.status in ("survived", "uncovered", "error") for mutant in mine)
        equivalent = sum(mutant.status == "equivalent" for mutant in mine)
        judged = len(mine) - equivalent
        scores[module] = 100.0 * (killed + timeout) / judged if judged else 100.0
        for position, value in enumerate((len(mine), killed, timeout, survived, equivalent)):
            totals[position] += value
        print(
            f"{module:<20} {len(mine):>7} {killed:>6} {timeout:>7} {survived:>8} {equivalent:>5}"
            f" {_score(killed + timeout, judged):>6}"
        )
    judged = totals[0] - totals[4]
    print(
        f"{'all':<20} {totals[0]:>7} {totals[1]:>6} {totals[2]:>7} {totals[3]:>8} {totals[4]:>5}"
        f" {_score(totals[1] + totals[2], judged):>6}"
    )
    scores["all"] = 100.0 * (totals[1] + totals[2]) / judged if judged else 100.0
    survivors = [mutant for mutant in mutants if mutant.status in ("survived", "uncovered", "error")]
    if survivors:
        print(f"\nsurvivors ({len(survivors)}), as module<TAB>line text<TAB>mutation, then where and why:")
        for mutant in survivors:
            why = {"uncovered": "no test runs this line", "error": "pytest could not run"}.get(mutant.status, "")
            where = f"{PACKAGE}/{mutant.module}.py:{mutant.line}, {len(mutant.tests)} test functions"
            print(f"{mutant.key}\n    # {where}{'; ' + why if why else ''}")
    if stale:
        print(f"\nequivalents that match no mutant any more ({len(stale)}): remove them or fix their key")
        for key in stale:
            print(f"  {key}")
    return scores


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"a fixed sample: keys hashing to 0 mod {QUICK_SAMPLE}")
    parser.add_argument("--modules", help=f"comma-separated, from {', '.join(CORE_MODULES + MORE_MODULES)}")
    parser.add_argument("--match", help="only mutants whose line text contains this")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--fail-under", type=float, default=90.0, help="minimum score per module (default 90)")
    parser.add_argument("--list", action="store_true", help="list the mutants and run nothing")
    parser.add_argument("--json", type=Path, help="write every mutant and its result to this file")
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENTS)
    options = parser.parse_args(argv)

    modules = [name.strip() for name in options.modules.split(",")] if options.modules else list(CORE_MODULES)
    unknown = sorted(set(modules) - set(CORE_MODULES + MORE_MODULES))
    if unknown:
        parser.error(f"unknown modules: {', '.join(unknown)}")
    mutants = [mutant for module in modules for mutant in generate(module)]
    equivalents = read_equivalents(options.equivalents)
    all_keys = {mutant.key for mutant in mutants}
    stale = sorted(key for key in equivalents if key.split("\t", 1)[0] in modules and key not in all_keys)
    if options.quick:
        mutants = [m for m in mutants if int(hashlib.sha1(m.key.encode()).hexdigest(), 16) % QUICK_SAMPLE == 0]
    if options.match:
        mutants = [mutant for mutant in mutants if options.match in mutant.text]
    for mutant in mutants:
        if mutant.key in equivalents:
            mutant.status = "equivalent"
    if options.list:
        for mutant in mutants:
            print(f"{mutant.key}\t[{mutant.status}] {mutant.module}.py:{mutant.line}")
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        lines = coverage_map(Path(workdir))
    baseline = time.monotonic() - started
    for mutant in mutants:
        if mutant.status != "pending":
            continue
        tests = select_tests(mutant, lines.get(mutant.module, {}))
        if tests is None:
            mutant.status = "uncovered"
        else:
            mutant.tests = tests
    limit = max(30.0, 2 * baseline)
    print(f"{len(mutants)} mutants; the coverage run took {baseline:.0f} s; time limit per mutant {limit:.0f} s")
    run_mutants(mutants, options.jobs, limit, progress=sys.stderr.isatty())
    scores = report(mutants, modules, [] if options.quick or options.match else stale)
    print(f"\n{time.monotonic() - started:.0f} s in all ({options.jobs} jobs)")
    if options.json:
        options.json.write_text(json.dumps([mutant.__dict__ for mutant in mutants], indent=1))
    if options.match:
        return 0
    failing = [name for name, score in scores.items() if score < options.fail_under]
    if options.quick:
        failing = [name for name in failing if name == "all"]
    else:
        failing = [name for name in failing if name != "all"]
    if failing:
        print(f"score below {options.fail_under:g}%: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
