"""The docs/ pages against the code: every model field and API method is documented with the right type, nothing
documented is stale, every relative link resolves, and the API page's examples run against the mock server."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple, Type

import pytest
from _constants import ACCOUNT_ID
from _constants import API_CONVERSATION_ID as CONVERSATION_ID

import chatwoot_client
from chatwoot_client import models
from chatwoot_client.api import messages_api
from chatwoot_client.api_client import Operation
from chatwoot_client.models.base import Model
from chatwoot_client.testing import MockChatwootServer

DOCS = Path(__file__).resolve().parent.parent / "docs"
API_PAGE = DOCS / "MessagesApi.md"

MODEL_CLASSES: Dict[str, Type[Model]] = {
    name: cls
    for name in models.__all__
    for cls in [getattr(models, name)]
    if inspect.isclass(cls) and issubclass(cls, Model)
}
PUBLIC_METHODS = sorted(
    name
    for name, member in inspect.getmembers(chatwoot_client.MessagesApi, inspect.isfunction)
    if not name.startswith("_")
)
OPERATIONS: Dict[str, Operation] = {
    value.name: value for value in vars(messages_api).values() if isinstance(value, Operation)
}
# Methods without an Operation of their own, and the Operation they send.
SENDS_THROUGH = {"iter_all_messages": "list_all_messages", "find_message_by_client_message_id": "list_all_messages"}
COMMON_KEYWORDS = ("async_req", "_request_timeout", "_preload_content", "_return_http_data_only")
FIDELITY_PAGE = DOCS / "mock-fidelity.md"
BACK_LINKS = ("../README.md#documentation-for-models", "../README.md#documentation-for-api-endpoints", "../README.md")

_HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
_METHOD_HEADING = re.compile(r"^# \*\*(\w+)\*\*$")
_LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)")
_DOC_PARAM = re.compile(r":param (?:[\w\[\], ]+ )?(\w+):")


# -- reading the pages ------------------------------------------------------------------------------------------


def _lines_outside_code(text: str) -> Iterator[Tuple[int, str]]:
    """(index, line) of every line that is not inside a fenced code block."""
    fenced = False
    for index, line in enumerate(text.splitlines()):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield index, line


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: formatting dropped, lower case, punctuation removed, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("*", "").replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> Set[str]:
    """Every heading anchor of a page, numbered as GitHub numbers repeated headings."""
    seen: Dict[str, int] = {}
    anchors: Set[str] = set()
    for _, line in _lines_outside_code(text):
        match = _HEADING.match(line)
        if match:
            slug = _slug(match.group(2))
            count = seen.get(slug, 0)
            anchors.add(slug if count == 0 else f"{slug}-{count}")
            seen[slug] = count + 1
    return anchors


def _links(text: str) -> List[str]:
    """The targets of every Markdown link outside code blocks."""
    return [target for _, line in _lines_outside_code(text) for target in _LINK.findall(line)]


def _section(text: str, heading: str) -> List[str]:
    """The lines under ``heading`` (outside code) up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines: List[str] = []
    inside = False
    for _, line in _lines_outside_code(text):
        match = _HEADING.match(line)
        if inside and match and len(match.group(1)) <= level:
            break
        if inside:
            lines.append(line)
        elif line.strip() == heading:
            inside = True
    assert inside, f"no heading {heading!r}"
    return lines


def _table(lines: List[str], columns: int = 4) -> Dict[str, List[str]]:
    """The first table in ``lines``: the first column without its ** ** markup -> the other cells."""
    rows: Dict[str, List[str]] = {}
    started = False
    for line in lines:
        if "|" not in line:
            if started:
                break
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if line.startswith("|"):
            cells = cells[1:]
        if len(cells) == columns + 1 and cells[-1] == "" and line.rstrip().endswith("|"):
            cells = cells[:columns]
        if not started:  # the header row
            started = True
            continue
        if set("".join(cells)) <= set("-: "):  # the separator row
            continue
        assert len(cells) == columns, f"a table row needs {columns} cells (no '|' inside a cell): {line!r}"
        rows[cells[0].strip("*`")] = cells[1:]
    return rows


