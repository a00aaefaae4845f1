"""MessageStatusUpdate: the body of a message status update."""

from __future__ import annotations

from typing import Optional

from chatwoot_client.exceptions import ApiValueError
from chatwoot_client.models.base import Model


class MessageStatusUpdate(Model):
    """A delivery status to set on a message (API inboxes only), and why delivery failed.

    ``external_error`` is kept by the server only with status ``failed`` (it stores null for any other status),
    so the SDK refuses it with another status before any I/O rather than send a field the server would drop.
    """

    openapi_types = {"status": "str", "external_error": "str"}
    attribute_map = {key: key for key in openapi_types}
    allowed_values = {"status": ("sent", "delivered", "read", "failed")}
    required_fields = ("status",)

    status: Optional[str] = None
    external_error: Optional[str] = None

    def _check_request(self, path: str) -> None:
        """After the field checks: status is required, and external_error goes only with status 'failed'."""
        if self.status is None:
            raise ApiValueError(f"{path}.status is required: one of {list(self.allowed_values['status'])}")
        if self.external_error is not None and self.status != "failed":
            raise ApiValueError(f"{path}.external_error is kept only with status 'failed', got status {self.status!r}")


__all__ = ["MessageStatusUpdate"]
