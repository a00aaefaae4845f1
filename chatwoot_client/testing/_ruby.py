"""How Ruby and Rails read request values, for the mock server: ``to_i``, ``blank?``, ``to_s``, ``inspect``, casts.

A real server's leniency comes from these rules, so the mock applies them to the same values: a
``before`` of ``12abc`` is 12, a list ``content`` is stored as Ruby's inspect text, ``"off"`` is false.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Optional

from chatwoot_client.testing._multipart import Part

# Ruby's String#to_i: leading whitespace, an optional sign, digits with single underscores between them.
_TO_I = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+(?:_[0-9]+)*)")
_LEADING_DIGITS = re.compile(r"[0-9]+")
_PLAIN_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*[?!]?")
UPLOADED_FILE = "ActionDispatch::Http::UploadedFile"
MAX_ID = 2**63 - 1  # a larger id is out of a bigint column's range: never found
JSON_MAX_NESTING = 100  # Ruby's JSON.parse refuses deeper documents
# ActiveModel::Type::Boolean::FALSE_VALUES (symbols never arrive from a request).
_FALSE_VALUES = ("0", "f", "F", "false", "FALSE", "off", "OFF")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\a": "\\a"}
_ESCAPES.update({"\b": "\\b", "\x1b": "\\e"})


def to_i(text: str) -> int:
    """Ruby's ``String#to_i``: the leading integer, else 0 (``"12abc"`` is 12, ``"1_0"`` is 10, ``"abc"`` is 0)."""
    match = _TO_I.match(text)
    return int(match.group(1).replace("_", "")) if match else 0


def path_id(text: str) -> Optional[int]:
    """A Rails integer cast of a path id: its leading digits (``017`` and ``17abc`` are 17); None without any."""
    match = _LEADING_DIGITS.match(text)
    if match is None or len(match.group()) > 30:
        return None
    value = int(match.group())
    return value if value <= MAX_ID else None


def blank(value: Any) -> bool:
    """ActiveSupport's ``blank?``: null, false, an empty or whitespace-only string, an empty list or object."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, dict)):
        return not value
    return False


def class_name(value: Any) -> str:
    """The Ruby class of a request value (an uploaded file included), as an error text names it."""
    if isinstance(value, Part):
        return UPLOADED_FILE
    if isinstance(value, bool):
        return "TrueClass" if value else "FalseClass"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    return "Hash" if isinstance(value, dict) else "NilClass"


def no_method(method: str, value: Any) -> str:
    """Ruby 3.4's NoMethodError text for calling ``method`` on ``value``."""
    if value is None or isinstance(value, bool):
        return f"undefined method '{method}' for {inspect(value)}"
    return f"undefined method '{method}' for an instance of {class_name(value)}"


def to_s(value: Any) -> str:
    """What a Rails string column stores for a value: ``true`` is ``"t"``, a list or object its inspect text."""
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value
    return inspect(value)


def inspect(value: Any) -> str:
    """Ruby 3.4's ``inspect`` of a value read from JSON (``{"a" => 1}``, ``[nil, true]``, ``1.0e+20``)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return '"' + "".join(_ESCAPES.get(char, char) for char in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(inspect(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + ", ".join(f"{inspect(key)} => {inspect(item)}" for key, item in value.items()) + "}"
    return f"#<{class_name(value)}>"


def symbol_list(names: Any) -> str:
    """Ruby's inspect of a list of symbols, ``[:x, :"a b"]``."""
    return "[" + ", ".join(_symbol(str(name)) for name in names) + "]"


def to_boolean(value: Any) -> Optional[bool]:
    """A boolean column's cast: the false values and null are false, ``""`` is null, anything else is true."""
    if value is None or value == "":
        return None
    if value is False or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0):
        return False
    return not (isinstance(value, str) and value in _FALSE_VALUES)


def parse_json(text: str) -> Any:
    """Ruby's ``JSON.parse``: raises ``ValueError`` for invalid JSON, NaN, Infinity or nesting beyond 100."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"unexpected token {constant}")

    try:
        value = json.loads(text, parse_constant=refuse)
    except RecursionError as error:
        raise ValueError("nesting too deep") from error
    if _depth(value) > JSON_MAX_NESTING:
        raise ValueError(f"nesting of {JSON_MAX_NESTING + 1} is too deep")
    return value


def _depth(value: Any) -> int:
    """The nesting depth of a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:  # bounded by the number of values in the document
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            level += 1
            deepest = max(deepest, level)
            stack.extend((child, level) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _float_text(value: float) -> str:
    """Ruby's ``Float#to_s``: ``1.5``, ``1.0e+20``, ``1.0e-05``."""
    if math.isnan(value) or math.isinf(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if "." not in mantissa:
        mantissa += ".0"
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}e{sign}{exponent.lstrip('+-').rjust(2, '0')}"


def _symbol(name: str) -> str:
    return ":" + name if _PLAIN_SYMBOL.fullmatch(name) else ":" + inspect(name)
