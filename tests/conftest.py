"""Shared test setup: where the third-party data lives, where files go, the calendars tests use, what skips."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# CI and developers keep shared/ beside the checkout; PUTRIGHT_SHARED_DATA points elsewhere.
SHARED_DATA = Path(os.environ.get("PUTRIGHT_SHARED_DATA", REPOSITORY.parent / "shared" / "data"))
EXAMPLE_POLICIES = REPOSITORY / "examples" / "policies"


def needs_postgresql(why: str) -> pytest.MarkDecorator:
    """Skip the test on any other database, saying why and how to run it."""
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=f"needs PostgreSQL ({why}): set DATABASE_URL=postgres://USER@HOST:5432/NAME",
    )


def shared_data_file(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: put the shared data folder beside the checkout or set PUTRIGHT_SHARED_DATA")
    return path


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Letter PDFs and uploads go to a folder of this run, never to var/media where the demo's files are.

    Under pytest-xdist each worker has a temporary folder of its own, so workers never share one.
    """
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    """Each test builds its landlords' calendars afresh: primary keys are reused between tests."""
    from putright.landlords import calendars

    calendars._calendars.clear()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with empty caches: cached measures are keyed by primary keys, reused between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def give_second_factor(client: object, user: object) -> None:
    """Mark the test client's session as having given a second factor, as django_otp.login does
    after the code from an authenticator app: with a confirmed app of the user's own."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session  # type: ignore[attr-defined]
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_gives_a_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for someone fully signed in: their password and, where it
    is asked of them, the code from their app (putright.web.authorise). The tests of the second
    factor itself (tests/test_staff_sign_in.py) sign in through the pages, which this leaves alone."""
    from django.test import Client

    force_login = Client.force_login

    def force_login_with_second_factor(self: Client, user: object, backend: str | None = None) -> None:
        force_login(self, user, backend)  # type: ignore[arg-type]
        give_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)
