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
