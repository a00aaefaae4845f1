"""SERVER.md section 4, multipart bodies: fields, files and their file_type, over raw HTTP."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from _mock_http import BOUNDARY, MESSAGES, WIDGET_MESSAGES, call, call_json, form_part, multipart, post_form

from chatwoot_client.testing import MockChatwootServer

END = f"--{BOUNDARY}--\r\n".encode()


def test_multipart_create_stores_attachments_served_back_byte_for_byte(server: MockChatwootServer) -> None:
    png, notes = b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"line one\r\n--not a boundary\r\n"
    fields = {"content": "files", "private": "true", "content_attributes": '{"k": "v"}'}
    body, headers = multipart(fields, [("photo.png", "image/png", png), ("notes.txt", "text/plain", notes)])
    status, message = call_json(server, "POST", MESSAGES, body=body, headers=headers)
    assert status == 200 and message["private"] is True and message["content_attributes"] == {"k": "v"}
    image, text = message["attachments"]
    assert (image["file_type"], image["extension"], image["file_size"]) == ("image", None, len(png))
    assert (text["file_type"], text["extension"], text["file_size"]) == ("file", None, len(notes))
    assert image["message_id"] == message["id"] and image["account_id"] == 1 and image["width"] is None
    for attachment, data in [(image, png), (text, notes)]:
        assert attachment["data_url"].startswith(server.url + "/")
        path = attachment["data_url"][len(server.url) :]
        assert call(server, "GET", path, token=None)[::2] == (200, data)


def test_rule_4_attachment_has_exactly_the_servers_keys(server: MockChatwootServer) -> None:
    """SERVER.md 8: an attachment's keys; thumb_url is a variant URL for images and empty otherwise."""
    body, headers = multipart({}, [("a.png", "image/png", b"x"), ("b.bin", "application/pdf", b"y")])
    _, message = call_json(server, "POST", MESSAGES, body=body, headers=headers)
    keys = {"id", "message_id", "file_type", "account_id", "extension", "data_url", "thumb_url", "file_size"}
    image, document = message["attachments"]
    assert set(image) == keys | {"width", "height"} and image["thumb_url"] not in ("", image["data_url"])
    assert document["thumb_url"] == ""


def test_rule_4_sixteen_and_more_files_are_accepted_and_all_stored(server: MockChatwootServer) -> None:
    """SERVER.md 4: the 15-file limit is a before_add callback whose error save! clears."""
    files = [(f"f{index}.txt", "text/plain", b"x") for index in range(17)]
    body, headers = multipart({"content": "many"}, files)
    status, message = call_json(server, "POST", MESSAGES, body=body, headers=headers)
    assert status == 200 and len(message["attachments"]) == 17
    assert len(server.messages(1, 17)[0]["attachments"]) == 17


@pytest.mark.parametrize(
    ("mime_type", "file_type"),
    [
        ("image/jpeg", "image"),
        ("image/png", "image"),
        ("image/gif", "image"),
        ("image/bmp", "image"),
        ("image/webp", "image"),
        ("image/svg+xml", "file"),
        ("image/tiff", "file"),
        ("video/mp4", "video"),
        ("video/ogg", "video"),
        ("video/webm", "video"),
        ("video/quicktime", "video"),
        ("video/x-msvideo", "file"),
        ("audio/mpeg", "audio"),
        ("audio/ogg", "audio"),
        ("application/x-audio/whatever", "audio"),
        ("application/pdf", "file"),
        ("text/plain", "file"),
    ],
)
def test_rule_4_file_type_comes_from_the_parts_content_type(
    server: MockChatwootServer, mime_type: str, file_type: str
) -> None:
    """SERVER.md 4: image and video only for a few exact types, audio for any type containing ``audio/``."""
    body, headers = multipart({}, [("upload", mime_type, b"data")])
    _, message = call_json(server, "POST", MESSAGES, body=body, headers=headers)
    assert message["attachments"][0]["file_type"] == file_type


