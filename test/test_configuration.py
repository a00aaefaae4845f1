"""Configuration and ApiClient settings: defaults, validation at configuration time, copies and the environment."""

from __future__ import annotations

import ssl
from typing import Any, Dict, Iterator

import certifi
import pytest
import urllib3

import chatwoot_client
from chatwoot_client import rest


@pytest.fixture(autouse=True)
def _restore_default_configuration() -> Iterator[None]:
    yield
    chatwoot_client.Configuration.set_default(None)


def test_defaults() -> None:
    configuration = chatwoot_client.Configuration()

    assert configuration.host == "https://app.chatwoot.com"
    assert configuration.retries is None
    assert configuration.timeout == (10.0, 30.0)
    assert configuration.verify_ssl is True
    assert configuration.auth_settings() == {}


@pytest.mark.parametrize("value", [-1, "3", 1.5, True, [3]])
def test_bad_retries_raise_value_error_naming_the_setting(value: Any) -> None:
    with pytest.raises(ValueError, match="retries"):
        chatwoot_client.Configuration().retries = value


@pytest.mark.parametrize("value", [None, 0, False, 5, urllib3.util.Retry(total=2)])
def test_valid_retries_are_kept(value: Any) -> None:
    configuration = chatwoot_client.Configuration()
    configuration.retries = value

    assert configuration.retries is value


@pytest.mark.parametrize("value", [None, 0, -2, "10", (1,), (1, None), (-1, 5), float("nan"), True])
def test_bad_timeout_raises_value_error_naming_the_setting(value: Any) -> None:
    with pytest.raises(ValueError, match="timeout"):
        chatwoot_client.Configuration().timeout = value


@pytest.mark.parametrize("value", [3, 2.5, (1, 20), urllib3.Timeout(connect=1, read=2)])
def test_valid_timeouts_are_kept(value: Any) -> None:
    configuration = chatwoot_client.Configuration()
    configuration.timeout = value

    assert configuration.timeout == value


@pytest.mark.parametrize("host", ["ftp://example.com", "example.com", "https://", "https://x.test/?a=1", 5])
def test_bad_host_raises_value_error(host: Any) -> None:
    with pytest.raises(ValueError, match="host"):
        chatwoot_client.Configuration(host=host)


def test_host_trailing_slash_is_dropped() -> None:
    assert chatwoot_client.Configuration(host="https://chat.example.com/").host == "https://chat.example.com"


@pytest.mark.parametrize("value", [0, -1, True, "8", 1025, 10**9])
def test_bad_pool_size_raises_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match="connection_pool_maxsize"):
        chatwoot_client.Configuration().connection_pool_maxsize = value


def test_api_key_prefix_is_sent_before_the_key() -> None:
    configuration = chatwoot_client.Configuration(
        api_key={"api_access_token": "abc"}, api_key_prefix={"api_access_token": "Bearer"}
    )

    assert configuration.auth_settings()["userApiKey"] == {
        "type": "api_key",
        "in": "header",
        "key": "api_access_token",
        "value": "Bearer abc",
    }
    assert configuration.auth_settings()["agentBotApiKey"]["value"] == "Bearer abc"


def test_refresh_api_key_hook_runs_before_each_use() -> None:
    configuration = chatwoot_client.Configuration()
    tokens = iter(["first", "second"])

    def refresh(config: chatwoot_client.Configuration) -> None:
        config.api_key["api_access_token"] = next(tokens)

    configuration.refresh_api_key_hook = refresh

    assert configuration.get_api_key_with_prefix("api_access_token") == "first"
    assert configuration.get_api_key_with_prefix("api_access_token") == "second"


def test_from_env_reads_host_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATWOOT_BASE_URL", "https://chat.example.com")
    monkeypatch.setenv("CHATWOOT_API_ACCESS_TOKEN", "tok-env")

    configuration = chatwoot_client.Configuration.from_env()

    assert (configuration.host, configuration.api_key) == ("https://chat.example.com", {"api_access_token": "tok-env"})


def test_from_env_without_variables_uses_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATWOOT_BASE_URL", raising=False)
    monkeypatch.delenv("CHATWOOT_API_ACCESS_TOKEN", raising=False)

    configuration = chatwoot_client.Configuration.from_env()

    assert (configuration.host, configuration.api_key) == ("https://app.chatwoot.com", {})


def test_set_default_is_copied_into_new_clients() -> None:
    default = chatwoot_client.Configuration(host="https://chat.example.com", api_key={"api_access_token": "t"})
    chatwoot_client.Configuration.set_default(default)
    default.api_key["api_access_token"] = "changed later"

    client = chatwoot_client.ApiClient()

    assert client.configuration.host == "https://chat.example.com"
    assert client.configuration.api_key == {"api_access_token": "t"}
    assert chatwoot_client.Configuration.get_default_copy() is not chatwoot_client.Configuration.get_default_copy()


def test_tls_is_verified_with_certifi_by_default() -> None:
    pool_settings = chatwoot_client.ApiClient().rest_client.pool_manager.connection_pool_kw

    assert pool_settings["cert_reqs"] == ssl.CERT_REQUIRED
    assert pool_settings["ca_certs"] == certifi.where()


