"""putright worker: the task queue and the sweep, with the database backend, with Redis, and as a
process that SIGTERM stops cleanly, saying a line per batch of work; and `putright serve --with-worker`,
as `make run` uses it, saying where Putright is at the address it was given."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from putright.core.management.commands.serve import address
from putright.correspondence import outbox, tasks
from putright.correspondence.models import Letter, OutboxMessage
from putright.demo import load
from tests.cast import acknowledge, log, make_cast
from tests.conftest import REPOSITORY
from tests.smtp_support import SmtpServer, free_port

NOW = datetime(2025, 6, 17, 9, 0, tzinfo=UTC)  # 10:00 in London: reminders may be written
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker's line for a batch of work: the time, what was done, and how long it took.
BATCH_LINE = re.compile(
    r"^\d\d:\d\d:\d\d (sent|rendered|wrote|queued|gave up|\d+ (emails?|letters?)) .*"
    r"( in \d+\.\d s| since the last sweep)$"
)


def worker(*args: str) -> str:
    out = StringIO()
    call_command("worker", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=True)
@override_settings(TASKS=DATABASE_TASKS)
class DatabaseWorkerTests(TransactionTestCase):
    """Committed transactions, as in production: the worker closes stale connections between tasks."""

    def setUp(self) -> None:
        self.cast = make_cast()
        self.server = SmtpServer().start()
        self.addCleanup(self.server.stop)
        mail_settings = self.server.settings()
        mail_settings.enable()
        self.addCleanup(mail_settings.disable)

    def issue_letter(self) -> Letter:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 16)), date(2025, 6, 17))
        return Letter.objects.get(complaint=complaint)

    def test_once_renders_the_letter_and_sends_its_email_with_the_pdf(self) -> None:
        letter = self.issue_letter()
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2  # render, and a wake-up
        assert letter.rendering == Letter.Rendering.QUEUED

        output = worker("--once")

        [line] = output.splitlines()  # one line for the batch, none for each task
        assert BATCH_LINE.match(line) and "sent 1 email, rendered 1 letter in " in line, line
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.READY and letter.pdf_sha256
        [arrived] = self.server.messages()
        [pdf] = list(arrived.iter_attachments())
        with letter.pdf.open("rb") as stored:
            assert pdf.get_content() == stored.read()
        assert OutboxMessage.objects.get(letter=letter).state == OutboxMessage.State.SENT
        assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
        # Nothing is left to do: running it again sends nothing more, and says nothing.
        assert worker("--once") == ""
        assert len(self.server.messages()) == 1

    def test_a_letter_kept_as_history_is_left_for_its_first_reader(self) -> None:
        letter = self.issue_letter()
        next_day = NOW + timedelta(days=1)
        with time_machine.travel(next_day, tick=True):
            load.settle_history(letter.landlord, next_day.date())  # as `putright demo` settles its history
            assert worker("--once") == ""
            with time_machine.travel(next_day + timedelta(minutes=6), tick=True):  # late, were it the worker's
                assert worker("--once") == ""
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.ON_OPEN and not letter.pdf
        assert OutboxMessage.objects.get(letter=letter).state == OutboxMessage.State.SENT
        assert not self.server.messages()

    def test_a_letter_whose_task_was_lost_is_rendered_and_sent_by_the_sweep(self) -> None:
        complaint = log(self.cast, date(2025, 6, 16))
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            acknowledge(self.cast, complaint, date(2025, 6, 17))  # its wake-ups go nowhere
        assert not DBTaskResult.objects.exists()
        worker("--once")
        assert Letter.objects.get(complaint=complaint).rendering == Letter.Rendering.QUEUED  # not late yet
        with time_machine.travel(NOW + timedelta(minutes=6), tick=True):
            worker("--once")
        assert Letter.objects.get(complaint=complaint).rendering == Letter.Rendering.READY
        assert len(self.server.messages()) == 1

    def test_the_sweep_writes_and_sends_the_reminders_due(self) -> None:
        log(self.cast, date(2025, 6, 9))  # acknowledgement due Monday 16 June: overdue
        worker("--once")
        recipients = sorted(str(m["To"]) for m in self.server.messages())
        assert "mei.manager@example.org" in recipients and "olu.officer@example.org" in recipients
        assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.DIGEST).count() == 1

    def test_bad_arguments_are_clear_errors(self) -> None:
        with pytest.raises(CommandError, match="must be more than 0 and at most a day"):
            worker("--sweep-seconds", "0")
        with pytest.raises(CommandError, match="must be a number of seconds, not 'soon'"):
            worker("--interval", "soon")


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {settings.REDIS_URL} ({error}): start it to test TASKS_BACKEND=redis")


@time_machine.travel(NOW, tick=True)
class RedisWorkerTests(TransactionTestCase):
    """TASKS_BACKEND=redis: tasks go through RQ in the local Redis, on a queue of this test's own."""

    def setUp(self) -> None:
        redis_or_skip()
        self.cast = make_cast()
        self.queue = f"putright-test-{uuid.uuid4().hex[:12]}"
        configured = override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [self.queue]}},
            # django-tasks-rq reads results through the "default" queue's connection.
            RQ_QUEUES={self.queue: {"URL": settings.REDIS_URL}, "default": {"URL": settings.REDIS_URL}},
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        configured.enable()
        self.addCleanup(configured.disable)
        self.addCleanup(self.forget_queue)

    def forget_queue(self) -> None:
        import django_rq

        queue = django_rq.get_queue(self.queue)
        queue.empty()
        queue.delete(delete_jobs=True)
        for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.started_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)

    def test_a_task_is_queued_in_redis_and_run_by_the_worker(self) -> None:
        message = outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address="rosa@example.org",
            subject="Your complaint",
            body="Hello",
        )
        assert message is not None
        result = tasks.send_outbox.using(queue_name=self.queue).enqueue()
        assert result.status == TaskResultStatus.READY and not mail.outbox

        worker("--once")

        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {"sent": 1, "failed": 0, "gave_up": 0}
        assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


