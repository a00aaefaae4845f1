"""Values the tests share: the mock server's seeded ids, the path they make, answers a scripted server gives, and
one webhook delivery with its signature computed by openssl (not by the SDK, which could share a mistake with the
mock that signs)."""

from __future__ import annotations

ACCOUNT_ID = 1
API_CONVERSATION_ID = 17  # the seeded conversation of the API inbox
WIDGET_CONVERSATION_ID = 18  # the seeded conversation of the website inbox
MESSAGES_PATH = f"/api/v1/accounts/{ACCOUNT_ID}/conversations/{API_CONVERSATION_ID}/messages"

EMPTY_PAGE = b'{"meta": {}, "payload": []}'  # a list answer with no messages
CREATED_MESSAGE = b'{"id": 9, "content": "hi", "message_type": 1, "conversation_id": 17}'  # a create's answer

WEBHOOK_SECRET = "bot-secret"
WEBHOOK_TIMESTAMP = 1_800_000_000
WEBHOOK_BODY = b'{"event":"message_created","id":1,"content":"Hi"}'
# printf '%s' '1800000000.{"event":"message_created","id":1,"content":"Hi"}' | openssl dgst -sha256 -hmac 'bot-secret'
WEBHOOK_BODY_HEX = "116f9ef9418e22ddd600251ee18028c1e8703a05b21ab6591ccfbb019a00ae1c"
WEBHOOK_SIGNATURE = f"sha256={WEBHOOK_BODY_HEX}"
