"""InlineResponse2005: the message a create answers with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type

from chatwoot_client.exceptions import ApiValueError
from chatwoot_client.models.base import M
from chatwoot_client.models.message import Message


class InlineResponse2005(Message):
    """The message just created: every Message field, as the server filled it.

    Its ``id`` is an int: reading one (a create's answer, ``from_dict``, ``from_json``) refuses a message without
    an int id, since a create the server answered without one cannot be told apart from one it did not store.
    """

    if TYPE_CHECKING:  # the type checker's view: a created message has an int id (a no-arg model has None)

        @property  # type: ignore[misc]  # narrows Message's field: every message read as this class has an int id
        def id(self) -> int: ...

        @id.setter
        def id(self, value: Optional[int]) -> None: ...

    @classmethod
    def from_dict(cls: Type[M], data: Dict[str, Any]) -> M:
        """The created message from a JSON object, read leniently except that it must carry an int id."""
        identifier = data.get("id") if isinstance(data, dict) else None
        if isinstance(identifier, bool) or not isinstance(identifier, int):
            raise ApiValueError(f"a created message has an int id, got {_shown(identifier)}")
        return super().from_dict(data)


def _shown(value: Any) -> str:
    """A short view of a refused id: the value of a str, float, bool or null, else only its type."""
    return repr(value)[:40] if isinstance(value, (str, float, bool, type(None))) else type(value).__name__


__all__ = ["InlineResponse2005"]
