"""The webhook signature Chatwoot sends: HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the secret.

Shared by ``webhooks`` (checking) and ``testing`` (signing), so both speak the same scheme.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Union


def compute_signature(secret: Union[str, bytes], body: Union[bytes, str], timestamp: Union[int, str]) -> str:
    """Return the ``X-Chatwoot-Signature`` value, ``"sha256=<hex>"``, for a body sent at a unix timestamp."""
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    raw_body = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    signed = str(timestamp).encode("utf-8") + b"." + raw_body
    return "sha256=" + hmac.new(key, signed, hashlib.sha256).hexdigest()
