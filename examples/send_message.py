"""Send a message to a conversation and show the conversation's newest messages.

The server and token come from the environment::

    CHATWOOT_BASE_URL=https://chat.example.com CHATWOOT_API_ACCESS_TOKEN=<token> \\
    python examples/send_message.py ACCOUNT_ID CONVERSATION_ID "Hello"
"""

from __future__ import annotations

import sys
from typing import List, Optional

import chatwoot_client
from chatwoot_client.rest import ApiException


def main(argv: Optional[List[str]] = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 3 or not arguments[0].isdigit() or not arguments[1].isdigit():
        print("usage: send_message.py ACCOUNT_ID CONVERSATION_ID TEXT", file=sys.stderr)
        return 2
    account_id, conversation_id, text = int(arguments[0]), int(arguments[1]), arguments[2]

    configuration = chatwoot_client.Configuration.from_env()
    with chatwoot_client.ApiClient(configuration) as api_client:
        api = chatwoot_client.MessagesApi(api_client)
        body = chatwoot_client.ConversationMessageCreate()
        body.content = text
        try:
            created = api.create_a_new_message_in_a_conversation(body, account_id, conversation_id)
            page = api.list_all_messages(account_id, conversation_id)
        except (ApiException, chatwoot_client.ApiValueError) as error:  # a server error, or no token set
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"Sent message {created.id}. The newest messages:")
    for message in page.payload or []:
        print(f"  {message.id}: {message.content}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