def test_rule_4_bracketed_fields_nest_as_template_params(server: MockChatwootServer) -> None:
    """SERVER.md 4: ``template_params[name]`` nests; stored in additional_attributes, which REST never shows."""
    body = (
        form_part('name="template_params[name]"', b"order")
        + form_part('name="template_params[processed_params][1]"', b"x")
        + END
    )
    status, message = post_form(server, body)
    assert status == 200 and "additional_attributes" not in message


def test_rule_4_template_params_as_json_text_in_a_form_is_not_a_hash(server: MockChatwootServer) -> None:
    """SERVER.md 4: in multipart, a JSON text stays a string and fails the schema."""
    params = '{"name": "order"}'
    body = b"preamble\r\n" + form_part('name="template_params"', params.encode()) + f"--{BOUNDARY}--".encode()
    status, answer = post_form(server, body, boundary=f'"{BOUNDARY}"')
    assert (status, answer) == (422, {"error": "Validation failed: Template params must be of type hash"})
    assert server.messages(1, 17) == []


def test_rule_4_a_file_not_named_attachments_brackets_cannot_be_iterated(server: MockChatwootServer) -> None:
    """SERVER.md 4: ``attachments`` without brackets is one uploaded file, which the builder cannot iterate."""
    body = form_part('name="content"', b"hi") + form_part('name="attachments"; filename="a.txt"', b"x")
    status, answer = post_form(server, body + END)
    assert status == 422 and answer == {
        "error": "undefined method 'each' for an instance of ActionDispatch::Http::UploadedFile"
    }


def test_rule_4_a_file_under_another_name_is_ignored(server: MockChatwootServer) -> None:
    """SERVER.md 4: only ``attachments[]`` files are attached."""
    body = form_part('name="content"', b"hi") + form_part('name="photo"; filename="a.txt"', b"x")
    status, message = post_form(server, body + END)
    assert status == 200 and message["content"] == "hi" and "attachments" not in message


def test_rule_4_a_text_part_in_attachments_is_a_signed_blob_id(server: MockChatwootServer) -> None:
    """SERVER.md 4: a string attachment is a direct-upload signed blob id; the mock knows none (inferred text)."""
    status, answer = post_form(server, form_part('name="attachments[]"', b"not-a-signed-id") + END)
    assert (status, answer) == (422, {"error": "ActiveSupport::MessageVerifier::InvalidSignature"})
    assert server.messages(1, 17) == []


@pytest.mark.parametrize(
    ("part", "field", "value"),
    [
        (form_part('name="private"', b"True"), "private", True),
        (form_part('name="private"', b"off"), "private", False),
        (form_part('name="content_attributes"', b"{bad json"), "content_attributes", {}),
        (form_part('name="content_type"', b"sticker"), "content_type", "sticker"),
    ],
)
def test_rule_4_form_fields_are_read_as_leniently_as_json(
    server: MockChatwootServer, part: bytes, field: str, value: object
) -> None:
    """SERVER.md 4: form values go through the same casts as JSON ones."""
    status, message = post_form(server, part + END)
    assert status == 200 and message[field] == value


def test_rule_4_a_content_type_integer_in_a_form_is_text_and_unprocessable(server: MockChatwootServer) -> None:
    """SERVER.md 4: a form's values are strings, and "11" is not one of the enum's names or integers (inferred)."""
    status, answer = post_form(server, form_part('name="content_type"', b"11") + END)
    assert (status, answer) == (422, {"error": "'11' is not a valid content_type"})


def test_malformed_multipart_is_a_bad_request(server: MockChatwootServer) -> None:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    assert call(server, "POST", MESSAGES, body=b"no parts here", headers=headers)[0] == 400


