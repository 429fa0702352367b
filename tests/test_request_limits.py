"""Limits on what anyone can send: a body too large is refused from its headers, before it is read.

The WSGI tests hand Django a body that fails the test if a byte of it is read; the gunicorn test
sends the headers of a 400 MB upload over a real socket and gets its answer without sending the body.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from putright.core.management.commands.serve import GUNICORN_LIMITS, Command
from putright.documents.limits import RESIDENT_MAX_FILES, RESIDENT_UPLOAD_MAX_BYTES
from tests.conftest import REPOSITORY

MB = 1024 * 1024
FOUR_HUNDRED_MB = 400 * MB


class UnreadableBody:
    """A request body that must never be read: reading it fails the test."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args: Any) -> bytes:
        self.reads += 1
        raise AssertionError("the body was read")

    readline = read

    def __iter__(self) -> Iterator[bytes]:
        raise AssertionError("the body was read")


def call_wsgi(path: str, content_type: str, length: str | None, **extra: str) -> tuple[str, dict[str, str], bytes, Any]:
    body = UnreadableBody()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type,
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: the test's database connection is not the server's to close.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], content, body


MULTIPART = "multipart/form-data; boundary=----putright"


def test_a_400_mb_upload_is_refused_before_a_byte_of_it_is_read() -> None:
    status, headers, content, body = call_wsgi("/complaint/new/", MULTIPART, str(FOUR_HUNDRED_MB))
    assert status.startswith("413")
    assert body.reads == 0
    page = content.decode()
    assert "The files you sent are too large" in page
    assert f"smaller than {settings.UPLOAD_REQUEST_MAX_BYTES // MB} MB" in page
    assert "Content-Security-Policy" in headers  # the refusal is a page like any other


def test_an_api_body_over_a_megabyte_is_refused_with_json_before_it_is_read() -> None:
    status, headers, content, body = call_wsgi("/api/v1/complaints", "application/json", str(2 * MB))
    assert status.startswith("413")
    assert body.reads == 0
    assert headers["Content-Type"] == "application/json"
    assert content == b'{"detail": "The request is too large: it must be smaller than 1 MB."}'


def test_a_large_form_that_is_not_an_upload_has_the_small_limit() -> None:
    status, _, content, body = call_wsgi("/staff/sign-in/", "application/x-www-form-urlencoded", str(MB + 1))
    assert status.startswith("413")
    assert body.reads == 0
    assert "What you sent is too large" in content.decode()


def test_a_body_sent_in_chunks_is_refused_with_411() -> None:
    status, _, content, body = call_wsgi(
        "/api/v1/complaints", "application/json", None, HTTP_TRANSFER_ENCODING="chunked"
    )
    assert status.startswith("411")
    assert body.reads == 0
    assert b"Content-Length" in content


def test_a_content_length_that_is_not_a_number_is_refused() -> None:
    for length in ("-5", "ten", "1e9"):
        status, _, _, body = call_wsgi("/api/v1/complaints", "application/json", length)
        assert status.startswith("400"), length
        assert body.reads == 0


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/staff/sign-in/", {"username": "x" * 1000, "password": "y"})
    # Let through: CSRF (not the size limit) answers, since no token was sent.
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_api_body_within_the_limit_reaches_the_api() -> None:
    response = Client().post("/api/v1/complaints", "{}", content_type="application/json")
    assert response.status_code == 401  # the token is checked: the body was let in


def test_the_upload_limit_takes_the_most_files_a_resident_may_send_at_once_and_no_more() -> None:
    most_a_form_sends = RESIDENT_MAX_FILES * RESIDENT_UPLOAD_MAX_BYTES
    assert most_a_form_sends < settings.UPLOAD_REQUEST_MAX_BYTES <= most_a_form_sends + 2 * MB
    assert settings.UPLOAD_REQUEST_MAX_BYTES < FOUR_HUNDRED_MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_MAX_BYTES == MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB


def test_putright_serve_gives_gunicorn_its_limits_on_request_lines_and_headers() -> None:
    args = Command()._gunicorn_args("127.0.0.1:8000", 2)
    for option, value in zip(GUNICORN_LIMITS[::2], GUNICORN_LIMITS[1::2], strict=True):
        assert args[args.index(option) + 1] == value
    assert dict(zip(GUNICORN_LIMITS[::2], GUNICORN_LIMITS[1::2], strict=True)) == {
        "--limit-request-line": "4094",
        "--limit-request-fields": "100",
        "--limit-request-field_size": "8190",
    }


# -- a real socket against gunicorn -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = _free_port()
    var = tmp_path_factory.mktemp("var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "putright.settings",
        # DEBUG serves static files by their own names, with no collectstatic to run first.
        "DEBUG": "true",
        "SECRET_KEY": "request-limits-test-key-" + "x" * 40,
        "PUTRIGHT_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
    }
    args = Command()._gunicorn_args(f"127.0.0.1:{port}", 1)
    server = subprocess.Popen(  # noqa: S603 - this repository's gunicorn, no shell
        args, cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("gunicorn stopped while starting")
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        # The worker loads Putright on its first request: load it now, so the tests time only their own.
        _exchange(port, b"GET /staff/sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _exchange(port: int, head: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_gunicorn_answers_the_headers_of_a_400_mb_upload_with_413_without_waiting_for_the_body(gunicorn: int) -> None:
    started = time.monotonic()
    head = (
        "POST /complaint/new/ HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Content-Type: {MULTIPART}\r\n"
        f"Content-Length: {FOUR_HUNDRED_MB}\r\n\r\n"
    ).encode()
    answer = _exchange(gunicorn, head)  # the body is never sent: the answer cannot have waited for it
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"The files you sent are too large" in answer
    assert time.monotonic() - started < 30


def test_gunicorn_refuses_a_request_line_longer_than_its_limit(gunicorn: int) -> None:
    answer = _exchange(gunicorn, f"GET /?q={'x' * 5000} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 414 ")
    assert b"Request Line is too large (5017 &gt; 4094)" in answer


def test_gunicorn_refuses_too_many_headers(gunicorn: int) -> None:
    headers = "".join(f"X-Filler-{n}: {n}\r\n" for n in range(120))
    answer = _exchange(gunicorn, f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large")
