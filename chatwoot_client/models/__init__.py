"""The models of the Messages API."""

from __future__ import annotations

from chatwoot_client.models.attachment import Attachment
from chatwoot_client.models.conversation_message_create import ConversationMessageCreate
from chatwoot_client.models.inline_response2005 import InlineResponse2005
from chatwoot_client.models.message import Message
from chatwoot_client.models.message_list import MessageList
from chatwoot_client.models.message_list_meta import MessageListMeta
from chatwoot_client.models.message_status_update import MessageStatusUpdate
from chatwoot_client.models.sender import Sender
from chatwoot_client.models.template_params import TemplateParams

__all__ = [
    "Attachment",
    "ConversationMessageCreate",
    "InlineResponse2005",
    "Message",
    "MessageList",
    "MessageListMeta",
    "MessageStatusUpdate",
    "Sender",
    "TemplateParams",
]
