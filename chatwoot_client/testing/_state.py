"""The mock server's stored world: accounts, inboxes, conversations, contacts, people, messages and uploaded files.

Messages are kept as the JSON objects the server serves, so what ``messages()`` returns is what a
client reads. Nothing here locks: the engine holds its one lock around every use of a ``Store``.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple
from urllib.parse import quote

from chatwoot_client.testing._records import JsonObject

MESSAGE_TYPES = {"incoming": 0, "outgoing": 1, "activity": 2, "template": 3}
CONTENT_TYPES = (
    "text",
    "input_text",
    "input_textarea",
    "input_email",
    "input_select",
    "cards",
    "form",
    "article",
    "incoming_email",
    "input_csat",
    "integrations",
    "sticker",
    "voice_call",
)  # the enum in its order: the position is the stored integer (message.rb:86-100)
DELETED_CONTENT = "This message was deleted"
USER_EMAIL = "ada@example.com"
FLOOD_WINDOW = 60  # seconds a message counts against the per-conversation limit (message.rb:274-284)
# file_type by exact mime type (file_type_helper.rb:3-36); audio is any type containing "audio/".
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp"})
_VIDEO_TYPES = frozenset({"video/ogg", "video/mp4", "video/webm", "video/quicktime"})

SEEDED_ACCOUNT_ID = 1
SEEDED_API_CONVERSATION_ID = 17
SEEDED_WIDGET_CONVERSATION_ID = 18
# Fixed read markers on the seeded API conversation, so that clients can test their datetime parsing.
AGENT_LAST_SEEN_AT = "2026-11-27T10:15:00.000Z"
ASSIGNEE_LAST_SEEN_AT = "2026-11-27T10:20:30.500Z"

_CONTACT_NAMES = ("Grace Hopper", "Alan Turing")


@dataclass
class Inbox:
    """An inbox: only an API inbox takes incoming messages through the API."""

    inbox_id: int
    name: str
    channel: str
    is_api: bool


@dataclass
class Conversation:
    """A conversation, known in paths by its per-account display id; messages are kept in id order."""

    display_id: int
    account_id: int
    inbox: Inbox
    contact: JsonObject
    assignee: Optional[JsonObject] = None
    labels: List[str] = field(default_factory=list)
    additional_attributes: JsonObject = field(default_factory=dict)
    agent_last_seen_at: Optional[str] = None
    assignee_last_seen_at: Optional[str] = None
    messages: Dict[int, JsonObject] = field(default_factory=dict)
    hidden: Dict[int, JsonObject] = field(default_factory=dict)  # additional_attributes by message id (not in REST)
    created_at: int = field(default_factory=lambda: int(time.time()))


@dataclass
class Account:
    """An account with its API inbox, its web-widget inbox and its conversations by display id."""

    account_id: int
    name: str
    api_inbox: Inbox
    widget_inbox: Inbox
    conversations: Dict[int, Conversation] = field(default_factory=dict)
    suspended: bool = False


@dataclass(frozen=True)
class Principal:
    """Who a token belongs to: a user or an agent bot, the accounts it may use, and its sender object."""

    kind: str
    account_ids: FrozenSet[int]
    sender: JsonObject


@dataclass(frozen=True)
class Blob:
    """An uploaded file, served back at its attachment's data_url."""

    attachment_id: int
    filename: str
    content_type: str
    data: bytes


def user_sender() -> JsonObject:
    """The seeded user (an administrator of account 1) as a sender object (user.rb:143-153)."""
    return {
        "id": 1,
        "name": "Ada Agent",
        "available_name": "Ada Agent",
        "avatar_url": "",
        "type": "user",
        "availability_status": "online",
        "thumbnail": "",
    }


def bot_sender() -> JsonObject:
    """The seeded agent bot as a sender object (agent_bot.rb:45-52)."""
    return {"id": 1, "name": "Echo Bot", "avatar_url": "", "type": "agent_bot"}


