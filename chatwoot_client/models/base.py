"""Model: the base class of every model. Fields, enum checks, lenient reading, strict checking and JSON
serialization are all driven by each model's class maps (openapi_types, attribute_map, allowed_values).

A model read from a response keeps the JSON object it came from and converts a field (a nested model, a list of
them, a datetime) only when that field is first read, so reading a page costs little more than json.loads.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Dict, List, Optional, Tuple, Type, TypeVar

import six

from chatwoot_client.exceptions import ApiTypeError, ApiValueError

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform as _dataclass_transform
else:

    def _dataclass_transform(**_: Any) -> Callable[[type], type]:
        """At run time nothing: the decorator only tells type checkers what the model constructors take."""
        return lambda target: target


M = TypeVar("M", bound="Model")

_PLAIN_TYPES = frozenset({"str", "int", "float", "bool", "object"})
_REGISTRY: Dict[str, Type[Model]] = {}  # the SDK's own models by name; a user's subclass never enters it
_REGISTRY_MODULE = "chatwoot_client.models."
MAX_JSON_DEPTH = 64  # levels of nested lists and objects a request may hold; deeper (or circular) is refused


@functools.cache
def _parse_type(type_name: str) -> Tuple[str, str]:
    """Split a type string: 'list[Message]' -> ('list', 'Message'), 'dict(str, object)' -> ('dict', 'object')."""
    if type_name.startswith("list[") and type_name.endswith("]"):
        return "list", type_name[5:-1]
    if type_name.startswith("dict(") and type_name.endswith(")"):
        return "dict", type_name[5:-1].split(",", 1)[1].strip()
    return "", type_name


@functools.cache
def _is_plain(type_name: str) -> bool:
    """True when JSON values of this type are used as they are (no model, no datetime inside)."""
    kind, inner = _parse_type(type_name)
    return _is_plain(inner) if kind else inner in _PLAIN_TYPES


def _json_type(type_name: str) -> type:
    """The JSON shape a value of ``type_name`` must have: list, dict (models included), or object for any."""
    kind, inner = _parse_type(type_name)
    if kind == "list":
        return list
    return dict if kind == "dict" or inner in _REGISTRY else object


def _parse_datetime(value: Any) -> Any:
    """An aware datetime from ISO 8601 text (UTC when it names no zone); other values are kept as they are."""
    if not isinstance(value, str):
        return value
    from dateutil import parser  # imported on first use: most calls never read a datetime

    try:
        parsed = parser.isoparse(value)
    except Exception:  # dateutil raises several types on odd text; any odd text is kept as it came
        return value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.timezone.utc)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _loads(data: Any) -> Any:
    """JSON text (str, or bytes in any encoding JSON allows) as Python values, refusing NaN and Infinity, which
    Python's json module reads although JSON has no such values. Raises ValueError, TypeError or RecursionError."""
    if isinstance(data, (bytes, bytearray)):
        first = data[:1]
        # An object or array in UTF-8 (what servers send) starts with its bracket; else the encoding is read off
        # the first bytes, as json.loads does.
        utf8 = (first == b"{" or first == b"[") and data[1:2] != b"\x00"
        encoding = "utf-8" if utf8 else json.detect_encoding(data)
        data = bytes(data).decode(encoding, "surrogatepass")
    return _DECODER.decode(data)


def _convert(value: Any, type_name: str) -> Any:
    """Read a JSON value as ``type_name``, leniently: null, unknown values and unexpected shapes are kept."""
    if value is None or _is_plain(type_name):
        return value
    kind, inner = _parse_type(type_name)
    if kind == "list":
        return [_convert(item, inner) for item in value] if isinstance(value, list) else value
    if kind == "dict":
        return {key: _convert(item, inner) for key, item in value.items()} if isinstance(value, dict) else value
    if inner == "datetime":
        return _parse_datetime(value)
    if inner == "date":
        parsed = _parse_datetime(value)
        return parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    model = _REGISTRY.get(inner)
    if model is not None and isinstance(value, dict):
        return model.from_dict(value)
    return value