def test_tls_settings_reach_the_pool(tmp_path: Any) -> None:
    configuration = chatwoot_client.Configuration(ssl_ca_cert=str(tmp_path / "ca.pem"))
    configuration.cert_file, configuration.key_file = "client.pem", "client.key"
    configuration.assert_hostname = "chat.internal"

    pool_settings = rest.RESTClientObject(configuration).pool_manager.connection_pool_kw

    assert pool_settings["ca_certs"] == str(tmp_path / "ca.pem")
    assert (pool_settings["cert_file"], pool_settings["key_file"]) == ("client.pem", "client.key")
    assert pool_settings["assert_hostname"] == "chat.internal"


def test_proxy_setting_uses_a_proxy_manager() -> None:
    configuration = chatwoot_client.Configuration(proxy="http://127.0.0.1:3128")

    assert isinstance(rest.RESTClientObject(configuration).pool_manager, urllib3.ProxyManager)


def test_pool_size_follows_connection_pool_maxsize() -> None:
    configuration = chatwoot_client.Configuration(connection_pool_maxsize=4)

    assert chatwoot_client.ApiClient(configuration).rest_client.pool_manager.connection_pool_kw["maxsize"] == 4


def test_default_headers_and_user_agent() -> None:
    client = chatwoot_client.ApiClient(header_name="X-Trace", header_value="abc", cookie="a=b")

    assert client.default_headers["X-Trace"] == "abc"
    assert client.user_agent.startswith("chatwoot-client-python/")
    assert client.cookie == "a=b"


def test_api_client_is_a_context_manager_that_closes() -> None:
    with chatwoot_client.ApiClient() as client:
        assert isinstance(client, chatwoot_client.ApiClient)
    assert client._pool is None


@pytest.mark.parametrize(
    "proxy",
    ["ftp://proxy.test:3128", "proxy.test:3128", "http://proxy.test:99999", "http://proxy.test:3128\r\nX: y", 5],
    ids=["scheme", "no-scheme", "port", "crlf", "not-text"],
)
def test_a_proxy_that_cannot_be_used_is_refused_when_set_naming_the_setting(proxy: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match="proxy"):
        chatwoot_client.Configuration(proxy=proxy)


def test_a_refused_proxy_url_does_not_show_its_credentials() -> None:
    with pytest.raises(chatwoot_client.ApiValueError) as info:
        chatwoot_client.Configuration(proxy="http://user:s3cret@proxy.test:99999")
    assert "s3cret" not in str(info.value) and "s3cret" not in repr(info.value.args)


@pytest.mark.parametrize("proxy", [None, ""])
def test_no_proxy_is_none_or_empty(proxy: Any) -> None:
    configuration = chatwoot_client.Configuration(proxy=proxy)

    assert configuration.proxy is None
    assert not isinstance(rest.RESTClientObject(configuration).pool_manager, urllib3.ProxyManager)


@pytest.mark.parametrize(
    "headers", [{"X-A": "a\r\nb"}, {"X A": "b"}, {"X-A": 5}, [("X-A", "b")]], ids=["crlf", "name", "value", "list"]
)
def test_proxy_headers_that_cannot_be_sent_are_refused_when_set(headers: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=r"proxy_headers|header"):
        chatwoot_client.Configuration(proxy="http://127.0.0.1:3128").proxy_headers = headers


def test_proxy_headers_changed_in_place_are_checked_when_the_client_is_made() -> None:
    configuration = chatwoot_client.Configuration(proxy="http://127.0.0.1:3128")
    configuration.proxy_headers = {"Proxy-Authorization": "Basic eDp5"}
    assert configuration.proxy_headers is not None
    configuration.proxy_headers["X-Bad"] = "a\nb"

    with pytest.raises(chatwoot_client.ApiValueError, match="X-Bad"):
        rest.RESTClientObject(configuration)


@pytest.mark.parametrize("setting", ["api_key", "api_key_prefix"])
@pytest.mark.parametrize("value", ["token", ["api_access_token"], 5])
def test_a_key_setting_that_is_not_a_dict_is_refused_when_set(setting: str, value: Any) -> None:
    with pytest.raises(chatwoot_client.ApiValueError, match=setting):
        setattr(chatwoot_client.Configuration(), setting, value)


def test_a_key_dict_set_is_the_one_read_so_later_changes_count() -> None:
    configuration = chatwoot_client.Configuration()
    keys: Dict[str, str] = {}
    configuration.api_key = keys
    keys["api_access_token"] = "t0ken"

    assert configuration.get_api_key_with_prefix("api_access_token") == "t0ken"


def test_a_prefix_that_is_not_text_is_refused_before_io() -> None:
    configuration = chatwoot_client.Configuration(api_key={"api_access_token": "t0ken"})
    configuration.api_key_prefix["api_access_token"] = 5  # type: ignore[assignment]

    with pytest.raises(chatwoot_client.ApiValueError, match=r"api_key_prefix\['api_access_token'\] must be a str"):
        configuration.auth_settings()


@pytest.mark.parametrize("path", ["{tmp}", "{tmp}/missing/x.log", 5], ids=["directory", "missing-folder", "not-text"])
def test_a_logger_file_that_cannot_be_opened_is_refused_naming_the_setting(tmp_path: Any, path: Any) -> None:
    configuration = chatwoot_client.Configuration()
    with pytest.raises(chatwoot_client.ApiValueError, match="logger_file"):
        configuration.logger_file = path.format(tmp=tmp_path) if isinstance(path, str) else path
    assert configuration.logger_file is None
