"""Every `putright ...` command in README.md works as written, run the way an operator runs it.

The commands are read from the README's code blocks (a line whose first word is `putright` or
`.venv/bin/putright`, its trailing comment removed), in the README's order, and each is run as its own
process of the installed `putright` script against a scratch database (a SQLite file) and a scratch
PUTRIGHT_VAR_DIR. The environment is the test's own, less every variable the README's configuration
table names: no SECRET_KEY and no DEBUG, as on an operator's server, except where a README block
exports a variable before its commands.

A comment that states a result is held to it: `# exit 1: ...` is the exit status expected (0
otherwise), and a comment that starts with a date or a number is what the command must print.

A command that cannot run as written here is in SPECIAL below with the reason and what is run
instead; a command the README drops or changes must be dropped or changed there too, or the test fails.
"""

from __future__ import annotations

import json
import os
import queue
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from putright.rules.calendar import packaged_govuk_data
from tests.conftest import REPOSITORY

README = REPOSITORY / "README.md"
COMMAND_SECONDS = 120
START_SECONDS = 60


@dataclass(frozen=True)
class ReadmeCommand:
    line: int
    written: str  # as in the README, less its comment
    comment: str
    exports: tuple[tuple[str, str], ...]  # `export NAME=VALUE` lines before it in its block

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.written)

    @property
    def expected_status(self) -> int:
        stated = re.match(r"exit (\d+)\b", self.comment)
        return int(stated.group(1)) if stated else 0

    @property
    def expected_output(self) -> str | None:
        stated = re.match(r"(\d{4}-\d{2}-\d{2}|\d+)(?::|$)", self.comment)
        return stated.group(1) if stated else None


def readme_commands(text: str) -> list[ReadmeCommand]:
    found = []
    in_block = False
    exports: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_block, exports = not in_block, []
            continue
        if not in_block:
            continue
        if export := re.match(r"export (\w+)=(.*)$", line):
            exports.append((export.group(1), export.group(2)))
            continue
        words = line.split()
        if not words or not (words[0] == "putright" or words[0].endswith("/putright")):
            continue
        written, _, comment = re.split(r"(\s+#\s*)", line, maxsplit=1) if " #" in line else (line, "", "")
        found.append(ReadmeCommand(number, written.strip(), comment.strip(), tuple(exports)))
    return found


