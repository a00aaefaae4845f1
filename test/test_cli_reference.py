"""docs/CLI.md and README's command line against the command's parser: every command and option is documented with
its value, whether it is required and its help, nothing documented is stale, and each README synopsis line is a
command line the parser accepts."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from chatwoot_client import cli

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")

_SECTION = re.compile(r"^## `(chatwoot-client[a-z -]*)`$", re.M)
_ROW = re.compile(r"^\| `(--[a-z-]+)(?: ([^`]+))?`( \(required\))? \| (.+) \|$")
_SERVER_OPTIONS = re.compile(r"The server options \(([^)]+)\)")
# README placeholders, and a value each that the parser accepts
_PLACEHOLDERS = {"A": "1", "C": "17", "M": "5", "ID": "5", "N": "0", "SECONDS": "2.5", "PORT": "0"}

Row = Tuple[str, str, bool, str]  # option, its value ("" for a flag), required, help


def _parsers() -> Dict[str, argparse.ArgumentParser]:
    """prog -> parser, for the command and each of its subcommands."""
    found: Dict[str, argparse.ArgumentParser] = {}
    pending = [cli._build_parser()]
    while pending:  # bounded: each parser is visited once, and the tree is finite
        parser = pending.pop()
        found[parser.prog] = parser
        pending.extend(choice for action in _subcommands(parser) for choice in action.choices.values())
    return found


def _subcommands(parser: argparse.ArgumentParser) -> List[argparse._SubParsersAction]:  # type: ignore[type-arg]
    return [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]


def _summaries(parsers: Dict[str, argparse.ArgumentParser]) -> Dict[str, Optional[str]]:
    """prog -> the line that says what the command does: its description, else its help in its parent's list."""
    summaries: Dict[str, Optional[str]] = {}
    for prog, parser in parsers.items():
        summaries.setdefault(prog, parser.description)
        for action in _subcommands(parser):
            for choice in action._choices_actions:
                child = action.choices[choice.dest]
                summaries[child.prog] = child.description or choice.help
    return summaries


def _declared(parser: argparse.ArgumentParser) -> List[Row]:
    rows = []
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        if action.nargs == 0:
            value = ""
        elif action.metavar is not None:
            value = str(action.metavar)
        elif action.choices is not None:
            value = "{" + ",".join(str(choice) for choice in action.choices) + "}"
        else:
            value = action.dest.upper()
        rows.append((action.option_strings[0], value, bool(action.required), str(action.help)))
    return rows


def _sections() -> Dict[str, str]:
    """prog -> the text of its ``## `prog` `` section of docs/CLI.md."""
    matches = list(_SECTION.finditer(PAGE))
    ends = [match.start() for match in matches[1:]] + [PAGE.index("[[Back to README]]")]
    return {match.group(1): PAGE[match.end() : end] for match, end in zip(matches, ends)}


def _documented(section: str) -> List[Row]:
    rows = []
    for line in section.splitlines():
        row = _ROW.match(line)
        if row:
            rows.append((row.group(1), row.group(2) or "", bool(row.group(3)), row.group(4)))
    return rows


def _paragraphs(section: str) -> List[str]:
    return [" ".join(block.split()) for block in section.split("\n\n") if block.strip()]


PROGS = sorted(_parsers())  # the tests parse again: what they check must run inside them
SECTIONS = _sections()
SERVER_OPTIONS = re.findall(r"`(--[a-z-]+)`", _SERVER_OPTIONS.search(PAGE).group(1))  # type: ignore[union-attr]


def test_the_page_has_a_section_for_each_command_and_no_other() -> None:
    assert sorted(SECTIONS) == sorted(_parsers())


@pytest.mark.parametrize("prog", PROGS)
def test_a_commands_section_opens_with_what_it_does(prog: str) -> None:
    assert _paragraphs(SECTIONS[prog])[0] == _summaries(_parsers())[prog]


@pytest.mark.parametrize("prog", PROGS)
def test_a_commands_section_lists_its_options_as_the_parser_declares_them(prog: str) -> None:
    declared = _declared(_parsers()[prog])
    if prog.startswith("chatwoot-client messages "):  # the server options are documented once, at the top
        assert [row[0] for row in declared[: len(SERVER_OPTIONS)]] == SERVER_OPTIONS
        declared = declared[len(SERVER_OPTIONS) :]
    assert _documented(SECTIONS[prog]) == declared


def test_the_server_options_are_the_top_commands_options_a_messages_command_takes_too() -> None:
    parsers = _parsers()
    top = [row for row in _declared(parsers["chatwoot-client"]) if row[0] != "--version"]
    assert [row[0] for row in top] == SERVER_OPTIONS
    for prog, parser in parsers.items():
        if prog.startswith("chatwoot-client messages "):
            assert _declared(parser)[: len(top)] == [(option, value, False, text) for option, value, _, text in top]


@pytest.mark.parametrize("prog", sorted(prog for prog, parser in _parsers().items() if _subcommands(parser)))
def test_a_commands_section_names_its_subcommands(prog: str) -> None:
    (action,) = _subcommands(_parsers()[prog])
    names = ", ".join(f"`{name}`" for name in action.choices)
    assert any(
        paragraph.startswith(f"`{action.metavar}` is one of {names}.") for paragraph in _paragraphs(SECTIONS[prog])
    )


def test_the_exit_statuses_of_the_help_are_those_of_the_page() -> None:
    statuses, reference = (cli._build_parser().epilog or "").split(". ", 1)
    assert statuses.replace("Exit status:", "**Exit status:**") + " (Ctrl-C)." in " ".join(PAGE.split())
    assert reference == "The command line's reference: docs/CLI.md."


def _readme_synopsis() -> List[str]:
    section = README.split("## Command line\n", 1)[1]
    block = section.split("```text\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


def _parse(line: str) -> argparse.Namespace:
    """A README synopsis line with its brackets and ellipses dropped and a value for each placeholder, parsed."""
    words = [word.strip("[]") for word in shlex.split(line)[1:]]
    words = [word[: -len("...")] if word.endswith("...") else word for word in words]
    return cli._build_parser().parse_args(
        [_PLACEHOLDERS.get(word, "x" if word.isupper() else word) for word in words if word]
    )


@pytest.mark.parametrize("line", _readme_synopsis())
def test_each_readme_synopsis_line_is_a_command_the_parser_accepts(line: str) -> None:
    parsed = _parse(line)
    assert callable(getattr(parsed, "handler", parsed.version))


def test_the_readme_synopsis_shows_every_command() -> None:
    shown = {getattr(parsed, "handler", parsed.version) for parsed in map(_parse, _readme_synopsis())}
    commands = {parser.get_default("handler") for parser in _parsers().values() if not _subcommands(parser)}
    assert commands | {cli._version} == shown