def _sanitize(value: Any, depth: int = 0) -> Any:
    """Turn models (and lists, dicts, datetimes) into JSON-ready values; a model's None fields are left out.

    Refuses with ApiValueError what JSON cannot carry or a server should not be sent: NaN and infinities, keys
    that are not text, and values nested deeper than MAX_JSON_DEPTH (a circular value among them).
    """
    if value is None or isinstance(value, (six.string_types, bool)):
        return value
    if isinstance(value, six.integer_types):
        return int.__int__(value)  # an int subclass is sent as its value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ApiValueError(f"cannot send {value!r} in JSON: only finite numbers")
        return float(value)
    if depth >= MAX_JSON_DEPTH:
        raise ApiValueError(f"cannot send a value nested deeper than {MAX_JSON_DEPTH} levels, or circular, in JSON")
    if isinstance(value, Model):
        result = {key: _sanitize(item, depth + 1) for key, item in value._known_items()}
        result.update((key, _sanitize(item, depth + 1)) for key, item in value._extra_items())
        return result
    if isinstance(value, (list, tuple)):
        return [_sanitize(item, depth + 1) for item in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise ApiValueError(f"cannot send a JSON object key of type {type(key).__name__}: keys must be str")
        return {key: _sanitize(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise ApiTypeError(f"cannot serialize a value of type {type(value).__name__} to JSON")


def _to_plain(value: Any) -> Any:
    """The to_dict() form of a field value: models (alone, in a list or a dict) become dicts, the rest stays.

    It goes no deeper than the models a type string can hold, so a deeply nested value a server sent in an
    unexpected place is returned as it is, never walked into.
    """
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [item.to_dict() if isinstance(item, Model) else item for item in value]
    if isinstance(value, dict):
        return {key: item.to_dict() if isinstance(item, Model) else item for key, item in value.items()}
    return value


def _field_property(name: str, json_key: str, type_name: str) -> property:
    """The property of one field: read from the set value, else from the JSON object (converted once)."""

    def read_plain(self: Model) -> Any:
        values = self._values
        return values[name] if name in values else self._raw.get(json_key)

    def read_converted(self: Model) -> Any:
        values = self._values
        if name not in values:
            values[name] = _convert(self._raw.get(json_key), type_name)
        return values[name]

    def write(self: Model, value: Any) -> None:
        allowed = type(self).allowed_values.get(name)
        if allowed is not None and value is not None and value not in allowed:
            raise ApiValueError(f"Invalid value for `{name}` ({value!r}), must be one of {list(allowed)}")
        self._values[name] = value

    reader: Callable[[Model], Any] = read_plain if _is_plain(type_name) else read_converted
    return property(reader, write, doc=f"The {name} of this model ({type_name}).")


@_dataclass_transform()  # PEP 681: a model's __init__ takes its annotated fields, each defaulting to None
class _ModelMeta(type):
    """Gives every model __slots__, one property per field and a place in the type registry."""

    def __new__(mcs, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any]) -> _ModelMeta:
        namespace.setdefault("__slots__", ())
        cls = super().__new__(mcs, name, bases, namespace)
        types: Dict[str, str] = namespace.get("openapi_types", {})
        mapping: Dict[str, str] = getattr(cls, "attribute_map", {})
        for field, type_name in types.items():
            setattr(cls, field, _field_property(field, mapping[field], type_name))
        if bases:
            cls.swagger_types = cls.openapi_types  # type: ignore[attr-defined]
            cls._known_keys = frozenset(mapping.values())  # type: ignore[attr-defined]
            if cls.__module__.startswith(_REGISTRY_MODULE) and name not in _REGISTRY:
                _REGISTRY[name] = cls  # type: ignore[assignment]
        return cls


class Model(metaclass=_ModelMeta):
    """Base of every model: keyword constructor, properties, to_dict/from_dict, to_json/from_json, equality."""

    __slots__ = ("_raw", "_values")

    openapi_types: ClassVar[Dict[str, str]] = {}
    swagger_types: ClassVar[Dict[str, str]] = {}
    attribute_map: ClassVar[Dict[str, str]] = {}
    allowed_values: ClassVar[Dict[str, Tuple[Any, ...]]] = {}
    required_fields: ClassVar[Tuple[str, ...]] = ()
    _known_keys: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._raw: Dict[str, Any] = {}
        self._values: Dict[str, Any] = {}
        names = tuple(self.openapi_types)
        if len(args) > len(names):
            raise ApiTypeError(f"{type(self).__name__}() takes at most {len(names)} positional arguments")
        for name, value in zip(names, args):
            setattr(self, name, value)
        for name, value in kwargs.items():
            if name not in self.openapi_types:
                raise ApiTypeError(f"{type(self).__name__}() got an unexpected keyword argument '{name}'")
            if name in names[: len(args)]:
                raise ApiTypeError(f"{type(self).__name__}() got multiple values for argument '{name}'")
            setattr(self, name, value)

    # -- reading -----------------------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls: Type[M], data: Dict[str, Any]) -> M:
        """A model from a JSON object, read as leniently as a response: unknown keys and values are kept."""
        if not isinstance(data, dict):
            raise ApiValueError(f"{cls.__name__}.from_dict expects a dict, got {type(data).__name__}")
        model = cls.__new__(cls)
        model._raw = data
        model._values = {}
        return model

    @classmethod
    def from_json(cls: Type[M], text: str | bytes) -> M:
        """A model from JSON text (str or bytes), read as leniently as a response."""
        try:
            data = _loads(text)
        except (TypeError, ValueError) as err:
            raise ApiValueError(f"{cls.__name__}.from_json expects a JSON object: {err}") from err
        except RecursionError:
            raise ApiValueError(f"{cls.__name__}.from_json expects a JSON object: nested too deeply") from None
        return cls.from_dict(data)

    # -- writing -----------------------------------------------------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """Every field by name (None when unset), nested models as dicts, plus the unknown keys read with it."""
        result = {name: _to_plain(getattr(self, name)) for name in self.openapi_types}  # getattr converts
        result.update(self._extra_items())
        return result

    def to_json(self) -> str:
        """The model as the JSON object the API speaks (set fields only, datetimes as ISO 8601)."""
        return json.dumps(_sanitize(self), allow_nan=False)

    def to_str(self) -> str:
        """The string form of to_dict()."""
        import pprint  # imported on first use: only repr() and to_str() need it

        return pprint.pformat(self.to_dict())

    def validate(self, path: str = "body") -> None:
        """Check every field strictly, as a request needs: types, enum values, no unknown keys."""
        for key, _ in self._extra_items():
            raise ApiValueError(f"{path} has an unknown field '{key}'; known: {', '.join(self.openapi_types)}")
        for name, value in self._known_items(by_name=True):
            _check_value(f"{path}.{name}", value, self.openapi_types[name], self.allowed_values.get(name))
        self._check_request(path)

    def _check_request(self, path: str) -> None:
        """The checks of a model's fields together, after each field's own (none here; a model adds its own)."""

    def _request_fields(self, path: str = "body") -> Dict[str, Any]:
        """validate() and then the JSON object _sanitize() makes of the model, in one walk over its fields."""
        for key, _ in self._extra_items():
            raise ApiValueError(f"{path} has an unknown field '{key}'; known: {', '.join(self.openapi_types)}")
        types, allowed, keys = self.openapi_types, self.allowed_values, self.attribute_map
        fields: Dict[str, Any] = {}
        for name, value in self._known_items(by_name=True):
            _check_value(f"{path}.{name}", value, types[name], allowed.get(name))
            fields[keys[name]] = _sanitize(value, 1)
        self._check_request(path)
        return fields

    def _known_items(self, by_name: bool = False) -> List[Tuple[str, Any]]:
        """(JSON key or field name, value) of every known field that holds a value: None ones are left out.

        A field neither set nor in the JSON object is None without reading its property, which is most fields of
        a request body; the rest are read through the property, so they are converted as a reader sees them.
        """
        values, raw = self._values, self._raw
        items: List[Tuple[str, Any]] = []
        for name, key in self.attribute_map.items():
            if name in values:
                value = values[name]
            elif key in raw:
                value = getattr(self, name)
            else:
                continue
            if value is not None:
                items.append((name if by_name else key, value))
        return items

    def _extra_items(self) -> List[Tuple[str, Any]]:
        """(key, value) of the keys read with this model that it does not know."""
        known = self._known_keys
        return [(key, value) for key, value in self._raw.items() if key not in known]

    def __repr__(self) -> str:
        try:
            return self.to_str()
        except Exception:  # a field a server filled with something pprint cannot walk (nested too deeply)
            return f"<{type(self).__name__} that cannot be shown in full>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.to_dict() == other.to_dict()

    def __ne__(self, other: object) -> bool:
        return not self == other


_SCALAR_CHECKS: Dict[str, Tuple[Callable[[Any], bool], str]] = {
    "str": (lambda value: isinstance(value, six.string_types), "a str"),
    "int": (lambda value: isinstance(value, six.integer_types) and not isinstance(value, bool), "an int"),
    "float": (lambda value: isinstance(value, (six.integer_types, float)) and not isinstance(value, bool), "a number"),
    "bool": (lambda value: isinstance(value, bool), "a bool"),
    "object": (lambda value: True, "any value"),
    "datetime": (lambda value: isinstance(value, datetime.datetime), "a datetime"),
}


def _check_value(path: str, value: Any, type_name: str, allowed: Optional[Tuple[Any, ...]] = None) -> None:
    """Check a request value strictly against its type string; the error names ``path``."""
    kind, inner = _parse_type(type_name)
    if kind == "list":
        if not isinstance(value, list):
            raise ApiValueError(f"{path} must be a list, got {value!r}")
        for index, item in enumerate(value):
            _check_value(f"{path}[{index}]", item, inner)
    elif kind == "dict":
        if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
            raise ApiValueError(f"{path} must be a dict with str keys, got {value!r}")
        for key, item in value.items():
            _check_value(f"{path}[{key!r}]", item, inner)
    elif inner in _SCALAR_CHECKS:
        test, wanted = _SCALAR_CHECKS[inner]
        if not test(value):
            raise ApiValueError(f"{path} must be {wanted}, got {value!r}")
        if allowed is not None and value not in allowed:
            raise ApiValueError(f"{path} must be one of {list(allowed)}, got {value!r}")
    else:
        _model_from_request(path, value, inner).validate(path)


def _model_from_request(path: str, value: Any, type_name: str) -> Model:
    """A request value as its model: the model itself, or a dict with the model's keys."""
    model = _REGISTRY[type_name]
    if isinstance(value, model):
        return value
    if isinstance(value, dict):
        unknown = [key for key in value if key not in model.openapi_types]
        if unknown:
            raise ApiValueError(f"{path} has an unknown field '{unknown[0]}'; known: {', '.join(model.openapi_types)}")
        return model(**value)
    raise ApiValueError(f"{path} must be a {type_name} or a dict, got {type(value).__name__}")


__all__ = ["Model"]
