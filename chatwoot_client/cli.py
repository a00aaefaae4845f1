"""The ``chatwoot-client`` command: a demo round trip against an embedded mock server, the messages of a
conversation (list, send, delete, export as JSON lines) and a mock server to test against.

It is built on the public API only (MessagesApi, ApiClient, Configuration, the exceptions). Exit status: 0 on
success, 1 when the server, the network or a file failed, 2 for a usage error. A failure prints one line on
stderr, without a traceback; the access token (and a password in --base-url) is masked in all it prints.

A refused connection is reported at once: the command keeps the SDK's retry policy but does not retry a
connection that could not be established (a person at a terminal learns more from an immediate "connection
refused" than from seconds of silent backoff, and a server that refuses connections rarely accepts them a
second later). Read errors, 429 and 502-504 are retried as the SDK does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, NoReturn, Optional, Sequence, TextIO, cast

from chatwoot_client import ApiClient, Configuration, ConversationMessageCreate, Message, MessagesApi, rest
from chatwoot_client import _cli_output as output
from chatwoot_client._version import __version__
from chatwoot_client.exceptions import ApiConnectionError, ApiException, ApiTypeError, ApiValueError

PROG = "chatwoot-client"
DISTRIBUTION = "chatwoot-messages-client"  # the distribution that ships this command (pyproject.toml's name)
PACKAGE = "chatwoot_client"  # the import name, which other distributions may install too
TOKEN_KEY = "api_access_token"  # the key of Configuration.api_key
EXIT_FAILURE = 1  # the server, the network or a file failed
EXIT_USAGE = 2  # the command line cannot work, as argparse exits
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
MAX_TIMEOUT = 86400.0  # seconds: a --timeout beyond a day is a typo, and every platform's clock can hold it
DEMO_ACCOUNT_ID = 1
DEMO_CONVERSATION_ID = 17
DEMO_QUESTION = "Hi! Where is my order #1042?"
DEMO_REPLY = "Hello from chatwoot-client! Your order ships today."
MESSAGE_STATUSES = ("sent", "delivered", "read", "failed")  # what messages update --status takes

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
    except SystemExit as exit_request:  # --help, --version or a usage error argparse has already reported
        code = exit_request.code  # argparse exits with an int: 0 for --help, EXIT_USAGE for a usage error
        return code if isinstance(code, int) else EXIT_USAGE
    if arguments.version is not None:
        arguments.handler = arguments.version
    elif arguments.command is None:
        return _usage_error(parser, "a command is required")
    forms = output.secret_forms(_secrets(arguments))
    with _masked_streams(forms):
        return _run(arguments)


def _usage_error(parser: _Parser, message: str) -> int:
    with contextlib.suppress(SystemExit):  # _Parser.error reports the line and exits with EXIT_USAGE
        parser.error(message)
    return EXIT_USAGE


def _run(arguments: argparse.Namespace) -> int:
    """Run the command's handler and turn every failure into one line on stderr and an exit status."""
    handler: Handler = arguments.handler
    try:
        return handler(arguments)
    except _UsageError as err:
        return _fail(err, EXIT_USAGE)
    except (ApiValueError, ApiTypeError) as err:  # the SDK refused an argument before any I/O
        return _fail(err, EXIT_USAGE)
    except ApiConnectionError as err:
        return _fail(err, EXIT_FAILURE, f"cannot reach {_shown_host(arguments)}: ")
    except ApiException as err:
        return _fail(err, EXIT_FAILURE)
    except BrokenPipeError as err:  # the reader of our output went away (`| head`): stop writing to it
        _silence_stdout()
        return _fail(err, EXIT_FAILURE, "output closed early: ")
    except OSError as err:
        return _fail(err, EXIT_FAILURE)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug or an answer nothing above foresaw: still one line, never a traceback
        return _fail(err, EXIT_FAILURE, f"unexpected {type(err).__name__}: ")


def _fail(error: BaseException, status: int, prefix: str = "") -> int:
    """Report a failure in one line on stderr; return its exit status."""
    try:
        text = str(error)
    except Exception:  # an exception whose str() fails still gets its line
        text = ""
    message = " ".join(text.split()) or type(error).__name__
    print(f"{PROG}: error: {prefix}{message}{_create_outcome(error)}", file=sys.stderr)
    return status