def contact_sender(contact_id: int) -> JsonObject:
    """A contact as a sender object (contact.rb:150-163): no available_name, avatar_url or availability_status."""
    name = _CONTACT_NAMES[contact_id - 1] if contact_id <= len(_CONTACT_NAMES) else f"Contact {contact_id}"
    return {
        "additional_attributes": {},
        "custom_attributes": {},
        "email": f"contact{contact_id}@example.com",
        "id": contact_id,
        "identifier": f"contact-{contact_id}",
        "name": name,
        "phone_number": f"+1555010{contact_id:04d}",
        "thumbnail": "",
        "blocked": False,
        "type": "contact",
    }


def file_type(content_type: Optional[str]) -> str:
    """Chatwoot's file_type for a part's mime type: image and video for a few exact types, audio, else file."""
    if content_type is None:
        return "file"
    if content_type in _IMAGE_TYPES:
        return "image"
    if content_type in _VIDEO_TYPES:
        return "video"
    return "audio" if "audio/" in content_type else "file"


class Store:
    """Everything the mock server remembers; ``reset()`` brings it back to the seeded state."""

    def __init__(self, user_token: str, bot_token: str) -> None:
        self.user_token = user_token
        self.bot_token = bot_token
        self.base_url = ""
        self.reset()

    def reset(self) -> None:
        """Forget everything and seed account 1, its conversations 17 and 18, the user and the bot."""
        self.accounts: Dict[int, Account] = {}
        self.blobs: Dict[int, Blob] = {}
        self._next_message_id = 1
        self._next_attachment_id = 1
        self._next_inbox_id = 1
        self._next_contact_id = 1
        self.add_conversation(SEEDED_ACCOUNT_ID, api_inbox=True, display_id=SEEDED_API_CONVERSATION_ID)
        self.add_conversation(SEEDED_ACCOUNT_ID, api_inbox=False, display_id=SEEDED_WIDGET_CONVERSATION_ID)
        seeded = self.accounts[SEEDED_ACCOUNT_ID].conversations[SEEDED_API_CONVERSATION_ID]
        seeded.assignee = user_sender()
        seeded.agent_last_seen_at = AGENT_LAST_SEEN_AT
        seeded.assignee_last_seen_at = ASSIGNEE_LAST_SEEN_AT
        members = frozenset({SEEDED_ACCOUNT_ID})
        self.principals = {
            self.user_token: Principal("user", members, user_sender()),
            self.bot_token: Principal("agent_bot", members, bot_sender()),
        }

    def account(self, account_id: int) -> Account:
        """Return an account, creating it (with an API and a web-widget inbox) when it does not exist yet."""
        if account_id not in self.accounts:
            name = "Acme Support" if account_id == SEEDED_ACCOUNT_ID else f"Account {account_id}"
            api_inbox = Inbox(self._next_inbox_id, "API", "Channel::Api", is_api=True)
            widget_inbox = Inbox(self._next_inbox_id + 1, "Website", "Channel::WebWidget", is_api=False)
            self._next_inbox_id += 2
            self.accounts[account_id] = Account(account_id, name, api_inbox, widget_inbox)
        return self.accounts[account_id]

    def add_conversation(self, account_id: int, api_inbox: bool, display_id: Optional[int] = None) -> int:
        """Add an empty, unassigned conversation with a new contact; return its display id."""
        account = self.account(account_id)
        if display_id is None:
            display_id = max(account.conversations, default=0) + 1
        inbox = account.api_inbox if api_inbox else account.widget_inbox
        contact = contact_sender(self._next_contact_id)
        self._next_contact_id += 1
        account.conversations[display_id] = Conversation(display_id, account_id, inbox, contact)
        return display_id

    def conversation(self, account_id: int, display_id: int) -> Conversation:
        """Return a conversation, or raise ``ValueError`` naming what is missing."""
        account = self.accounts.get(account_id)
        if account is None or display_id not in account.conversations:
            raise ValueError(f"no conversation {display_id} in account {account_id}")
        return account.conversations[display_id]

    def add_message(
        self,
        conversation: Conversation,
        content: Optional[str],
        message_type: int,
        sender: Optional[JsonObject],
        content_type: str = "text",
        private: bool = False,
        content_attributes: Optional[JsonObject] = None,
        source_id: Optional[str] = None,
    ) -> JsonObject:
        """Store a new message and return the stored object itself (callers copy before handing it out)."""
        message: JsonObject = {
            "id": self._next_message_id,
            "content": content,
            "inbox_id": conversation.inbox.inbox_id,
            "conversation_id": conversation.display_id,
            "message_type": message_type,
            "content_type": content_type,
            "status": "sent",
            "content_attributes": dict(content_attributes or {}),
            "created_at": int(time.time()),
            "private": private,
            "source_id": source_id,
        }
        if sender is not None:
            message["sender"] = copy.deepcopy(sender)
        self._next_message_id += 1
        conversation.messages[message["id"]] = message
        return message

    def recent_messages(self, conversation: Conversation, now: float) -> int:
        """How many messages of the conversation were created in the last minute (the flood guard's count)."""
        since = int(now) - FLOOD_WINDOW
        return sum(
            1
            for message in conversation.messages.values()
            if isinstance(message.get("created_at"), int) and message["created_at"] >= since
        )

    def attach(
        self, message: JsonObject, account_id: int, filename: str, content_type: Optional[str], data: bytes
    ) -> None:
        """Store an uploaded file and add its attachment object to the message."""
        attachment_id = self._next_attachment_id
        self._next_attachment_id += 1
        self.blobs[attachment_id] = Blob(attachment_id, filename, content_type or "application/octet-stream", data)
        data_url = f"{self.base_url}/rails/active_storage/blobs/{attachment_id}/{quote(filename, safe='')}"
        kind = file_type(content_type)
        message.setdefault("attachments", []).append(
            {
                "id": attachment_id,
                "message_id": message["id"],
                "file_type": kind,
                "account_id": account_id,
                "extension": None,  # API uploads never set it
                "data_url": data_url,
                "thumb_url": f"{data_url}?resize=250x250" if kind == "image" else "",
                "file_size": len(data),
                "width": None,
                "height": None,
            }
        )

    def soft_delete(self, message: JsonObject) -> bool:
        """Delete a message as Chatwoot does: replace its content, mark it deleted, drop its attachments.

        Return whether anything changed (a second delete changes nothing).
        """
        changed = "attachments" in message or (message.get("content"), message.get("content_type")) != (
            DELETED_CONTENT,
            "text",
        )
        changed = changed or message.get("content_attributes") != {"deleted": True}
        for attachment in message.pop("attachments", []):
            if isinstance(attachment, dict):
                self.blobs.pop(attachment.get("id", 0), None)
        message["content"] = DELETED_CONTENT
        message["content_type"] = "text"
        message["content_attributes"] = {"deleted": True}
        return changed

    @staticmethod
    def meta(conversation: Conversation) -> JsonObject:
        """The ``meta`` object of a message list."""
        meta: JsonObject = {
            "labels": list(conversation.labels),
            "additional_attributes": copy.deepcopy(conversation.additional_attributes),
            "contact": copy.deepcopy(conversation.contact),
            "agent_last_seen_at": conversation.agent_last_seen_at,
            "assignee_last_seen_at": conversation.assignee_last_seen_at,
        }
        if conversation.assignee is not None:
            meta["assignee"] = copy.deepcopy(conversation.assignee)
        return meta


def page(messages: List[JsonObject], before: Optional[int], after: Optional[int]) -> List[JsonObject]:
    """Pick a page as Chatwoot's message finder does: ordered by created_at, cursors compared with ids.

    The two agree for messages created through the API; a message stored with an older created_at
    sorts before newer ones whatever its id (message_finder.rb:35-49).
    """
    messages = sorted(messages, key=_creation_order)
    if before is not None and after is not None:
        return [message for message in messages if after <= message["id"] < before][:1000]
    if before is not None:
        return [message for message in messages if message["id"] < before][-20:]
    if after is not None:
        return [message for message in messages if message["id"] > after][:100]
    return messages[-20:]


def _creation_order(message: JsonObject) -> Tuple[int, int]:
    created_at = message.get("created_at")
    return (created_at if isinstance(created_at, int) else 0, message["id"])
