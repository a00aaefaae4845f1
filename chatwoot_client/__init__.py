"""chatwoot_client: a Python SDK for Chatwoot's Messages API.

Create, list and delete the messages of a conversation with typed models, safe retries and a token that never
leaves its origin. ``chatwoot_client.testing`` holds a mock server for tests; ``chatwoot_client.webhooks`` checks
and reads the webhooks Chatwoot sends to agent bots.
"""

from __future__ import annotations

import logging

from chatwoot_client._version import __version__
from chatwoot_client.api.messages_api import MessagesApi
from chatwoot_client.api_client import ApiClient
from chatwoot_client.configuration import Configuration
from chatwoot_client.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from chatwoot_client.models import (
    Attachment,
    ConversationMessageCreate,
    InlineResponse2005,
    Message,
    MessageList,
    MessageListMeta,
    MessageStatusUpdate,
    Sender,
    TemplateParams,
)

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "ApiClient",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "Attachment",
    "BadRequestException",
    "Configuration",
    "ConversationMessageCreate",
    "ForbiddenException",
    "InlineResponse2005",
    "Message",
    "MessageList",
    "MessageListMeta",
    "MessageStatusUpdate",
    "MessagesApi",
    "NotFoundException",
    "OpenApiException",
    "Sender",
    "ServiceException",
    "TemplateParams",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
]
