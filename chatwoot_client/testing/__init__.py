"""Testing helpers: ``MockChatwootServer``, a stateful Chatwoot stand-in on 127.0.0.1, and ``sign_webhook``.

Nothing in the client imports this package; import it in your tests::

    from chatwoot_client.testing import MockChatwootServer, sign_webhook

Run ``python -m chatwoot_client.testing [--port N] [--agent-bot-url URL]`` to serve one from the command line.
docs/mock-fidelity.md lists the server rules it follows, each with its test, and the few it does not.
"""

from __future__ import annotations

from chatwoot_client.testing._records import RecordedRequest
from chatwoot_client.testing._webhook import sign_webhook
from chatwoot_client.testing.server import MockChatwootServer

__all__ = ["MockChatwootServer", "RecordedRequest", "sign_webhook"]
