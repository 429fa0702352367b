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


def run_code(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "EMAIL_BACKEND"}}
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "putright.settings", "PYTHONPATH": str(REPOSITORY), **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
    )


def test_without_debug_or_a_secret_key_nothing_is_ever_signed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The settings load (commands that sign nothing run), but Django refuses to sign with no key.
    assert start({"PUTRIGHT_VAR_DIR": str(tmp_path)}).returncode == 0
    signing = run_code(
        "import django; django.setup(); from django.core import signing; signing.dumps('x')",
        {"PUTRIGHT_VAR_DIR": str(tmp_path)},
    )
    assert "ImproperlyConfigured: The SECRET_KEY setting must not be empty." in signing.stderr
    assert not (tmp_path / "development-secret-key").exists()


def test_a_wsgi_server_refuses_to_serve_without_a_secret_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    refused = run_code("import putright.wsgi", {"PUTRIGHT_VAR_DIR": str(tmp_path)})
    assert "putright.environment.MissingSecretKey: SECRET_KEY is not set, and serving the web needs it" in (
        refused.stderr
    )
    assert run_code("import putright.wsgi", {"PUTRIGHT_VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}).returncode == 0


def test_development_email_is_the_default_only_with_debug(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from putright.correspondence.development_email import DevelopmentEmailBackend

    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    base = {"PUTRIGHT_VAR_DIR": str(tmp_path)}
    development = run_code(code, {**base, "DEBUG": "true"}).stdout.strip()
    assert development == f"{DevelopmentEmailBackend.__module__}.{DevelopmentEmailBackend.__name__}"
    assert run_code(code, base).stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    chosen = run_code(code, {**base, "DEBUG": "true", "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"})
    assert chosen.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_each_refusal_names_its_variable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "from putright.environment import SettingError\n"
        "try:\n    import putright.settings\n"
        "except SettingError as error:\n    print(error.variable, '|', error)"
    )
    cases = {
        "DEBUG": ("maybe", "DEBUG must be true or false"),
        "EMAIL_PORT": ("twenty-five", "EMAIL_PORT must be a whole number, not 'twenty-five'"),
        "DATABASE_URL": ("mysql://u@db/putright", "DATABASE_URL must be a postgres:// or sqlite:// URL"),
        "WORKING_HOURS": ("17:00-09:00", "WORKING_HOURS must start before it ends"),
        "TASKS_BACKEND": ("celery", "TASKS_BACKEND must be database, redis or immediate, not 'celery'"),
        "LOG_LEVEL": ("loud", "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'loud'"),
        "SITE_URL": ("complaints.example.org", "SITE_URL must start with https://"),
    }
    for variable, (value, message) in cases.items():
        printed = run_code(code, {"PUTRIGHT_VAR_DIR": str(tmp_path), variable: value}).stdout
        assert printed.startswith(f"{variable} | {message}"), (variable, printed)


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
