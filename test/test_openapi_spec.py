"""The OpenAPI spec in openapi/: a valid OpenAPI 3 document, the same as the shared copy it comes from, and in step
with the SDK: every operation, parameter, security scheme, model field, type and enum of the spec is the SDK's."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

import chatwoot_client
from chatwoot_client import models
from chatwoot_client.api import messages_api
from chatwoot_client.api_client import Operation
from chatwoot_client.models.base import Model

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "chatwoot-messages.openapi.yaml"
SHARED_SPEC_PATH = ROOT.parent / "shared" / "api" / "chatwoot-messages.openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The model each schema of the spec is read into (the POST answer is the generated InlineResponse2005).
SCHEMA_MODELS: Dict[str, type] = {
    "#/components/schemas/conversation_message_create": models.ConversationMessageCreate,
    "#/components/schemas/message_status_update": models.MessageStatusUpdate,
    "#/components/schemas/template_params": models.TemplateParams,
    "#/components/schemas/message": models.Message,
    "#/components/schemas/sender": models.Sender,
    "#/components/schemas/attachment": models.Attachment,
    "#/components/schemas/message_list": models.MessageList,
    "#/components/schemas/message_list/properties/meta": models.MessageListMeta,
}
RESPONSE_MODELS = {
    "create_a_new_message_in_a_conversation": "InlineResponse2005",
    "list_all_messages": "MessageList",
    "delete_a_message": None,  # the answer's body (the deleted message) is not read: the call returns None
    "update_a_message": "Message",
    "retry_a_message": "Message",
}
_SCALAR_TYPES = {"integer": "int", "number": "float", "string": "str", "boolean": "bool"}


def _load() -> Dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        document: Dict[str, Any] = yaml.safe_load(handle)
    return document


SPEC = _load()
SDK_OPERATIONS: Dict[str, Operation] = {
    value.name: value for value in vars(messages_api).values() if isinstance(value, Operation)
}


def _resolve(pointer: str) -> Dict[str, Any]:
    node: Any = SPEC
    for part in pointer.lstrip("#/").split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _deref(node: Dict[str, Any]) -> Dict[str, Any]:
    return _resolve(node["$ref"]) if "$ref" in node else node


def spec_operations() -> Dict[str, Tuple[str, str, Dict[str, Any], List[Dict[str, Any]]]]:
    """SDK-style name -> (METHOD, path, operation, parameters incl. the path item's) of every operation in the spec."""
    found = {}
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operation = item[method]
                parameters = [_deref(p) for p in item.get("parameters", []) + operation.get("parameters", [])]
                found[operation["operationId"].replace("-", "_")] = (method.upper(), path, operation, parameters)
    return found


def _type_name(schema: Dict[str, Any], pointer: str) -> str:
    """The SDK type string of a property schema (``pointer`` names an inline object schema)."""
    if "$ref" in schema:
        model = SCHEMA_MODELS.get(schema["$ref"])
        return model.__name__ if model is not None else _type_name(_resolve(schema["$ref"]), schema["$ref"])
    kind = str(schema.get("type"))
    if kind == "array":
        return f"list[{_type_name(schema['items'], pointer + '/items')}]"
    if kind == "object":
        return SCHEMA_MODELS[pointer].__name__ if "properties" in schema else "dict(str, object)"
    if kind == "string" and schema.get("format") == "date-time":
        return "datetime"
    return _SCALAR_TYPES[kind]


# -- the document -----------------------------------------------------------------------------------------------


def test_spec_is_a_valid_openapi_document() -> None:
    validate(SPEC)


def test_validator_rejects_a_broken_document() -> None:
    broken = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    broken["paths"][next(iter(broken["paths"]))]["parameters"][0] = {"name": "account_id", "in": "nowhere"}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_spec_is_the_shared_copy() -> None:
    if not SHARED_SPEC_PATH.is_file():
        pytest.skip(f"no shared spec at {SHARED_SPEC_PATH} to compare with")
    assert SPEC_PATH.read_bytes() == SHARED_SPEC_PATH.read_bytes(), (
        f"{SPEC_PATH.relative_to(ROOT)} differs from {SHARED_SPEC_PATH}: copy the shared spec over it"
    )


# -- operations -------------------------------------------------------------------------------------------------


def test_every_spec_operation_is_an_sdk_operation_and_back() -> None:
    assert set(spec_operations()) == set(SDK_OPERATIONS)
    public = {name for name, _ in inspect.getmembers(chatwoot_client.MessagesApi, inspect.isfunction)}
    for name in SDK_OPERATIONS:
        assert {name, f"{name}_with_http_info"} <= public


@pytest.mark.parametrize("name", sorted(spec_operations()))
def test_operation_method_path_and_path_parameters_match(name: str) -> None:
    method, path, _, parameters = spec_operations()[name]
    sdk = SDK_OPERATIONS[name]
    assert (sdk.method, sdk.path) == (method, path)
    in_path = [p for p in parameters if p["in"] == "path"]
    assert sdk.path_params == tuple(p["name"] for p in in_path)
    for parameter in in_path:
        assert parameter["required"] is True
        assert parameter["schema"] == {"type": "integer", "minimum": 1}, "the SDK sends path ids as positive ints"


@pytest.mark.parametrize("name", sorted(spec_operations()))
def test_operation_query_parameters_and_their_minimums_match(name: str) -> None:
    _, _, _, parameters = spec_operations()[name]
    in_query = [p for p in parameters if p["in"] == "query"]
    assert not [p for p in in_query if p.get("required", False)], "the SDK sends no required query parameter"
    numbers = [p for p in in_query if p["schema"]["type"] == "integer"]
    flags = [p for p in in_query if p["schema"]["type"] == "boolean"]
    assert len(numbers) + len(flags) == len(in_query), "query parameters are ids or flags"
    assert SDK_OPERATIONS[name].query_params == tuple((p["name"], p["schema"]["minimum"]) for p in numbers)
    assert SDK_OPERATIONS[name].flag_params == tuple(p["name"] for p in flags)
    assert not [p for p in parameters if p["in"] not in ("path", "query")], "header/cookie parameters are not built"


@pytest.mark.parametrize("name", sorted(spec_operations()))
def test_operation_security_schemes_match(name: str) -> None:
    _, _, operation, _ = spec_operations()[name]
    schemes = [scheme for requirement in operation.get("security", SPEC["security"]) for scheme in requirement]
    assert SDK_OPERATIONS[name].auth == tuple(schemes)
    configuration = chatwoot_client.Configuration()
    configuration.api_key["api_access_token"] = "token"
    settings = configuration.auth_settings()
    for scheme in schemes:
        declared = SPEC["components"]["securitySchemes"][scheme]
        assert (declared["type"], declared["in"], declared["name"]) == ("apiKey", "header", "api_access_token")
        assert (settings[scheme]["in"], settings[scheme]["key"]) == ("header", "api_access_token")


@pytest.mark.parametrize("name", sorted(spec_operations()))
def test_operation_request_body_and_files_match(name: str) -> None:
    _, _, operation, _ = spec_operations()[name]
    sdk = SDK_OPERATIONS[name]
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        assert (sdk.body_type, sdk.files_param) == (None, None)
        return
    assert SCHEMA_MODELS[content["application/json"]["schema"]["$ref"]].__name__ == sdk.body_type
    if "multipart/form-data" not in content:
        assert set(content) == {"application/json"} and sdk.files_param is None
        return
    form = content["multipart/form-data"]["schema"]["properties"]
    binary = [key for key, schema in form.items() if schema.get("items", {}).get("format") == "binary"]
    assert [key.rstrip("[]") for key in binary] == [sdk.files_param]
    body_fields = set(models.ConversationMessageCreate.openapi_types)
    assert set(form) - set(binary) == body_fields, "every body field is also a form field"


@pytest.mark.parametrize("name", sorted(spec_operations()))
def test_operation_success_answer_is_read_as_its_model(name: str) -> None:
    _, _, operation, _ = spec_operations()[name]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    expected = RESPONSE_MODELS[name]
    assert SDK_OPERATIONS[name].response_type == expected
    if expected is not None:
        model = getattr(models, expected)
        assert issubclass(model, SCHEMA_MODELS[schema["$ref"]])


# -- models -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pointer", sorted(SCHEMA_MODELS))
def test_model_fields_and_types_are_the_schema_properties(pointer: str) -> None:
    schema = _resolve(pointer)
    model: Any = SCHEMA_MODELS[pointer]
    expected = {key: _type_name(value, f"{pointer}/properties/{key}") for key, value in schema["properties"].items()}
    assert model.openapi_types == expected
    assert model.attribute_map == {key: key for key in expected}


@pytest.mark.parametrize("pointer", sorted(SCHEMA_MODELS))
def test_model_enums_are_the_schema_enums(pointer: str) -> None:
    properties = _resolve(pointer)["properties"]
    enums = {key: tuple(_deref(value)["enum"]) for key, value in properties.items() if "enum" in _deref(value)}
    model: Any = SCHEMA_MODELS[pointer]
    assert model.allowed_values == enums


@pytest.mark.parametrize(
    "pointer", ["#/components/schemas/conversation_message_create", "#/components/schemas/message_status_update"]
)
def test_request_model_requires_what_the_schema_requires(pointer: str) -> None:
    model: Any = SCHEMA_MODELS[pointer]
    assert model.required_fields == tuple(_resolve(pointer)["required"])


def test_every_model_is_read_from_a_schema() -> None:
    exported = {cls for cls in vars(models).values() if isinstance(cls, type) and issubclass(cls, Model)}
    assert exported - set(SCHEMA_MODELS.values()) - {Model} == {models.InlineResponse2005}
