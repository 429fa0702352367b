"""Shared test setup: where the third-party data lives, and the calendars tests use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# CI and developers keep shared/ beside the checkout; PUTRIGHT_SHARED_DATA points elsewhere.
SHARED_DATA = Path(os.environ.get("PUTRIGHT_SHARED_DATA", REPOSITORY.parent / "shared" / "data"))
EXAMPLE_POLICIES = REPOSITORY / "examples" / "policies"


def shared_data_file(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: put the shared data folder beside the checkout or set PUTRIGHT_SHARED_DATA")
    return path


@pytest.fixture(autouse=True)
def _fresh_calendars() -> None:
    """Each test builds its landlords' calendars afresh: primary keys are reused between tests."""
    from putright.landlords import calendars

    calendars._calendars.clear()
