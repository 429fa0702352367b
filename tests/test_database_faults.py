"""A lost database connection answers 503 with Retry-After, on pages and in the API, and is logged.

On SQLite the driver's error is simulated; on PostgreSQL the server really ends the connection
(pg_terminate_backend) in the middle of a session.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.signals import request_started
from django.db import OperationalError, close_old_connections, connection
from django.http import HttpRequest, HttpResponseBase
from django.test import Client, override_settings

from putright.api import tokens
from tests.cast import make_cast
from tests.conftest import needs_postgresql

SORRY = "Sorry, there is a problem with the service"


@pytest.fixture
def handler(db: None) -> User:
    return make_cast().handler


@contextmanager
def sqlite_connection_lost() -> Iterator[None]:
    """Every query fails as the SQLite driver fails when its disk does (savepoints still work, so the
    test's own transaction can be rolled back)."""
    if connection.vendor != "sqlite":
        pytest.skip("simulates the SQLite driver's error")
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    original = SQLiteCursorWrapper.execute

    def fail(self: Any, query: str, params: Any = None) -> Any:
        if query.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            return original(self, query, params)
        raise sqlite3.OperationalError("disk I/O error")

    with mock.patch.object(SQLiteCursorWrapper, "execute", fail):
        yield


def assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{SORRY}</h1>' in page
    assert "Try again in a few minutes." in page


def assert_unavailable_json(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": f"{SORRY}. Try again in a few minutes."}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="simulates the SQLite driver's error")
def test_a_page_answers_503_with_retry_after_when_the_database_is_lost(
    handler: User, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(handler)
    with sqlite_connection_lost(), caplog.at_level(logging.ERROR, logger="putright.web.middleware"):
        response = client.get("/staff/")
    assert_unavailable_page(response)
    logged = [r for r in caplog.records if r.name == "putright.web.middleware"]
    assert [r.getMessage() for r in logged] == ["The database failed during GET /staff/"]
    assert logged[0].exc_info is not None


def test_a_residents_page_answers_503_too(db: None) -> None:
    with sqlite_connection_lost():
        response = Client(raise_request_exception=False).get("/")
    assert_unavailable_page(response)


def test_the_api_answers_503_json_with_retry_after_when_the_database_is_lost(
    handler: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = tokens.issue(handler)[1]
    with sqlite_connection_lost(), caplog.at_level(logging.ERROR, logger="putright.web.middleware"):
        response = Client(raise_request_exception=False).get(
            "/api/v1/complaints", headers={"Authorization": f"Bearer {token}"}
        )
    assert_unavailable_json(response)
    logged = [r.getMessage() for r in caplog.records if r.name == "putright.web.middleware"]
    assert logged == ["The database failed during GET /api/v1/complaints"]


class LosesTheDatabase:
    """A middleware that meets the lost database before any view does (as the session's or the
    second factor's may)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_a_fault_met_in_another_middleware_also_answers_503() -> None:
    middleware = [*settings.MIDDLEWARE, "tests.test_database_faults.LosesTheDatabase"]
    with override_settings(MIDDLEWARE=middleware):
        assert_unavailable_page(Client(raise_request_exception=False).get("/staff/sign-in/"))
        assert_unavailable_json(Client(raise_request_exception=False).get("/api/v1/complaints"))


class OtherFailure:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        raise ValueError("a bug, not the database")


@pytest.mark.django_db
def test_any_other_error_is_still_a_500() -> None:
    middleware = [*settings.MIDDLEWARE, "tests.test_database_faults.OtherFailure"]
    with override_settings(MIDDLEWARE=middleware):
        response = Client(raise_request_exception=False).get("/staff/sign-in/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_connection_health_checks_are_on() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# -- PostgreSQL: the server ends the connection --------------------------------------------------


def _terminate(pid: int) -> None:
    """End a backend from a connection of its own, as a database restart or a failover would."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@needs_postgresql("pg_terminate_backend ends a real connection")
@pytest.mark.django_db(transaction=True)
def test_postgresql_a_connection_ended_during_a_request_answers_503_and_the_next_request_reconnects(
    handler: User,
) -> None:
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {tokens.issue(handler)[1]}"}
    for path, assert_unavailable in (("/", assert_unavailable_page), ("/api/v1/complaints", assert_unavailable_json)):
        pid = _backend_pid()

        def end_the_connection(pid: int = pid, **kwargs: Any) -> None:
            _terminate(pid)

        request_started.connect(end_the_connection)
        try:
            response = client.get(path, headers=headers)
        finally:
            request_started.disconnect(end_the_connection)
        assert_unavailable(response)
        # What every request does first (the test client leaves it out): a connection that failed is
        # closed, and the next query opens a new one.
        close_old_connections()
        assert client.get(path, headers=headers).status_code == 200
        assert _backend_pid() != pid


@needs_postgresql("pg_terminate_backend ends a real connection")
@pytest.mark.django_db(transaction=True)
def test_postgresql_a_kept_connection_ended_between_requests_is_checked_and_replaced(handler: User) -> None:
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {tokens.issue(handler)[1]}"}
    # Connections kept between requests, as with DATABASE_CONN_MAX_AGE: only the health check finds a dead one.
    with mock.patch.dict(connection.settings_dict, {"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}):
        connection.close()
        pid = _backend_pid()
        _terminate(pid)
        close_old_connections()  # a request starts: the kept connection is not yet too old to keep
        assert client.get("/api/v1/complaints", headers=headers).status_code == 200
        assert _backend_pid() != pid
