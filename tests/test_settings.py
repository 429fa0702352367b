"""Settings come from the environment, and a setting that cannot work stops the start."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPOSITORY


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "putright.settings", "PYTHONPATH": str(REPOSITORY), **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = start({"PUTRIGHT_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_generates_a_development_key_only_with_debug_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = start({"DEBUG": "true", "PUTRIGHT_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    key = (tmp_path / "development-secret-key").read_text()
    assert len(key) >= 50
    assert start({"DEBUG": "true", "PUTRIGHT_VAR_DIR": str(tmp_path)}).returncode == 0
    assert (tmp_path / "development-secret-key").read_text() == key


def test_a_bad_boolean_names_the_variable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = start({"DEBUG": "maybe", "PUTRIGHT_VAR_DIR": str(tmp_path)})
    assert "DEBUG must be true or false" in result.stderr


def test_postgresql_is_chosen_by_database_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = start({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@db.example:5432/putright"})
    assert result.stdout.strip() == "django.db.backends.postgresql"
    bad = start({"SECRET_KEY": "x" * 50, "DATABASE_URL": "mysql://u@db/putright"})
    assert "DATABASE_URL must be a postgres:// or sqlite:// URL" in bad.stderr


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "putright.settings",
            "DEBUG": "true",
            "PUTRIGHT_VAR_DIR": str(tmp_path),
            "PYTHONPATH": str(REPOSITORY),
            "DATABASE_URL": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "wal", result.stderr