@pytest.mark.parametrize(
    ("disposition", "stored_name"),
    [
        ('name="attachments[]"; filename="a%22b.txt"', 'a"b.txt'),
        ('name="attachments[]"; filename="say \\"hi\\".txt"', 'say "hi".txt'),
        ('name="attachments[]"; filename="C:\\dir\\a.txt"', "C:\\dir\\a.txt"),
        ('name="attachments[]"; filename="100%.txt"', "100%.txt"),
        ('name="attachments[]"; filename=plain.txt', "plain.txt"),
        ('name="attachments[]"; filename="x.txt"; filename*=UTF-8\'\'na%C3%AFve.txt', "naïve.txt"),
    ],
)
def test_multipart_file_names_are_decoded_as_rack_does(
    server: MockChatwootServer, disposition: str, stored_name: str
) -> None:
    body = form_part(disposition, b"data", "text/plain") + f"--{BOUNDARY}--\r\n".encode()
    status, message = post_form(server, body)
    assert status == 200
    assert message["attachments"][0]["data_url"].endswith("/" + quote(stored_name, safe=""))


def test_too_many_parts_are_a_bad_request(server: MockChatwootServer) -> None:
    body = form_part('name="content"', b"x") * 1001 + f"--{BOUNDARY}--".encode()
    assert post_form(server, body)[0] == 400


def test_file_without_content_type_is_a_plain_file(server: MockChatwootServer) -> None:
    body = form_part('name="attachments[]"; filename="README"', b"read me") + f"--{BOUNDARY}--\r\n".encode()
    _, message = post_form(server, body)
    assert message["attachments"][0]["file_type"] == "file"


@pytest.mark.parametrize(
    ("body", "boundary"),
    [
        (b"no parts here", BOUNDARY),
        (f"--{BOUNDARY}\r\n".encode(), BOUNDARY),
        (f"--{BOUNDARY}garbage\r\n\r\nx\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\nno colon here\r\n\r\nx\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}\r\n\r\nno headers\r\n--{BOUNDARY}--".encode(), BOUNDARY),
        (form_part("name=\"attachments[]\"; filename*=nope''x", b"x") + f"--{BOUNDARY}--".encode(), BOUNDARY),
        (form_part('name="content"', b"\xff") + f"--{BOUNDARY}--".encode(), BOUNDARY),
        (f"--{BOUNDARY}--".encode(), ""),
    ],
)
def test_malformed_multipart_bodies_are_bad_requests(server: MockChatwootServer, body: bytes, boundary: str) -> None:
    status, answer = post_form(server, body, boundary)
    assert status == 400 and answer["error"]


def test_rule_4_malformed_multipart_answers_rails_bad_request(server: MockChatwootServer) -> None:
    """SERVER.md 4: a body Rails cannot read is 400 ``{"status":400,"error":"Bad Request"}`` (inferred)."""
    assert post_form(server, b"no parts here") == (400, {"status": 400, "error": "Bad Request"})


@pytest.mark.parametrize(
    ("mime_type", "status"), [("application/x-msdownload", 422), ("application/pdf", 200), ("audio/x-any", 200)]
)
def test_rule_4_a_web_widget_inbox_refuses_other_file_types(
    server: MockChatwootServer, mime_type: str, status: int
) -> None:
    """SERVER.md 4: web-widget inboxes take media and a document list only (inferred text)."""
    body, headers = multipart({}, [("upload", mime_type, b"x")])
    answer = call_json(server, "POST", WIDGET_MESSAGES, body=body, headers=headers)
    assert answer[0] == status
    if status == 422:
        assert answer[1] == {"error": "Validation failed: Attachments file type not supported"}
        assert server.messages(1, 18) == []


def test_rule_4_a_web_widget_inbox_refuses_a_file_over_40_megabytes(server: MockChatwootServer) -> None:
    """SERVER.md 4: MAXIMUM_FILE_UPLOAD_SIZE defaults to 40 MB (inferred text)."""
    body, headers = multipart({}, [("big.png", "image/png", b"x" * (40 * 1024 * 1024 + 1))])
    answer = call_json(server, "POST", WIDGET_MESSAGES, body=body, headers=headers)
    assert answer == (422, {"error": "Validation failed: Attachments file size is too big"})


def test_rule_4_an_api_inbox_takes_any_file_type(server: MockChatwootServer) -> None:
    """SERVER.md 4: only web-widget inboxes check files."""
    body, headers = multipart({}, [("tool.exe", "application/x-msdownload", b"MZ")])
    assert call_json(server, "POST", MESSAGES, body=body, headers=headers)[0] == 200