def _create_outcome(error: BaseException) -> str:
    """What a failed create's exception says about the message: its client message id and whether it was stored."""
    key = getattr(error, "client_message_id", None)
    if not isinstance(key, str):
        return ""
    stored = getattr(error, "stored", None)
    words = "yes" if stored is True else "no (safe to send again with the same id)" if stored is False else "unknown"
    return f" (client message id {key}; stored: {words})"


def _secrets(arguments: argparse.Namespace) -> List[Optional[str]]:
    """What the command must never print: the token it was given and a password in the base URL."""
    token = arguments.token if arguments.token is not None else os.environ.get("CHATWOOT_API_ACCESS_TOKEN")
    url = arguments.base_url if arguments.base_url is not None else os.environ.get("CHATWOOT_BASE_URL")
    return [token, _url_password(url)]


def _url_password(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    try:
        password = urllib.parse.urlsplit(url).password
    except ValueError:
        return None
    return password or None


@contextlib.contextmanager
def _masked_streams(forms: Sequence[str]) -> Iterator[None]:
    """Mask ``forms`` in all that is printed to stdout and stderr while the command runs."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, output.MaskedStream(stdout, forms))
    sys.stderr = cast(TextIO, output.MaskedStream(stderr, forms))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush cannot fail on a closed pipe."""
    with contextlib.suppress(Exception), open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), sys.stdout.fileno())