def _method_sections(text: str) -> Dict[str, str]:
    """The text of each ``# **name**`` section of the API page, by method name."""
    sections: Dict[str, List[str]] = {}
    current: Optional[List[str]] = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else _METHOD_HEADING.match(line)
        if match:
            current = sections.setdefault(match.group(1), [])
        elif not fenced and (line.startswith("# ") or line.startswith("## ")):
            current = None
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


def _expected_type(type_name: str) -> str:
    """The generated docs notation of a type: a link to the model page when a model is inside it."""
    innermost = re.findall(r"\w+", type_name)[-1]
    return f"[**{type_name}**]({innermost}.md)" if innermost in MODEL_CLASSES else f"**{type_name}**"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _model_rows(name: str) -> Dict[str, List[str]]:
    return _table(_section(_read(DOCS / f"{name}.md"), "## Properties"))


def _documented_params(method_name: str) -> List[str]:
    """The arguments a method's docstring documents, apart from the keywords common to every operation."""
    doc = inspect.getdoc(getattr(chatwoot_client.MessagesApi, method_name)) or ""
    return [name for name in _DOC_PARAM.findall(doc) if name not in COMMON_KEYWORDS]


# -- model pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_model_page_exists_with_title_and_back_links(name: str) -> None:
    text = _read(DOCS / f"{name}.md")
    assert text.splitlines()[0] == f"# {name}"
    assert "## Properties" in text
    for target in BACK_LINKS:
        assert f"]({target})" in text


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_model_page_lists_every_field_with_its_type(name: str) -> None:
    rows = _model_rows(name)
    for field, type_name in MODEL_CLASSES[name].openapi_types.items():
        assert field in rows, f"{name}.md does not list {field}"
        type_cell, description, notes = rows[field]
        assert type_cell == _expected_type(type_name), f"{name}.{field}"
        assert description, f"{name}.{field} has no description"
        assert "[optional]" in notes, f"{name}.{field}: every model field is optional in the constructor"


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_model_page_lists_no_stale_field(name: str) -> None:
    stale = set(_model_rows(name)) - set(MODEL_CLASSES[name].openapi_types)
    assert not stale, f"{name}.md documents fields the model does not have: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_model_page_names_every_allowed_value(name: str) -> None:
    rows = _model_rows(name)
    for field, allowed in MODEL_CLASSES[name].allowed_values.items():
        for value in allowed:
            assert f"`{value}`" in rows[field][1], f"{name}.{field} does not name {value!r}"


@pytest.mark.parametrize("name", sorted(MODEL_CLASSES))
def test_model_page_mentions_lenient_reading_and_json_helpers(name: str) -> None:
    text = _read(DOCS / f"{name}.md")
    for word in ("to_dict()", "from_dict", "from_json", "to_json()", "unknown"):
        assert word in text, f"{name}.md does not mention {word}"


def test_every_docs_page_documents_a_real_class() -> None:
    pages = {path.stem for path in DOCS.glob("*.md")}
    assert pages - set(MODEL_CLASSES) == {"MessagesApi", "Configuration", "Modules", "CLI", FIDELITY_PAGE.stem}


def test_every_test_the_mock_fidelity_page_names_exists() -> None:
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", _read(FIDELITY_PAGE)))
    defined = set()
    for path in Path(__file__).parent.glob("test_mock_*.py"):
        defined |= set(re.findall(r"^def (test_[a-z0-9_]+)\(", _read(path), re.M))
    assert named and named <= defined, sorted(named - defined)


def test_every_mock_rule_test_is_on_the_mock_fidelity_page() -> None:
    named = set(re.findall(r"`(test_rule_[a-z0-9_]+)`", _read(FIDELITY_PAGE)))
    defined = set()
    for path in Path(__file__).parent.glob("test_mock_*.py"):
        defined |= set(re.findall(r"^def (test_rule_[a-z0-9_]+)\(", _read(path), re.M))
    assert defined <= named, sorted(defined - named)


