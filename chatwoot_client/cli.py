"""The ``chatwoot-client`` command: a demo round trip against an embedded mock server, the messages of a
conversation (list, send, delete, export as JSON lines) and a mock server to test against.

It is built on the public API only (MessagesApi, ApiClient, Configuration, the exceptions). Exit status: 0 on
success, 1 when the server, the network or a file failed, 2 for a usage error. A failure prints one line on
stderr, without a traceback and never with the access token.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from typing import Any, Callable, Dict, Iterable, List, NoReturn, Optional, TextIO

from chatwoot_client import ApiClient, Configuration, ConversationMessageCreate, Message, MessagesApi
from chatwoot_client import _cli_output as output
from chatwoot_client.exceptions import ApiException, ApiTypeError, ApiValueError

PROG = "chatwoot-client"
TOKEN_KEY = "api_access_token"  # the key of Configuration.api_key
EXIT_FAILURE = 1  # the server, the network or a file failed
EXIT_USAGE = 2  # the command line cannot work, as argparse exits
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
DEMO_ACCOUNT_ID = 1
DEMO_CONVERSATION_ID = 17
DEMO_QUESTION = "Hi! Where is my order #1042?"
DEMO_REPLY = "Hello from chatwoot-client! Your order ships today."

Handler = Callable[[argparse.Namespace], int]


class _UsageError(Exception):
    """A command line that parses but cannot work, such as one without a token."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports a usage error in one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line ``argv`` (``sys.argv[1:]`` when None) and return its exit status."""
    parser = _build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, or a usage error argparse has already reported
        code = exit_request.code
        return code if isinstance(code, int) else EXIT_USAGE if code else 0
    handler: Handler = arguments.handler
    try:
        return handler(arguments)
    except _UsageError as err:
        return _fail(err, EXIT_USAGE)
    except (ApiValueError, ApiTypeError) as err:  # the SDK refused an argument before any I/O
        return _fail(err, EXIT_USAGE)
    except (ApiException, OSError) as err:
        return _fail(err, EXIT_FAILURE)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _fail(error: BaseException, status: int) -> int:
    """Report a failure in one line on stderr; return its exit status."""
    message = " ".join(str(error).split()) or type(error).__name__
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


# -- commands ---------------------------------------------------------------------------------------------------


def _demo(arguments: argparse.Namespace) -> int:
    """Send, list, delete and list again against an embedded mock server, printing each step."""
    from chatwoot_client.testing import MockChatwootServer  # only the demo needs the mock server

    say = _printer(not arguments.json)
    account_id, conversation_id = DEMO_ACCOUNT_ID, DEMO_CONVERSATION_ID
    path = f"/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages"
    with MockChatwootServer() as server, ApiClient(_demo_configuration(server.url, server.user_token)) as client:
        api = MessagesApi(client)
        server.add_message(account_id, conversation_id, DEMO_QUESTION, "incoming")
        say(f"Started a mock Chatwoot server at {server.url}")
        say(f"Account {account_id}, conversation {conversation_id} holds one message from the contact.\n")

        created = api.create_a_new_message_in_a_conversation(
            ConversationMessageCreate(content=DEMO_REPLY), account_id, conversation_id
        )
        say(f"1. Send a message: POST {path}", f"   Created {output.describe(created)}\n")
        if not isinstance(created.id, int):
            raise ApiException(200, f"Invalid response body: the created message has no id ({created.id!r})")

        listed = api.list_all_messages(account_id, conversation_id)
        say(f"2. List the conversation: GET {path}", *_indented(output.table(listed.payload or [])), "")

        api.delete_a_message(account_id, conversation_id, created.id)
        say(f"3. Delete message {created.id}: DELETE {path}/{created.id}", "   Deleted.\n")

        relisted = api.list_all_messages(account_id, conversation_id)
        say(f"4. List again: GET {path}", *_indented(output.table(relisted.payload or [])), "")

        deleted = next((message for message in relisted.payload or [] if message.id == created.id), None)
        if deleted is not None:
            say(
                f"Message {created.id} stays in the list, soft-deleted: its content is now {deleted.content!r}",
                f"and its content_attributes are {json.dumps(deleted.content_attributes)}.",
            )
        document = {"server_url": server.url, "created": created, "listed": listed, "relisted": relisted}
        report = client.sanitize_for_serialization(document)
    say("The mock server has stopped.")
    if arguments.json:
        print(output.json_document(report))
    return 0


