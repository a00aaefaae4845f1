"""The public surface: every public module declares ``__all__``, every class and function it defines is either in
``__all__`` or has a private name, docs/Modules.md lists exactly those names, and the model registry that
deserialization reads holds the SDK's own models only, whatever subclasses a user defines."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List

import pytest

import chatwoot_client
from chatwoot_client.models import base

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "chatwoot_client"
MODULES_PAGE = ROOT / "docs" / "Modules.md"
_MODULE_HEADING = re.compile(r"^## `([\w.]+)`$")
_NAME = re.compile(r"`(\w+)`")


def _public_modules() -> List[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if any(part.startswith("_") for part in parts):
            continue
        found.append(name)
    return found


PUBLIC_MODULES = _public_modules()


def _documented() -> Dict[str, List[str]]:
    """Module -> the names docs/Modules.md lists under its heading, in order."""
    listed: Dict[str, List[str]] = {}
    module = None
    for line in MODULES_PAGE.read_text(encoding="utf-8").splitlines():
        heading = _MODULE_HEADING.match(line)
        if heading:
            module = heading.group(1)
            listed[module] = []
            continue
        if line.startswith("- ") and module is not None:  # "- `A`, `B`: what they are"
            listed[module].extend(_NAME.findall(line[2:].split(": ", 1)[0]))
    return listed


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_the_public_modules_are_found() -> None:
    assert {"chatwoot_client", "chatwoot_client.rest", "chatwoot_client.models.sender"} <= set(PUBLIC_MODULES)
    assert "chatwoot_client._multipart" not in PUBLIC_MODULES


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_module_declares_all_of_names_it_has(name: str) -> None:
    module = _module(name)
    exported = getattr(module, "__all__", None)

    assert isinstance(exported, list), f"{name} has no __all__ list"
    assert len(set(exported)) == len(exported), f"{name}.__all__ names something twice"
    assert [export for export in exported if not hasattr(module, export)] == []


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_class_and_function_a_public_module_defines_is_exported_or_private(name: str) -> None:
    module = _module(name)
    defined = {
        attribute
        for attribute, value in vars(module).items()
        if (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", None) == name
        and not attribute.startswith("_")
    }

    assert sorted(defined - set(module.__all__)) == []


def test_modules_page_lists_every_public_module() -> None:
    assert sorted(_documented()) == sorted(PUBLIC_MODULES)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_modules_page_lists_exactly_the_names_in_all(name: str) -> None:
    assert sorted(_documented().get(name, [])) == sorted(_module(name).__all__)


# -- the model registry ------------------------------------------------------------------------------------------

MESSAGE = {"id": 5, "content": "hi", "sender": {"id": 7, "name": "Grace", "type": "contact"}, "attachments": [{}]}


def test_a_users_subclass_named_like_a_model_does_not_change_deserialization() -> None:
    class Sender(chatwoot_client.Sender):
        """A user's own Sender, under the SDK's class name."""

    class Attachment(chatwoot_client.Attachment):
        pass

    message = chatwoot_client.Message.from_dict(MESSAGE)

    assert type(message.sender) is chatwoot_client.Sender
    attachments: Any = message.attachments
    assert type(attachments[0]) is chatwoot_client.Attachment
    assert Sender.from_dict({"id": 1}).id == 1  # the subclass itself still works


def test_a_class_claiming_the_models_package_cannot_replace_a_registered_model() -> None:
    namespace: Dict[str, Any] = {"__module__": "chatwoot_client.models.sender", "__qualname__": "Sender"}
    metaclass: Any = type(chatwoot_client.Sender)
    impostor = metaclass("Sender", (chatwoot_client.Sender,), namespace)

    message = chatwoot_client.Message.from_dict(MESSAGE)

    assert type(message.sender) is chatwoot_client.Sender
    assert impostor is not chatwoot_client.Sender


def test_a_users_model_with_a_new_name_is_not_registered() -> None:
    class Gadget(base.Model):
        openapi_types = {"name": "str"}
        attribute_map = {"name": "name"}

    holder_types = {"gadget": "Gadget"}

    class Holder(base.Model):
        openapi_types = holder_types
        attribute_map = {"gadget": "gadget"}

    holder: Any = Holder.from_dict({"gadget": {"name": "x"}})
    gadget: Any = Gadget.from_dict({"name": "x"})
    assert holder.gadget == {"name": "x"}  # left as JSON, not read as a Gadget
    assert gadget.name == "x"