# -- the API page -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method_name", PUBLIC_METHODS)
def test_every_public_method_is_on_the_api_page(method_name: str) -> None:
    assert re.search(rf"\b{method_name}\b", _read(API_PAGE)), f"MessagesApi.md does not mention {method_name}"


def test_every_method_heading_is_a_real_method() -> None:
    headings = list(_method_sections(_read(API_PAGE)))
    assert headings, "MessagesApi.md has no # **method** headings"
    assert set(headings) <= set(PUBLIC_METHODS)
    assert {name for name in PUBLIC_METHODS if not name.endswith("_with_http_info")} <= set(headings)


def test_method_table_matches_the_operations() -> None:
    text = _read(API_PAGE)
    rows = _table(_section(text, "# chatwoot_client.MessagesApi"), columns=3)
    names = []
    for link, (http, _) in rows.items():
        match = re.fullmatch(r"\[\*\*(\w+)\*\*\]\(MessagesApi\.md#(\w+)\)", link)
        assert match and match.group(1) == match.group(2), link
        names.append(match.group(1))
        operation = OPERATIONS[SENDS_THROUGH.get(match.group(1), match.group(1))]
        assert http.startswith(f"**{operation.method}** {operation.path}"), match.group(1)
    assert names == list(_method_sections(text))


@pytest.mark.parametrize("method_name", sorted(_method_sections(_read(API_PAGE))))
def test_method_section_has_the_generated_sections(method_name: str) -> None:
    section = _method_sections(_read(API_PAGE))[method_name]
    for heading in (
        "### Example",
        "### Parameters",
        "### Return type",
        "### Authorization",
        "### HTTP request headers",
        "### HTTP response details",
    ):
        assert f"\n{heading}\n" in section, f"{method_name} has no {heading}"
    assert "[[Back to top]](#)" in section
    for target in BACK_LINKS:
        assert f"]({target})" in section


@pytest.mark.parametrize("method_name", sorted(_method_sections(_read(API_PAGE))))
def test_method_signature_line_and_parameters_match_the_code(method_name: str) -> None:
    section = _method_sections(_read(API_PAGE))[method_name]
    signature = re.search(rf"^> (?:[\w\[\]]+ )?{method_name}\((.*)\)$", section, re.M)
    assert signature, f"{method_name} has no '> ReturnType {method_name}(...)' line"
    arguments = [part.strip() for part in signature.group(1).split(",")]
    required = [
        name
        for name, parameter in inspect.signature(getattr(chatwoot_client.MessagesApi, method_name)).parameters.items()
        if name != "self"
        and parameter.default is inspect.Parameter.empty
        and parameter.kind is not parameter.VAR_KEYWORD
    ]
    documented = _documented_params(method_name)
    keywords = [name for name in documented if name not in required]
    assert arguments == required + [f"{name}={name}" for name in keywords]
    rows = _table(section.split("### Parameters", 1)[1].splitlines())
    assert list(rows) == documented


@pytest.mark.parametrize("method_name", sorted(_method_sections(_read(API_PAGE))))
def test_method_return_type_and_authorization_match_the_code(method_name: str) -> None:
    section = _method_sections(_read(API_PAGE))[method_name]
    doc = inspect.getdoc(getattr(chatwoot_client.MessagesApi, method_name)) or ""
    returned = re.search(r":return: (.+)", doc)
    assert returned
    model = returned.group(1).split()[-1]
    return_section = section.split("### Return type", 1)[1].split("###", 1)[0]
    expected = f"[**{model}**]({model}.md)" if model in MODEL_CLASSES else model
    assert expected in return_section
    operation = OPERATIONS[SENDS_THROUGH.get(method_name, method_name)]
    auth_section = section.split("### Authorization", 1)[1].split("###", 1)[0]
    assert set(re.findall(r"\[(\w+)\]\(#\w+\)", auth_section)) == set(operation.auth)


def test_common_keywords_are_documented() -> None:
    rows = _table(_section(_read(API_PAGE), "### Keywords common to every operation"))
    assert set(rows) == set(COMMON_KEYWORDS)


# -- links ------------------------------------------------------------------------------------------------------