def configuration_variables(text: str) -> set[str]:
    """Every variable the README's configuration table names (`EMAIL_HOST`, `EMAIL_PORT` and so on)."""
    names = set()
    for row in re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|", text, flags=re.MULTILINE):
        names.update(re.findall(r"`([A-Z_]+)`", row))
    return names


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Scratch:
    """A scratch installation: its folder, its environment and what earlier commands left behind."""

    folder: Path
    env: dict[str, str]
    script: str
    failures: list[str] = field(default_factory=list)
    token_prefix: str = ""

    def environment(self, command: ReadmeCommand) -> dict[str, str]:
        env = dict(self.env)
        for name, value in command.exports:
            if name == "DATABASE_URL":
                continue  # the scratch SQLite database stands in for the README's PostgreSQL
            # As the shell reads it: quotes, and the README's recipe for a secret key, `$(python3 -c ...)`.
            env[name] = subprocess.run(  # noqa: S603 - the README's own line
                ["/bin/sh", "-c", f"printf %s {value}"], capture_output=True, text=True, check=True
            ).stdout
        return env

    def run(
        self, argv: list[str], env: dict[str, str] | None = None, timeout: float = COMMAND_SECONDS
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - the installed putright script and the README's arguments
            [self.script, *argv[1:]],
            env=env or self.env,
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def fail(self, command: ReadmeCommand, problem: str) -> None:
        self.failures.append(f"README.md line {command.line}: `{command.written}`: {problem}")


def check_result(
    scratch: Scratch, command: ReadmeCommand, result: subprocess.CompletedProcess[str], status: int | None = None
) -> None:
    expected = command.expected_status if status is None else status
    if result.returncode != expected:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        scratch.fail(command, f"exit status {result.returncode}, not {expected}: " + " | ".join(tail))
    elif "Traceback (most recent call last)" in result.stderr:
        scratch.fail(command, "printed a traceback: " + result.stderr.strip().splitlines()[-1])
    elif command.expected_output is not None and result.stdout.strip() != command.expected_output:
        scratch.fail(command, f"printed {result.stdout.strip()!r}, the README says {command.expected_output!r}")


# -- the commands that need more than running them ------------------------------------------------


def run_as_written(scratch: Scratch, command: ReadmeCommand) -> None:
    check_result(scratch, command, scratch.run(command.argv, scratch.environment(command)))


def create_superuser_in_a_terminal(scratch: Scratch, command: ReadmeCommand) -> None:
    """createsuperuser asks its questions on a terminal: a pseudo-terminal answers them."""
    answers = [
        ("Username", "operator"),
        ("Email address", "operator@example.org"),
        ("Password:", "a long passphrase for the scratch operator"),
        ("Password (again)", "a long passphrase for the scratch operator"),
    ]
    main, terminal = os.openpty()
    process = subprocess.Popen(  # noqa: S603 - the installed putright script
        [scratch.script, *command.argv[1:]],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=scratch.environment(command),
        cwd=REPOSITORY,
        start_new_session=True,
    )
    os.close(terminal)
    transcript = since_answer = ""
    deadline = time.monotonic() + COMMAND_SECONDS
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(main, 4096).decode(errors="replace")
            except OSError:  # the terminal closes when the command ends
                break
            transcript += chunk
            since_answer += chunk
            if answers and answers[0][0] in since_answer:
                os.write(main, (answers.pop(0)[1] + "\n").encode())
                since_answer = ""
        status = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        os.close(main)
        if process.poll() is None:
            process.kill()
            process.wait()
    if status != 0 or "Superuser created successfully." not in transcript:
        scratch.fail(command, f"exit status {status}; the terminal showed: {transcript[-300:]!r}")


class StaticReferences(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


@dataclass
class Running:
    """A command that runs until stopped, and the lines it has printed so far (read by a thread, so
    that waiting for a line never blocks on output already taken from the pipe)."""

    process: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    output: list[str] = field(default_factory=list)

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_line(self, words: str) -> bool:
        """Whether it says `words` on a line before it ends or takes too long to."""
        deadline = time.monotonic() + START_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            if words in line:
                return True
        return False

    def said(self) -> str:
        return "".join(self.output)[-400:]


@contextmanager
def started(scratch: Scratch, argv: list[str], env: dict[str, str]) -> Iterator[Running]:
    """Start a command that runs until stopped; stop it (SIGTERM to its process group) afterwards."""
    process = subprocess.Popen(  # noqa: S603 - the installed putright script and the README's arguments
        [scratch.script, *argv[1:]],
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = Running(process)
    reader = threading.Thread(target=running.read, daemon=True)
    reader.start()
    try:
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(timeout=10)


def get(url: str, host: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return 0, b""


def serve_and_read_pages(scratch: Scratch, command: ReadmeCommand) -> None:
    """The web server runs until stopped: start it on a free loopback port (8000, or any address the
    README gives, may be in use here), read the health check, the API's documentation page and every
    file that page asks for, then stop it."""
    env = scratch.environment(command)
    if "SECRET_KEY" not in env:
        # Serving needs SECRET_KEY, or DEBUG on a development machine: a line with no key exported
        # before it runs as `make run` runs it, with DEBUG (the development server).
        env["DEBUG"] = "true"
    port = free_port()
    argv = [word if not re.fullmatch(r"[\d.]+:\d+", word) else f"127.0.0.1:{port}" for word in command.argv]
    host = env.get("ALLOWED_HOSTS", "127.0.0.1").split(",")[0]
    base = f"http://127.0.0.1:{port}"
    with started(scratch, argv, env) as running:
        deadline = time.monotonic() + START_SECONDS
        while get(base + "/healthz", host)[0] != 200:
            if running.process.poll() is not None or time.monotonic() > deadline:
                scratch.fail(command, f"never answered /healthz: {running.said()!r}")
                return
            time.sleep(0.5)
        status, page = get(base + "/api/v1/docs", host)
        references = StaticReferences()
        references.feed(page.decode())
        if status != 200 or not references.urls:
            scratch.fail(command, f"/api/v1/docs answered {status} with {len(references.urls)} files")
        for url in references.urls:
            if not url.startswith("/") or url.startswith("//"):
                scratch.fail(command, f"/api/v1/docs asks another host for {url}")
            elif (answer := get(base + url, host)[0]) != 200:
                scratch.fail(command, f"/api/v1/docs asks for {url}, which answers {answer}")


def stop_once_started(words: str) -> Callable[[Scratch, ReadmeCommand], None]:
    """A command that runs until SIGTERM (the worker): start it, wait until it says `words`, stop it
    with SIGTERM as a service manager would, and it must stop cleanly (status 0)."""

    def handle(scratch: Scratch, command: ReadmeCommand) -> None:
        with started(scratch, command.argv, scratch.environment(command)) as running:
            if not running.wait_for_line(words):
                scratch.fail(command, f"never said {words!r}: {running.said()!r}")
                return
            # It says so just before it takes over SIGTERM: a moment later the signal is its own.
            time.sleep(1)
            os.killpg(running.process.pid, signal.SIGTERM)
            status = running.process.wait(timeout=60)
            if status != 0:
                scratch.fail(command, f"stopped with status {status}: {running.said()!r}")

    return handle


def listen_and_answer_smtp(scratch: Scratch, command: ReadmeCommand) -> None:
    """The SMTP listener runs until stopped: on a free loopback port (2525 may be in use here), it
    must greet an SMTP client; then it is stopped."""
    import smtplib

    port = free_port()
    argv = [f"127.0.0.1:{port}" if word == "127.0.0.1:2525" else word for word in command.argv]
    with started(scratch, argv, scratch.environment(command)) as running:
        if not running.wait_for_line("Taking email over SMTP"):
            scratch.fail(command, f"never started listening: {running.said()!r}")
            return
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            code, _ = client.ehlo()
            if code != 250:
                scratch.fail(command, f"answered EHLO with {code}")


def fetch_from_a_scratch_maildir(scratch: Scratch, command: ReadmeCommand) -> None:
    """/var/mail/complaints is not here: a scratch Maildir with one message stands in for it."""
    maildir = scratch.folder / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    (maildir / "new" / "1.eml").write_bytes(
        b"From: resident@example.net\r\nTo: complaints@putright.localhost\r\nSubject: My repair\r\n"
        b"Message-ID: <readme-1@example.net>\r\n\r\nThe boiler is still broken.\r\n"
    )
    argv = [str(maildir) if word == "/var/mail/complaints" else word for word in command.argv]
    result = scratch.run(argv)
    check_result(scratch, command, result)
    if not result.stdout.startswith("1 message:"):
        scratch.fail(command, f"did not take the message in: {result.stdout.strip()!r}")


def fetch_from_no_imap_server(scratch: Scratch, command: ReadmeCommand) -> None:
    """mail.example.org is not a real server, and this machine may reach no network: the same URL
    pointed at a loopback port where nothing listens must get as far as connecting, and say in one
    line that it could not (tests/test_mail_fetch.py fetches from a real dovecot where one is installed)."""
    port = free_port()
    argv = [word.replace("mail.example.org", f"127.0.0.1:{port}") for word in command.argv]
    result = scratch.run(argv)
    check_result(scratch, command, result, status=1)
    if f"could not connect to the IMAP server at 127.0.0.1:{port}" not in result.stderr:
        scratch.fail(command, f"did not say it could not connect: {result.stderr.strip()!r}")


def refresh_from_a_local_server(scratch: Scratch, command: ReadmeCommand) -> None:
    """GOV.UK is not reachable from every test machine: a server on loopback, named by
    BANK_HOLIDAYS_URL (README), serves GOV.UK's file as the govuk-bank-holidays package ships it."""
    body = json.dumps(packaged_govuk_data()).encode()

    class GovUk(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), GovUk)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/bank-holidays.json"
        result = scratch.run(command.argv, {**scratch.environment(command), "BANK_HOLIDAYS_URL": url})
    finally:
        server.shutdown()
        server.server_close()
    check_result(scratch, command, result)
    if not (scratch.folder / "bank-holidays.json").exists():
        scratch.fail(command, "saved no bank-holidays.json under PUTRIGHT_VAR_DIR")


def load_a_smaller_demo(scratch: Scratch, command: ReadmeCommand) -> None:
    """The whole demonstration (about 600 complaints) is tests/test_demo.py's subject and takes
    minutes here; the same command with --complaints 0 makes the landlords, policies, staff and
    administrator the later commands use."""
    check_result(scratch, command, scratch.run([*command.argv, "--complaints", "0"]))


def list_failed_email(scratch: Scratch, command: ReadmeCommand) -> None:
    """Nothing has failed in a scratch installation, and `outbox retry 42` needs message 42 to have
    failed: the state is made first (as the worker leaves an email after its last attempt)."""
    setup = (
        "from django.utils import timezone; from putright.correspondence.models import OutboxMessage; "
        "from putright.landlords.models import Landlord; now = timezone.now(); "
        "OutboxMessage.objects.create(pk=42, landlord=Landlord.objects.get(slug='ashford'), kind='digest', "
        "to_address='ash-officer1@example.org', subject='Your complaints today', body='Due today: none.', "
        "message_id='<readme-42@putright.localhost>', state='failed', attempts=8, next_attempt_at=now, "
        "created_at=now, last_error='Connection refused')"
    )
    made = scratch.run(["putright", "shell", "-c", setup])
    if made.returncode != 0:
        scratch.fail(command, f"could not make the failed message 42: {made.stderr.strip()[-300:]}")
        return
    result = scratch.run(command.argv)
    check_result(scratch, command, result)
    if not result.stdout.startswith("42\tashford\t"):
        scratch.fail(command, f"did not list message 42: {result.stdout.strip()!r}")


def create_a_token(scratch: Scratch, command: ReadmeCommand) -> None:
    """Run as written (for ash-handler1, a demo user); the prefix it shows is kept for `token revoke`."""
    result = scratch.run(command.argv)
    check_result(scratch, command, result)
    printed = re.match(r"Token (\w+) for ash-handler1", result.stderr)
    if result.returncode == 0 and (not printed or not result.stdout.startswith(f"prt_{printed.group(1)}_")):
        scratch.fail(command, f"printed no token: {result.stdout.strip()[:100]!r} {result.stderr.strip()[:200]!r}")
    if printed:
        scratch.token_prefix = printed.group(1)


def revoke_the_token_made_above(scratch: Scratch, command: ReadmeCommand) -> None:
    """PREFIX stands for the prefix `token create` showed: the one the line above made."""
    argv = [scratch.token_prefix if word == "PREFIX" else word for word in command.argv]
    result = scratch.run(argv)
    check_result(scratch, command, result)
    if "is revoked" not in result.stdout:
        scratch.fail(command, f"did not revoke it: {result.stdout.strip()!r}")


# How each README command that cannot simply be run is run instead, by its start as written.
SPECIAL: dict[str, Callable[[Scratch, ReadmeCommand], None]] = {
    ".venv/bin/putright createsuperuser": create_superuser_in_a_terminal,
    ".venv/bin/putright serve": serve_and_read_pages,
    "putright serve": serve_and_read_pages,
    "putright demo": load_a_smaller_demo,
    "putright workdays refresh": refresh_from_a_local_server,
    "putright mail fetch --imap": fetch_from_no_imap_server,
    "putright mail fetch --maildir": fetch_from_a_scratch_maildir,
    "putright mail listen": listen_and_answer_smtp,
    "putright worker --once": run_as_written,  # it ends by itself (and is not the `putright worker` below)
    "putright worker": stop_once_started("Worker started"),
    "putright outbox failed": list_failed_email,
    "putright token create": create_a_token,
    "putright token revoke": revoke_the_token_made_above,
}


# Commands that read no database and no file another command writes, so they run beside the others
# (in a second process at a time) rather than after them: the two cores finish the README sooner.
# The web servers come after `migrate` in the README, and read nothing another command changes.
ALONGSIDE = (
    "putright workdays add",
    "putright workdays between",
    "putright workdays check",
    "putright workdays disagreements",
    "putright policy check",
    "putright mail fetch --imap",
    "putright serve",
    ".venv/bin/putright serve",
)


def handling(command: ReadmeCommand) -> tuple[str, Callable[[Scratch, ReadmeCommand], None]]:
    matches = [start for start in SPECIAL if command.written == start or command.written.startswith(start + " ")]
    if not matches:
        return "", run_as_written
    start = max(matches, key=len)
    return start, SPECIAL[start]


# -- the tests -----------------------------------------------------------------------------------


def test_the_readme_commands_are_found_and_every_special_case_is_still_in_it() -> None:
    commands = readme_commands(README.read_text())
    assert len(commands) >= 25, [c.written for c in commands]
    used = {handling(command)[0] for command in commands}
    assert set(SPECIAL) <= used, f"SPECIAL names commands the README no longer has: {set(SPECIAL) - used}"
    # Nothing written as a placeholder is run as if it were real.
    for command in commands:
        assert not re.search(r"[\[\]<>]|HOST:PORT", command.written), command.written


def test_every_readme_command_works_as_written(tmp_path: Path) -> None:
    text = README.read_text()
    script = shutil.which("putright", path=str(Path(sys.executable).parent))
    assert script, "the putright script is not installed beside this Python (make install)"
    leaks = configuration_variables(text) | {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "EMAIL_HOST"} <= leaks
    env = {name: value for name, value in os.environ.items() if name not in leaks}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'putright.sqlite3'}", "PUTRIGHT_VAR_DIR": str(tmp_path)}
    scratch = Scratch(folder=tmp_path, env=env, script=script)
    timings: list[tuple[float, str]] = []

    def run(command: ReadmeCommand) -> None:
        started_at = time.monotonic()
        try:
            handling(command)[1](scratch, command)
        except subprocess.TimeoutExpired:
            scratch.fail(command, f"still running after {COMMAND_SECONDS} seconds")
        timings.append((time.monotonic() - started_at, command.written))

    with ThreadPoolExecutor(max_workers=1) as beside:
        alongside = []
        for command in readme_commands(text):
            if command.written.startswith(ALONGSIDE):
                alongside.append(beside.submit(run, command))
            else:
                run(command)
        for done in alongside:
            done.result()
    assert not scratch.failures, "\n".join(sorted(scratch.failures, key=lambda f: int(f.split()[2].rstrip(":"))))
    print("slowest:", ", ".join(f"{seconds:.1f}s {written}" for seconds, written in sorted(timings)[-5:]))


@pytest.mark.parametrize(
    ("comment", "status", "output"),
    [
        ("exit 1: falls short of the Code", 1, None),
        ("2024-12-31: the 5th working day after 20 December 2024", 0, "2024-12-31"),
        ("5", 0, "5"),
        ("the web server (gunicorn when DEBUG is off)", 0, None),
    ],
)
def test_a_comment_that_states_a_result_is_what_is_expected(comment: str, status: int, output: str | None) -> None:
    command = ReadmeCommand(1, "putright workdays add 2024-12-20 5", comment, ())
    assert (command.expected_status, command.expected_output) == (status, output)