def _list(arguments: argparse.Namespace) -> int:
    """Print a page of the conversation's messages."""
    with _client(arguments) as client:
        page = MessagesApi(client).list_all_messages(
            arguments.account_id, arguments.conversation_id, before=arguments.before, after=arguments.after
        )
        if arguments.json:
            print(output.json_document(client.sanitize_for_serialization(page)))
        else:
            print("\n".join(output.table(page.payload or [])))
    return 0


def _send(arguments: argparse.Namespace) -> int:
    """Create a message and print it."""
    if arguments.content is None and not arguments.attach:
        raise _UsageError("messages send needs --content, --attach or both")
    body = ConversationMessageCreate(content=arguments.content)
    if arguments.incoming:
        body.message_type = "incoming"
    if arguments.private:
        body.private = True
    options: Dict[str, Any] = {"attachments": arguments.attach} if arguments.attach else {}
    with _client(arguments) as client:
        created = MessagesApi(client).create_a_new_message_in_a_conversation(
            body, arguments.account_id, arguments.conversation_id, **options
        )
        if arguments.json:
            print(output.json_document(client.sanitize_for_serialization(created)))
        else:
            print(f"Created {output.describe(created)}")
    return 0


def _delete(arguments: argparse.Namespace) -> int:
    """Soft-delete a message."""
    with _client(arguments) as client:
        MessagesApi(client).delete_a_message(arguments.account_id, arguments.conversation_id, arguments.message_id)
    if arguments.json:
        keys = ("account_id", "conversation_id", "message_id")
        print(output.json_document({**{key: getattr(arguments, key) for key in keys}, "deleted": True}))
    else:
        print(f"Deleted message {arguments.message_id} of conversation {arguments.conversation_id}.")
    return 0


def _export(arguments: argparse.Namespace) -> int:
    """Write every message of the conversation as JSON lines, oldest first, to a file or stdout."""
    with _client(arguments) as client:
        messages = MessagesApi(client).iter_all_messages(arguments.account_id, arguments.conversation_id)
        progress = output.Progress(sys.stderr, "Exported") if sys.stderr.isatty() else None
        if arguments.output is None:
            _write_lines(client, messages, sys.stdout, progress)
            return 0
        count = _export_to_file(client, messages, arguments.output, progress)
    if arguments.json:
        print(output.json_document({"exported": count, "output": arguments.output}))
    else:
        print(f"Exported {count} message{'s' if count != 1 else ''} to {arguments.output}")
    return 0


def _mock_server(arguments: argparse.Namespace) -> int:
    """Serve a mock Chatwoot server until Ctrl-C, as ``python -m chatwoot_client.testing`` does."""
    from chatwoot_client.testing.__main__ import main as serve

    return serve(["--port", str(arguments.port)])


# -- helpers ----------------------------------------------------------------------------------------------------


def _client(arguments: argparse.Namespace) -> ApiClient:
    """An ApiClient from --base-url and --token, else CHATWOOT_BASE_URL and CHATWOOT_API_ACCESS_TOKEN."""
    configuration = Configuration.from_env()
    if arguments.base_url is not None:
        configuration.host = arguments.base_url
    if arguments.token is not None:
        configuration.api_key[TOKEN_KEY] = arguments.token
    if not configuration.api_key.get(TOKEN_KEY):
        raise _UsageError("no access token: pass --token or set CHATWOOT_API_ACCESS_TOKEN")
    return ApiClient(configuration)