def _shown_host(arguments: argparse.Namespace) -> str:
    host = arguments.base_url or os.environ.get("CHATWOOT_BASE_URL") or Configuration().host
    return output.shown(host)


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
        message_id = created.id  # an int: the SDK refuses a created message without one

        listed = api.list_all_messages(account_id, conversation_id)
        say(f"2. List the conversation: GET {path}", *_indented(output.table(listed.payload or [])), "")

        api.delete_a_message(account_id, conversation_id, message_id)
        say(f"3. Delete message {message_id}: DELETE {path}/{message_id}", "   Deleted.\n")

        relisted = api.list_all_messages(account_id, conversation_id)
        say(f"4. List again: GET {path}", *_indented(output.table(relisted.payload or [])), "")

        deleted = next((message for message in relisted.payload or [] if message.id == message_id), None)
        if deleted is not None:
            say(
                f"Message {message_id} stays in the list, soft-deleted: its content is now {deleted.content!r}",
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
    if arguments.client_message_id is not None:
        options["client_message_id"] = arguments.client_message_id
    with _client(arguments) as client:
        created = MessagesApi(client).create_a_new_message_in_a_conversation(
            body, arguments.account_id, arguments.conversation_id, **options
        )
        if arguments.json:
            print(output.json_document(client.sanitize_for_serialization(created)))
        else:
            print(f"Created {output.describe(created)}")
    return 0


def _update(arguments: argparse.Namespace) -> int:
    """Set a message's delivery status (API inboxes only) and print the message."""
    body: Dict[str, Any] = {"status": arguments.status}
    if arguments.external_error is not None:
        body["external_error"] = arguments.external_error
    with _client(arguments) as client:
        updated = MessagesApi(client).update_a_message(
            body, arguments.account_id, arguments.conversation_id, arguments.message_id
        )
        if arguments.json:
            print(output.json_document(client.sanitize_for_serialization(updated)))
        else:
            print(f"Updated {output.describe_status(updated)}")
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
    if arguments.output is not None:
        _check_output_folder(arguments.output)
    with _client(arguments) as client:
        messages = MessagesApi(client).iter_all_messages(arguments.account_id, arguments.conversation_id)
        progress = output.Progress(sys.stderr, "Exported") if _show_progress(arguments.output) else None
        if arguments.output is None:
            _write_lines(client, messages, sys.stdout, progress)
            return 0
        count = _export_to_file(client, messages, arguments.output, progress)
    if arguments.json:
        print(output.json_document({"exported": count, "output": arguments.output}))
    else:
        print(f"Exported {count} message{'s' if count != 1 else ''} to {arguments.output}")
    return 0


def _show_progress(path: Optional[str]) -> bool:
    """Progress goes to stderr when it is a terminal, and not while the lines themselves go to that terminal
    (stdout a terminal too): there they would interleave with the JSON lines on the screen."""
    if not sys.stderr.isatty():
        return False
    return path is not None or not sys.stdout.isatty()


def _check_output_folder(path: str) -> None:
    """Refuse, before any request, an --output whose folder does not exist or is not a folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(folder):
        raise _UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.path.isdir(folder):
        raise _UsageError(f"cannot write {path}: {folder} is not a folder")
    if os.path.isdir(path):
        raise _UsageError(f"cannot write {path}: it is a folder; name a file in it")


def _mock_server(arguments: argparse.Namespace) -> int:
    """Serve a mock Chatwoot server until Ctrl-C, as ``python -m chatwoot_client.testing`` does."""
    from chatwoot_client.testing.__main__ import main as serve

    argv = ["--port", str(arguments.port)]
    if arguments.agent_bot_url is not None:
        argv += ["--agent-bot-url", arguments.agent_bot_url]
    return serve(argv)


def _version(arguments: argparse.Namespace) -> int:
    """Print the distribution and version; warn when another distribution installed files in this package."""
    print(_version_line())
    for name in _foreign_distributions(_package_folder()):
        print(
            f"{PROG}: warning: {name} has also installed files into {_package_folder()}; both install the "
            f"`{PACKAGE}` package, so each may break the other: pip uninstall both, then install only {DISTRIBUTION}",
            file=sys.stderr,
        )
    return 0


# -- helpers ----------------------------------------------------------------------------------------------------


def _client(arguments: argparse.Namespace) -> ApiClient:
    """An ApiClient from --base-url and --token, else CHATWOOT_BASE_URL and CHATWOOT_API_ACCESS_TOKEN, with
    --timeout and --retries, and no retry of a connection that could not be established (see the module's doc)."""
    configuration = Configuration.from_env()
    if arguments.base_url is not None:
        configuration.host = arguments.base_url
    if arguments.token is not None:
        configuration.api_key[TOKEN_KEY] = arguments.token
    if not configuration.api_key.get(TOKEN_KEY):
        raise _UsageError("no access token: pass --token or set CHATWOOT_API_ACCESS_TOKEN")
    if arguments.timeout is not None:
        configuration.timeout = arguments.timeout
    configuration.retries = rest._retry_policy(arguments.retries).new(connect=0)
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


def _version_line() -> str:
    """``chatwoot-client 1.0.0 (chatwoot-messages-client 1.0.0, Python 3.12.1)``, or says it runs from source."""
    from importlib import metadata

    try:
        installed = f"{DISTRIBUTION} {metadata.version(DISTRIBUTION)}"
    except metadata.PackageNotFoundError:
        installed = f"{DISTRIBUTION}, not installed: run from its source"
    return f"{PROG} {__version__} ({installed}, Python {platform.python_version()})"


def _package_folder() -> Path:
    """The folder the running chatwoot_client package was imported from."""
    return Path(__file__).resolve().parent


def _foreign_distributions(folder: Path, path: Optional[List[str]] = None) -> List[str]:
    """The names of installed distributions other than ours whose files (their RECORD) lie in ``folder``.

    :param path: where to look for distributions; ``sys.path`` when None
    """
    from importlib import metadata

    ours = _normalized(DISTRIBUTION)
    names = set()
    found = metadata.distributions() if path is None else metadata.distributions(path=path)
    for distribution in found:
        name = (distribution.metadata.get_all("Name") or [""])[0] or "?"  # [] on no Name warns from 3.12
        if _normalized(name) == ours:
            continue
        files = distribution.files or ()
        if any(
            file.parts[:1] == (PACKAGE,) and _inside(Path(str(distribution.locate_file(file))), folder)
            for file in files
        ):
            names.add(name)
    return sorted(names)


def _normalized(name: str) -> str:
    """A distribution's name as packaging compares names: case-folded, each run of ``-``, ``_`` and ``.`` one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _inside(file: Path, folder: Path) -> bool:
    try:
        file.resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


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


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0 and at most {MAX_TIMEOUT}, got {text!r}")
    return value


def _common_options(connection: bool, top: bool = False) -> _Parser:
    """The global options, also accepted after the command (``messages list ... --json``): --json, and with
    ``connection`` --base-url, --token, --timeout and --retries. Only the ``top`` parser's copy has defaults, so
    that an option given before the command is not reset by the command's parser (each call makes new actions:
    parsers given as parents share them)."""
    common = _Parser(add_help=False)
    hidden: Any = None if top else argparse.SUPPRESS
    common.add_argument(
        "--json", action="store_true", default=False if top else hidden, help="print machine-readable JSON"
    )
    if connection:
        common.add_argument(
            "--base-url",
            default=hidden,
            metavar="URL",
            help="the Chatwoot server (default: $CHATWOOT_BASE_URL, else https://app.chatwoot.com)",
        )
        common.add_argument(
            "--token",
            default=hidden,
            help="the API access token (default: $CHATWOOT_API_ACCESS_TOKEN, which keeps it out of the process list)",
        )
        common.add_argument(
            "--timeout",
            type=_seconds,
            default=hidden,
            metavar="SECONDS",
            help="connect and read timeout of each request (default: 10 to connect, 30 to read)",
        )
        common.add_argument(
            "--retries",
            type=_non_negative_int,
            default=hidden,
            metavar="N",
            help="retries of a request that failed safely, 0 for none (default: 3); never after a refused connection",
        )
    return common


def _build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Send, list, update, delete and export the messages of a Chatwoot conversation.",
        epilog="Exit status: 0 on success, 1 when the server, the network or a file failed, 2 for a usage error, "
        "130 when interrupted. The command line's reference: docs/CLI.md.",
        parents=[_common_options(connection=True, top=True)],
    )
    parser.add_argument(
        "--version",
        action="store_const",
        const=_version,
        dest="version",
        help="print the version and the distribution; warn when another one shares the package's folder",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="send, list and delete a message on an embedded mock server",
        parents=[_common_options(connection=False)],
    )
    demo.set_defaults(handler=_demo)
    mock = commands.add_parser("mock-server", help="serve a mock Chatwoot server on 127.0.0.1 until Ctrl-C")
    mock.add_argument("--port", type=_port, default=0, help="the port to listen on (default: a free one)")
    mock.add_argument(
        "--agent-bot-url", metavar="URL", help="post the agent bot's webhooks (signed) to URL, as Chatwoot does"
    )
    mock.set_defaults(handler=_mock_server)

    messages = commands.add_parser("messages", help="the messages of a conversation")
    actions = messages.add_subparsers(metavar="ACTION", required=True)
    common = [_common_options(connection=True)]
    listing = _conversation_parser(
        actions, "list", "print a page of messages (the newest 20 by default)", _list, common
    )
    listing.add_argument("--before", type=_positive_int, metavar="ID", help="the 20 newest with a lower id")
    listing.add_argument("--after", type=_non_negative_int, metavar="ID", help="the 100 oldest with a higher id")
    send = _conversation_parser(actions, "send", "send a message", _send, common)
    send.add_argument("--content", metavar="TEXT", help="the text (may be left out when files are attached)")
    send.add_argument("--private", action="store_true", help="a private note, not shown to the contact")
    send.add_argument("--incoming", action="store_true", help="as if from the contact (API inboxes only)")
    send.add_argument("--attach", action="append", metavar="FILE", help="attach a file (repeat for more, up to 15)")
    send.add_argument(
        "--client-message-id",
        metavar="KEY",
        help="your id for this message (1-64 of A-Za-z0-9._:-): sending again with the same KEY sends it once",
    )
    update = _conversation_parser(
        actions, "update", "set a message's delivery status (API inboxes only)", _update, common
    )
    update.add_argument("--message-id", type=_positive_int, required=True, metavar="ID", help="the message to update")
    update.add_argument("--status", required=True, choices=MESSAGE_STATUSES, help="the new delivery status")
    update.add_argument("--external-error", metavar="TEXT", help="why delivery failed (with --status failed)")
    delete = _conversation_parser(actions, "delete", "delete a message (its content is replaced)", _delete, common)
    delete.add_argument("--message-id", type=_positive_int, required=True, metavar="ID", help="the message to delete")
    export = _conversation_parser(actions, "export", "write every message as JSON lines, oldest first", _export, common)
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout (its folder must exist)")
    return parser


def _conversation_parser(
    actions: Any, name: str, summary: str, handler: Handler, parents: Sequence[argparse.ArgumentParser]
) -> argparse.ArgumentParser:
    """A messages subcommand with the --account-id and --conversation-id every one of them needs."""
    action: argparse.ArgumentParser = actions.add_parser(name, help=summary, description=summary, parents=parents)
    action.add_argument("--account-id", type=_positive_int, required=True, metavar="ID", help="the account's id")
    action.add_argument(
        "--conversation-id",
        type=_positive_int,
        required=True,
        metavar="ID",
        help="the conversation's id as the web app shows it (its display id)",
    )
    action.set_defaults(handler=handler)
    return action


__all__ = ["main"]
