"""Send a message to a conversation, then show the conversation's newest messages.

The server and token come from the environment::

    CHATWOOT_BASE_URL=https://chat.example.com CHATWOOT_API_ACCESS_TOKEN=<token> \\
    python examples/send_message.py ACCOUNT_ID CONVERSATION_ID "Hello"

A user's token (an agent's) sends and lists. An agent bot's token may create messages but not list them: the
message is sent all the same, and the script says on stderr why the list cannot be shown. To try it without a
Chatwoot server, start ``chatwoot-client mock-server`` and use the url and a token it prints (account 1,
conversation 17). Exit status: 0 once the message is sent, 1 if it was not, 2 for a usage error.
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
        except (ApiException, chatwoot_client.ApiValueError) as error:  # a server error, or no token set
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"Sent message {created.id}.")  # sent: whatever the list answers, sending again would duplicate it
        try:
            page = api.list_all_messages(account_id, conversation_id)
        except ApiException as error:  # an agent bot's token may create but not list: a 401 here
            print(f"The newest messages cannot be shown: {error}", file=sys.stderr)
            return 0
    print("The newest messages:")
    for message in page.payload or []:
        print(f"  {message.id}: {message.content}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