def _demo_configuration(url: str, token: str) -> Configuration:
    configuration = Configuration(host=url)
    configuration.api_key[TOKEN_KEY] = token
    return configuration


def _printer(enabled: bool) -> Callable[..., None]:
    """print() for each line given when ``enabled``, else nothing (--json prints one document instead)."""

    def say(*lines: str) -> None:
        if enabled:
            print("\n".join(lines))

    return say


def _indented(lines: Iterable[str]) -> List[str]:
    return ["   " + line for line in lines]


def _write_lines(
    client: ApiClient, messages: Iterable[Message], stream: TextIO, progress: Optional[output.Progress]
) -> int:
    """Write each message as a JSON line; return how many there were."""
    count = 0
    for message in messages:
        stream.write(output.json_line(client.sanitize_for_serialization(message)))
        count += 1
        if progress is not None:
            progress.update(count)
    stream.flush()
    if progress is not None:
        progress.finish(count)
    return count


def _export_to_file(
    client: ApiClient, messages: Iterable[Message], path: str, progress: Optional[output.Progress]
) -> int:
    """Export into a temporary file beside ``path``, renamed over it only once every message is written."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=".chatwoot-export-", suffix=".tmp", dir=os.path.dirname(path) or "."
    )
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            count = _write_lines(client, messages, stream, progress)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # a failed export must not leave a partial file that looks complete
        raise
    return count


def _non_negative_int(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}")
    return int(text)


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return int(text)


def _build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Send, list, delete and export the messages of a Chatwoot conversation.",
        epilog="Exit status: 0 on success, 1 when the server, the network or a file failed, 2 for a usage error.",
    )
    parser.add_argument("--base-url", help="the Chatwoot server (default: $CHATWOOT_BASE_URL, else app.chatwoot.com)")
    parser.add_argument("--token", help="the API access token (default: $CHATWOOT_API_ACCESS_TOKEN, which is safer)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="send, list and delete a message on an embedded mock server")
    demo.set_defaults(handler=_demo)
    mock = commands.add_parser("mock-server", help="serve a mock Chatwoot server on 127.0.0.1 until Ctrl-C")
    mock.add_argument("--port", type=_port, default=0, help="the port to listen on (default: a free one)")
    mock.set_defaults(handler=_mock_server)

    messages = commands.add_parser("messages", help="the messages of a conversation")
    actions = messages.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = _conversation_parser(actions, "list", "print a page of messages (the newest 20 by default)", _list)
    listing.add_argument("--before", type=_positive_int, metavar="ID", help="the 20 newest with a lower id")
    listing.add_argument("--after", type=_non_negative_int, metavar="ID", help="the 100 oldest with a higher id")
    send = _conversation_parser(actions, "send", "send a message", _send)
    send.add_argument("--content", metavar="TEXT", help="the text (may be left out when files are attached)")
    send.add_argument("--private", action="store_true", help="a private note, not shown to the contact")
    send.add_argument("--incoming", action="store_true", help="as if from the contact (API inboxes only)")
    send.add_argument("--attach", action="append", metavar="FILE", help="attach a file (repeat for more, up to 15)")
    delete = _conversation_parser(actions, "delete", "delete a message (its content is replaced)", _delete)
    delete.add_argument("--message-id", type=_positive_int, required=True, metavar="ID")
    export = _conversation_parser(actions, "export", "write every message as JSON lines, oldest first", _export)
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser


def _conversation_parser(actions: Any, name: str, summary: str, handler: Handler) -> argparse.ArgumentParser:
    """A messages subcommand with the --account-id and --conversation-id every one of them needs."""
    action: argparse.ArgumentParser = actions.add_parser(name, help=summary, description=summary)
    action.add_argument("--account-id", type=_positive_int, required=True, metavar="ID")
    action.add_argument("--conversation-id", type=_positive_int, required=True, metavar="ID")
    action.set_defaults(handler=handler)
    return action
