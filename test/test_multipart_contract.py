"""Attachments as the SDK reads and encodes them: up to 15 files, each a path, a binary file or a (filename, data[,
mime type]) tuple, with a MIME type given or guessed, and every other body field as form text; the encoded body read
back with the standard library's email parser."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
from pathlib import Path
from typing import Any, List, Tuple

import pytest

import chatwoot_client
from chatwoot_client import _multipart


def _parts(fields: Any, files: List[Tuple[str, bytes, str]]) -> List[Tuple[str, Any, str, bytes]]:
    """(field name, filename, content type, payload) of each part of the encoded body."""
    body, content_type = _multipart.encode(fields, files)
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    return [
        (
            str(part.get_param("name", header="content-disposition")),
            part.get_filename(),
            part.get_content_type(),
            bytes(part.get_payload(decode=True)),
        )
        for part in message.iter_parts()
    ]


# -- how many, and of what kind ----------------------------------------------------------------------------------


def test_fifteen_attachments_are_read() -> None:
    files = _multipart.read_attachments([(f"f{index}.txt", b"x") for index in range(15)])

    assert [name for name, _, _ in files] == [f"f{index}.txt" for index in range(15)]


def test_sixteen_attachments_are_refused_naming_the_limit() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments([("f.txt", b"x")] * 16)

    assert str(info.value) == "attachments holds 16 files; a message takes at most 15"


@pytest.mark.parametrize("attachments", [{"a.txt": b"x"}, "a.txt", None])
def test_attachments_that_are_not_a_list_are_refused(attachments: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments(attachments)

    assert str(info.value) == f"attachments must be a list, got {type(attachments).__name__}"


def test_a_tuple_of_attachments_is_read_like_a_list() -> None:
    assert _multipart.read_attachments((("a.txt", b"x"),)) == [("a.txt", b"x", "text/plain")]


# -- each item ---------------------------------------------------------------------------------------------------


def test_path_is_read_under_its_base_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")

    assert _multipart.read_attachments([str(path), path]) == [("photo.png", b"\x89PNG", "image/png")] * 2


def test_missing_path_is_refused_naming_the_item_and_the_reason(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.txt")
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments([("a.txt", b"x"), missing])

    assert str(info.value) == f"attachments[1]: cannot read file {missing!r}: No such file or directory"


def test_binary_file_is_read_under_its_base_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"hello")
    with path.open("rb") as handle:
        assert _multipart.read_attachments([handle]) == [("notes.txt", b"hello", "text/plain")]


def test_file_object_without_a_name_is_an_attachment() -> None:
    assert _multipart.read_attachments([io.BytesIO(b"raw")]) == [("attachment", b"raw", "application/octet-stream")]


@pytest.mark.parametrize("data", [b"abc", bytearray(b"abc"), memoryview(b"abc"), io.BytesIO(b"abc")])
def test_tuple_data_may_be_bytes_like_or_a_binary_file(data: Any) -> None:
    assert _multipart.read_attachments([("a.bin", data)]) == [("a.bin", b"abc", "application/octet-stream")]


def test_text_file_in_a_tuple_is_refused() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments([("a.txt", io.StringIO("text"))])

    assert str(info.value) == "attachments[0]: the file must be opened in binary mode ('rb')"


def test_tuple_data_of_another_type_is_refused_naming_it() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments([("a.txt", "text")])

    assert str(info.value) == "attachments[0]: the data must be bytes or a binary file object, got str"


@pytest.mark.parametrize("item", [("a.txt",), ("a.txt", b"x", "text/plain", "extra"), ("", b"x"), (5, b"x")])
def test_tuple_of_the_wrong_shape_is_refused(item: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        _multipart.read_attachments([item])

    assert str(info.value) == f"attachments[0] must be (filename, bytes or file[, mime_type]), got {item!r}"


def test_item_of_another_kind_is_refused() -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=r"^attachments\[0\] must be a file path, a binary file"):
        _multipart.read_attachments([42])


# -- the MIME type -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "mime"),
    [
        (("a.pdf", b"x"), "application/pdf"),
        (("a.unknown-type", b"x"), "application/octet-stream"),
        (("a.png", b"x", "image/webp"), "image/webp"),
        (("a.png", b"x", None), "image/png"),
    ],
)
def test_mime_type_is_the_one_given_else_guessed_from_the_name(item: Any, mime: str) -> None:
    assert _multipart.read_attachments([item])[0][2] == mime


# -- encoding ----------------------------------------------------------------------------------------------------


def test_fields_are_form_text_and_files_are_attachments() -> None:
    fields = {"content": "hi", "private": True, "echo": False, "count": 3, "content_attributes": {"k": [1, "é"]}}

    parts = _parts(fields, [("a.txt", b"one", "text/plain"), ("b.bin", b"\x00\xff", "application/octet-stream")])

    assert [(name, filename) for name, filename, _, _ in parts] == [
        ("content", None),
        ("private", None),
        ("echo", None),
        ("count", None),
        ("content_attributes", None),
        ("attachments[]", "a.txt"),
        ("attachments[]", "b.bin"),
    ]
    assert [payload for *_, payload in parts[:4]] == [b"hi", b"true", b"false", b"3"]
    assert json.loads(parts[4][3]) == {"k": [1, "é"]}
    assert [(kind, payload) for _, _, kind, payload in parts[5:]] == [
        ("text/plain", b"one"),
        ("application/octet-stream", b"\x00\xff"),
    ]


def test_encoded_body_names_its_boundary_in_the_content_type() -> None:
    body, content_type = _multipart.encode({"content": "hi"}, [("a.txt", b"x", "text/plain")])

    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1]
    assert body.startswith(f"--{boundary}\r\n".encode())
    assert body.endswith(f"--{boundary}--\r\n".encode())
