"""Configuration's checks at their edges, its copies, defaults, reports and reprs, with the documented values
written out: a timeout of at most 365 days, a token of visible ASCII with single inner spaces, header values
without control characters but tab, and the message each refusal gives."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator

import pytest
import urllib3

import chatwoot_client
from chatwoot_client import configuration as configuration_module

YEAR = 86400.0 * 365


@pytest.fixture(autouse=True)
def _restore_default_configuration() -> Iterator[None]:
    yield
    chatwoot_client.Configuration.set_default(None)


# -- timeouts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [YEAR, (YEAR, YEAR), 0.001, urllib3.Timeout(connect=None, read=2.0), 7])
def test_timeout_up_to_a_year_is_kept(value: Any) -> None:
    configuration = chatwoot_client.Configuration()
    configuration.timeout = value

    assert configuration.timeout == value


@pytest.mark.parametrize("value", [YEAR + 1, (1.0, YEAR + 1), urllib3.Timeout(connect=YEAR + 1, read=1.0), False])
def test_timeout_over_a_year_is_refused_with_the_limit_named(value: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration().timeout = value

    assert str(info.value).startswith(
        "timeout must be a positive finite number of seconds (at most 31536000) or a (connect, read) pair of them, got "
    )


def test_refused_timeout_is_shown_short() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration().timeout = "x" * 500  # type: ignore[assignment]

    shown = str(info.value).split(", got ", 1)[1]
    assert len(shown) == 80 and shown.endswith("...")


def test_timeout_whose_repr_raises_is_shown_by_its_type() -> None:
    class Opaque:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    with pytest.raises(chatwoot_client.ApiValueError, match=r"got <Opaque>$"):
        chatwoot_client.Configuration().timeout = Opaque()  # type: ignore[assignment]


# -- header values and names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a\tb", "a b", "~!", "caf\u00e9"])
def test_header_value_of_text_tab_and_latin_1_is_kept(value: str) -> None:
    client = chatwoot_client.ApiClient()
    client.set_default_header("X-Trace", value)

    assert client.default_headers["X-Trace"] == value


@pytest.mark.parametrize("value", ["a\x08b", "a\x0ab", "a\x1fb", "a\x7fb"])
def test_header_value_with_a_control_character_other_than_tab_is_refused(value: str) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.ApiClient().set_default_header("X-Trace", value)

    assert str(info.value) == "header X-Trace must not contain CR or LF, NUL or other control characters"


def test_header_value_that_is_not_text_is_refused_naming_its_type() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.ApiClient().set_default_header("X-Trace", 5)  # type: ignore[arg-type]

    assert str(info.value) == "header X-Trace must be a str, got int"


def test_header_name_that_is_not_text_is_refused() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.ApiClient().set_default_header(b"X-Trace", "1")  # type: ignore[arg-type]

    assert str(info.value) == "header name b'X-Trace' is not a valid HTTP header name"


def test_header_value_outside_latin_1_is_refused_without_showing_it() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.ApiClient().set_default_header("X-Trace", "secret-\u2603")

    assert str(info.value) == "header X-Trace holds a character that cannot be sent in an HTTP header"
    assert info.value.__cause__ is None and info.value.__suppress_context__


# -- the token ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "sent"), [("abc", "abc"), ("Bearer abc", "Bearer abc"), (b"abc", "abc")])
def test_token_of_visible_ascii_is_sent_as_it_is(token: Any, sent: str) -> None:
    assert configuration_module._check_token(token) == sent


@pytest.mark.parametrize("token", ["a  b", " abc", "abc ", "", "a\tb", b"\xff", 5, None])
def test_token_with_double_or_outer_spaces_or_not_text_is_refused(token: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=r"^the access token \(api_key\['api_access_token'\]"):
        configuration_module._check_token(token)


# -- the host ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("http://a b.test", "must not contain whitespace, control characters or a backslash"),
        ("http://127.0.0.1:99999", "must be an http or https URL with a valid host and a port from 1 to 65535"),
        ("ftp://example.test", "must be an http or https URL such as https://app.chatwoot.com"),
        ("https://example.test#top", "must be an http or https URL such as https://app.chatwoot.com"),
        ("http://127.0.0.1:0", "must be a URL that every parser reads the same way, with a port from 1 to 65535"),
    ],
)
def test_host_refusal_says_what_is_wrong(host: str, problem: str) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration().host = host

    assert str(info.value) == f"host {problem}, got {host!r}"


def test_host_refusal_hides_credentials() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration().host = "ftp://user:pw-SECRET@example.test"

    assert "pw-SECRET" not in str(info.value)
    assert "'ftp://***@example.test'" in str(info.value)


def test_host_of_the_wrong_type_is_refused_naming_it() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration().host = 5  # type: ignore[assignment]

    assert str(info.value) == "host must be an http or https URL, got int"


@pytest.mark.parametrize("host", ["https://b\u00fccher.example", "https://" + "a" * 70 + ".example"])
def test_host_with_an_international_or_long_label_is_kept(host: str) -> None:
    assert chatwoot_client.Configuration(host=host + "/").host == host


# -- other settings ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 64, 1024])
def test_pool_size_from_one_to_1024_is_kept(value: int) -> None:
    assert chatwoot_client.Configuration(connection_pool_maxsize=value).connection_pool_maxsize == value


@pytest.mark.parametrize("value", [0, 1025])
def test_bad_pool_size_is_refused_with_its_message(value: int) -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration(connection_pool_maxsize=value)

    assert str(info.value) == f"connection_pool_maxsize must be an int from 1 to 1024, got {value}"


def test_bad_retries_are_refused_with_their_message() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration(retries=-1)

    assert str(info.value) == "retries must be None, a non-negative int, False or a urllib3 Retry, got -1"


def test_debug_off_sets_the_package_logger_back_to_warning() -> None:
    configuration = chatwoot_client.Configuration()
    logger = logging.getLogger("chatwoot_client")
    try:
        configuration.debug = 1  # type: ignore[assignment]
        assert (configuration.debug, logger.level) == (True, logging.DEBUG)
    finally:
        configuration.debug = False
    assert (configuration.debug, logger.level) == (False, logging.WARNING)


def test_logger_file_writes_in_logger_format(tmp_path: Path) -> None:
    configuration = chatwoot_client.Configuration()
    configuration.logger_format = "LINE %(levelname)s %(message)s"
    try:
        configuration.logger_file = str(tmp_path / "sdk.log")
        logging.getLogger("chatwoot_client.rest").warning("hello")
    finally:
        configuration.logger_file = None
    assert (tmp_path / "sdk.log").read_text() == "LINE WARNING hello\n"


def test_logger_file_moved_to_another_file_stops_writing_the_first(tmp_path: Path) -> None:
    configuration = chatwoot_client.Configuration()
    try:
        configuration.logger_file = str(tmp_path / "first.log")
        configuration.logger_file = str(tmp_path / "second.log")
        logging.getLogger("chatwoot_client.rest").warning("where")
    finally:
        configuration.logger_file = None
    assert (tmp_path / "first.log").read_text() == ""
    assert "where" in (tmp_path / "second.log").read_text()


# -- authentication ----------------------------------------------------------------------------------------------


def test_auth_settings_give_both_schemes_in_the_header() -> None:
    configuration = chatwoot_client.Configuration(
        api_key={"api_access_token": "abc"}, api_key_prefix={"api_access_token": "Bearer"}
    )

    settings = configuration.auth_settings()

    expected = {"type": "api_key", "in": "header", "key": "api_access_token", "value": "Bearer abc"}
    assert settings == {"userApiKey": expected, "agentBotApiKey": expected}
    assert settings["userApiKey"] is not settings["agentBotApiKey"]


def test_key_without_a_prefix_is_the_key_alone() -> None:
    configuration = chatwoot_client.Configuration(api_key={"api_access_token": "abc"}, api_key_prefix={"x": "y"})

    assert configuration.get_api_key_with_prefix("api_access_token") == "abc"
    assert configuration.get_api_key_with_prefix("other") is None


# -- construction, copies and reports ----------------------------------------------------------------------------


def test_from_env_without_a_token_sets_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", "https://chat.example.test")
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", "")

    configuration = chatwoot_client.Configuration.from_env()

    assert (configuration.host, configuration.api_key) == ("https://chat.example.test", {})


def test_copy_shares_no_dict_and_no_log_file(tmp_path: Path) -> None:
    original = chatwoot_client.Configuration(
        api_key={"api_access_token": "a"}, api_key_prefix={"api_access_token": "P"}
    )
    original.proxy_headers = {"Proxy-Authorization": "x"}
    try:
        original.logger_file = str(tmp_path / "sdk.log")
        duplicate = original.copy()
    finally:
        original.logger_file = None

    duplicate.api_key["api_access_token"] = "b"
    duplicate.api_key_prefix["api_access_token"] = "Q"
    assert duplicate.proxy_headers is not None
    duplicate.proxy_headers["Proxy-Authorization"] = "y"
    assert (original.api_key, original.api_key_prefix) == ({"api_access_token": "a"}, {"api_access_token": "P"})
    assert original.proxy_headers == {"Proxy-Authorization": "x"}
    assert duplicate.logger_file is None


def test_copy_without_proxy_headers_keeps_none() -> None:
    assert chatwoot_client.Configuration().copy().proxy_headers is None


def test_set_default_none_goes_back_to_a_new_configuration() -> None:
    chatwoot_client.Configuration.set_default(chatwoot_client.Configuration(host="https://chat.example.test"))
    chatwoot_client.Configuration.set_default(None)

    assert chatwoot_client.Configuration.get_default_copy().host == "https://app.chatwoot.com"


def test_debug_report_lists_versions_host_and_whether_a_token_is_set() -> None:
    configuration = chatwoot_client.Configuration(
        host="https://user:pw@chat.example.test", api_key={"api_access_token": "tok-REPORT"}
    )

    lines = configuration.to_debug_report().split("\n")

    assert lines[0] == "Python SDK Debug Report:"
    assert lines[3:5] == ["Version of the API: 1.0.0", f"SDK Package Version: {chatwoot_client.__version__}"]
    assert lines[6:] == ["Host: https://***@chat.example.test", "Access token set: yes"]
    assert chatwoot_client.Configuration().to_debug_report().endswith("Access token set: no")


def test_repr_shows_settings_but_no_secret() -> None:
    configuration = chatwoot_client.Configuration(
        host="https://chat.example.test", api_key={"api_access_token": "tok-REPR"}, proxy="http://u:p@127.0.0.1:3128"
    )

    assert repr(configuration) == (
        "Configuration(host='https://chat.example.test', api_key={'api_access_token': '***'}, api_key_prefix={}, "
        "retries=None, timeout=(10.0, 30.0), verify_ssl=True, proxy='http://***@127.0.0.1:3128', "
        "connection_pool_maxsize=16)"
    )