# -- the worker as a process ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite installation of its own, for the processes these tests start."""
    var = tmp_path_factory.mktemp("var")
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASKS_BACKEND", "EMAIL_BACKEND"}}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "putright.settings",
        "PYTHONPATH": str(REPOSITORY),
        "DEBUG": "true",
        "PUTRIGHT_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'putright.sqlite3'}",
    }
    migrate = [sys.executable, "-m", "putright", "migrate", "--no-input"]
    subprocess.run(migrate, env=env, cwd=REPOSITORY, check=True, capture_output=True)  # noqa: S603
    return env


def wait_for(read: Iterator[str], text: str, seconds: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + seconds
    for line in read:
        seen.append(line)
        if text in line or time.monotonic() > deadline:
            break
    assert any(text in line for line in seen), seen
    return seen


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has ended but not been reaped still has its pid: look at its state.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - this Python, a fixed command
        [sys.executable, "-u", "-m", "putright", *command],
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_sigterm_stops_the_worker_cleanly(installation: dict[str, str]) -> None:
    process = start(["worker", "--sweep-seconds", "1", "--interval", "0.2"], installation)
    try:
        assert process.stdout is not None
        wait_for(process.stdout, "Worker started (database task queue)")
        time.sleep(1.5)  # a sweep or two
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "SIGTERM" in output or "Terminated" in output
    assert "Worker stopped." in output


def test_sigterm_stops_the_redis_worker_cleanly(installation: dict[str, str]) -> None:
    redis_or_skip()
    # A database of Redis's own, so that no other test's jobs are taken by this process.
    own = urllib.parse.urlsplit(settings.REDIS_URL)._replace(path="/13").geturl()
    env = {**installation, "TASKS_BACKEND": "redis", "REDIS_URL": own}
    process = start(["worker", "--sweep-seconds", "1"], env)
    try:
        assert process.stdout is not None
        wait_for(process.stdout, "Worker started (Redis task queue (RQ): default)")
        time.sleep(1.5)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Worker stopped." in output


def test_serve_with_worker_starts_the_worker_beside_the_server_and_stops_it_with_the_server(
    installation: dict[str, str],
) -> None:
    port = free_port()
    process = start(["serve", "--with-worker", "--bind", f"127.0.0.1:{port}"], installation)
    try:
        assert process.stdout is not None
        seen = wait_for(process.stdout, "Worker started (process")
        worker_pid = int(
            next(line for line in seen if "Worker started (process" in line).split("process ")[1].split(")")[0]
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:  # noqa: S310
                    assert answer.status == 200
                    break
            except (OSError, ConnectionError):
                time.sleep(0.5)
        else:
            pytest.fail("the development server did not answer")
        assert alive(worker_pid)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Stopped the worker." in output, output
    for _ in range(50):
        if not alive(worker_pid):
            break
        time.sleep(0.1)
    assert not alive(worker_pid)


@pytest.fixture(scope="module")
def demo_installation(tmp_path_factory: pytest.TempPathFactory, installation: dict[str, str]) -> dict[str, str]:
    """An installation of its own with a small demo loaded, as `make run` has; email kept in memory."""
    var = tmp_path_factory.mktemp("demo-var")
    env = {
        **installation,
        "PUTRIGHT_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'putright.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for command in (["migrate", "--no-input", "--verbosity", "0"], ["demo", "--complaints", "12"]):
        run = [sys.executable, "-m", "putright", *command]
        subprocess.run(run, env=env, cwd=REPOSITORY, check=True, capture_output=True)  # noqa: S603 - this Python
    return env


def test_the_worker_says_a_line_per_batch_and_nothing_while_there_is_nothing_to_do(
    demo_installation: dict[str, str],
) -> None:
    process = start(["worker", "--sweep-seconds", "0.5", "--interval", "0.2"], demo_installation)
    try:
        assert process.stdout is not None
        wait_for(process.stdout, "Worker started (database task queue)")
        time.sleep(5)  # today's work from the demo, if any, then sweep after sweep with nothing to do
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    stopping = ("stopping when the work under way is done", "Worker stopped.")
    said = [line for line in output.splitlines() if line and not any(words in line for words in stopping)]
    assert "Task id=" not in output and "Starting worker" not in output, output
    # A line for the demo's work of today at most: ten sweeps and many passes over the queue said nothing.
    assert len(said) <= 1 and all(BATCH_LINE.match(line) for line in said), said


def answered(url: str) -> int:
    """The status a page answers with; the development server restarts when a source file changes."""
    for _ in range(20):
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - a local test server
                return int(answer.status)
        except (OSError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer")


def test_serve_says_where_putright_is_at_the_port_it_was_given_and_refuses_a_port_in_use(
    demo_installation: dict[str, str],
) -> None:
    port = free_port()
    process = start(["serve", "--with-worker", "--bind", f"127.0.0.1:{port}"], demo_installation)
    try:
        assert process.stdout is not None
        seen = wait_for(process.stdout, f"Putright is serving at http://127.0.0.1:{port}/")
        said = "".join(seen[-1:] + wait_for(process.stdout, "Demo accounts:"))
        for path in ("", "staff/", "admin/", "api/v1/docs"):
            assert f"http://127.0.0.1:{port}/{path}\n" in said, said
            assert answered(f"http://127.0.0.1:{port}/{path}") == 200
        assert "Demo accounts: ash-handler1 or ash-officer1" in said and "'putright-demo'" in said
        assert ":8000" not in said

        second = start(["serve", "--bind", f"127.0.0.1:{port}"], demo_installation)
        refusal, _ = second.communicate(timeout=60)
        assert second.returncode != 0 and "Traceback" not in refusal
        assert f"Something is already listening on 127.0.0.1:{port}" in refusal and f"PORT={port + 1}" in refusal
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()


def test_serve_shows_an_address_a_browser_can_open_for_a_server_on_every_address() -> None:
    assert address("0.0.0.0:8100") == ("http://127.0.0.1:8100/", "127.0.0.1", 8100)
    assert address("[::]:8100") == ("http://[::1]:8100/", "::1", 8100)
    assert address("192.0.2.7:80") == ("http://192.0.2.7:80/", "192.0.2.7", 80)
    with pytest.raises(CommandError, match="--bind must be HOST:PORT, such as 127.0.0.1:8000, not '127.0.0.1'"):
        address("127.0.0.1")


def test_the_worker_refuses_to_run_with_a_broken_redis_url(installation: dict[str, str]) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    process = start(["worker", "--once"], {**installation, "TASKS_BACKEND": "redis", "REDIS_URL": closed})
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert f"Cannot reach Redis at {closed} (TASKS_BACKEND=redis)" in output, output
    assert "Traceback" not in output