def _relative_links() -> Iterator[Tuple[Path, Path, str]]:
    """(page, target file, anchor) of every relative link in docs/; the target is the page itself for #anchor."""
    for page in sorted(DOCS.glob("*.md")):
        for target in _links(_read(page)):
            if re.match(r"[a-z]+:", target) or target == "#":
                continue
            path, _, anchor = target.partition("#")
            yield page, (page.parent / path).resolve() if path else page, anchor


def test_links_inside_docs_resolve() -> None:
    checked = 0
    for page, target, anchor in _relative_links():
        if target.parent != DOCS:
            continue
        assert target.is_file(), f"{page.name} links to missing {target.name}"
        if anchor:
            assert anchor in _anchors(_read(target)), f"{page.name} links to missing {target.name}#{anchor}"
        checked += 1
    assert checked


def test_links_outside_docs_resolve() -> None:
    outside = [(page, target, anchor) for page, target, anchor in _relative_links() if target.parent != DOCS]
    assert outside
    missing = sorted({target.name for _, target, _ in outside if not target.exists()})
    if missing == ["README.md"]:
        pytest.skip("the project README.md is not written yet; the docs pages link to it")
    for page, target, anchor in outside:
        assert target.exists(), f"{page.name} links to missing {target}"
        if anchor:
            assert anchor in _anchors(_read(target)), f"{page.name} links to missing {target.name}#{anchor}"


# -- the examples run -------------------------------------------------------------------------------------------


def _example(method_name: str) -> str:
    section = _method_sections(_read(API_PAGE))[method_name]
    match = re.search(r"### Example\n\n```python\n(.*?)\n```", section, re.S)
    assert match, f"{method_name} has no python example"
    return match.group(1)


def _substitute(code: str, old: str, new: str) -> str:
    assert old in code, f"the example no longer contains {old!r}"
    return code.replace(old, new)


_OPERATIONS_TAKING_A_MESSAGE_ID = {name: operation.path_params for name, operation in OPERATIONS.items()}


@pytest.mark.parametrize("method_name", sorted(_method_sections(_read(API_PAGE))))
def test_api_example_runs_against_the_mock_server(
    method_name: str, server: MockChatwootServer, capsys: pytest.CaptureFixture[str]
) -> None:
    first = server.add_message(ACCOUNT_ID, CONVERSATION_ID, "Hi there")
    code = _substitute(_example(method_name), '"https://app.chatwoot.com"', repr(server.url))
    code = _substitute(code, "'YOUR_API_ACCESS_TOKEN'", repr(server.user_token))
    if "message_id" in _OPERATIONS_TAKING_A_MESSAGE_ID.get(method_name, ()):
        code = _substitute(code, "message_id = 1042", f"message_id = {first['id']}")
    exec(compile(code, f"MessagesApi.md:{method_name}", "exec"), {"__name__": "example"})
    output = capsys.readouterr().out
    assert "Exception when calling" not in output
    stored = server.messages(ACCOUNT_ID, CONVERSATION_ID)
    if method_name == "create_a_new_message_in_a_conversation":
        assert stored[-1]["content"] == "Hello, how can I help?"
        assert [item["data_url"].rsplit(".", 1)[1] for item in stored[-1]["attachments"]] == ["txt"]
    if method_name == "delete_a_message":
        assert stored[0]["content"] == "This message was deleted"
    if method_name == "update_a_message":
        assert (stored[0]["status"], stored[0]["content_attributes"]["external_error"]) == ("failed", "Undeliverable")
        assert "failed" in output
    if method_name == "retry_a_message":
        assert (stored[0]["status"], stored[0]["content_attributes"]) == ("sent", {})
    if method_name == "iter_all_messages":
        assert f"{first['id']} Hi there" in output


def test_links_of_the_guides_resolve() -> None:
    guides = sorted((DOCS / "guides").glob("*.md"))
    assert guides
    for page in guides:
        for target in _links(_read(page)):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve()
            assert resolved.is_file(), f"{page.name} links to missing {path}"
            if anchor:
                assert anchor in _anchors(_read(resolved)), f"{page.name} links to missing {path}#{anchor}"
