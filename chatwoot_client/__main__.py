"""``python -m chatwoot_client``: the ``chatwoot-client`` command line."""

from __future__ import annotations

import sys

from chatwoot_client.cli import main

if __name__ == "__main__":
    sys.exit(main())
