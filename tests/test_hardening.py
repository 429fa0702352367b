"""Hardening: a Content-Security-Policy with no inline script, HTTPS settings from the environment,
API tokens that expire and can be rotated, strict dates in the API, and `putright check --deploy`
clean with a production configuration."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, TestCase, override_settings

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from tests.cast import make_cast
from tests.conftest import REPOSITORY

TODAY = date(2025, 3, 3)


def policy_of(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


# -- Content-Security-Policy -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/staff/sign-in/", "/api/v1/docs", "/api/v1/complaints", "/no-such-page/"])
def test_every_answer_carries_a_policy_that_refuses_inline_script_and_other_hosts(path: str) -> None:
    policy = policy_of(Client().get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_the_base_page_loads_its_scripts_from_files() -> None:
    page = Client().get("/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "the page has scripts"
    assert all(" src=" in script for script in scripts), scripts
    assert '<script src="/static/putright-body.js">' in page
    assert 'data-govuk-frontend="/static/govuk/govuk-frontend.min.js"' in page


# Rendered only by WeasyPrint into PDFs, never served to a browser: their inline styles are not a page's.
PDF_TEMPLATES = re.compile(r"(pdf|letter-pdf)[^/]*\.html$|/pdf/")
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def _extends_a_pdf_template(text: str) -> bool:
    match = re.search(r'{%\s*extends\s+"([^"]+)"', text)
    return bool(match and PDF_TEMPLATES.search(match.group(1)))


def test_no_template_served_as_a_page_carries_inline_script_or_style() -> None:
    found = []
    for template in sorted((REPOSITORY / "putright").rglob("templates/**/*.html")):
        relative = template.relative_to(REPOSITORY).as_posix()
        text = template.read_text()
        if PDF_TEMPLATES.search(relative) or _extends_a_pdf_template(text):
            continue
        for what, pattern in INLINE.items():
            if pattern.search(text):
                found.append(f"{relative}: {what}")
    assert not found, "The Content-Security-Policy would refuse:\n" + "\n".join(found)


def test_the_checks_would_find_inline_script_and_style() -> None:
    samples = {
        "an inline <script>": '<script type="module">initAll()</script>',
        "an event handler attribute": '<button onclick="go()">',
        "a style attribute": '<text x="1" style="font-family:Arial">',
        "a <style> element": "<style>.x{}</style>",
        "a javascript: address": '<a href="javascript:go()">',
    }
    for what, sample in samples.items():
        assert INLINE[what].search(sample), what
    assert not INLINE["an inline <script>"].search('<script type="module" src="/static/x.js"></script>')
    assert PDF_TEMPLATES.search("putright/correspondence/templates/correspondence/letter-pdf.html")


@pytest.mark.django_db
def test_charts_draw_their_words_without_style_attributes() -> None:
    from putright.insight import charts

    assert "style=" not in charts._text(1, 2, "Complaints")
    assert 'font-family="Arial' in charts._text(1, 2, "Complaints")


# -- HTTPS ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hsts_and_the_https_redirect_are_off_unless_configured() -> None:
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SECURE_SSL_REDIRECT is False
    response = Client().get("/", secure=True)
    assert "Strict-Transport-Security" not in response
    assert Client().get("/").status_code == 200


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_SSL_REDIRECT=True)
def test_configured_hsts_and_redirect_apply() -> None:
    insecure = Client().get("/staff/sign-in/")
    assert insecure.status_code == 301
    assert insecure["Location"] == "https://testserver/staff/sign-in/"
    secure = Client().get("/staff/sign-in/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_cookies_are_secure_and_not_for_scripts() -> None:
    assert settings.SESSION_COOKIE_SECURE is True  # DEBUG is off in the tests, as in production
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


def run_putright(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    }
    return subprocess.run(  # noqa: S603 - this Python, this command, no shell
        [sys.executable, "-m", "putright", *args],
        cwd=REPOSITORY,
        env={
            **base,
            "PUTRIGHT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Gq2-production-like-secret-key-for-the-deploy-check-kL9vB3nM4pQ8rS1tU6wY0zA5cD",
    "ALLOWED_HOSTS": "complaints.example.org",
    "SITE_URL": "https://complaints.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://complaints.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "OTP_WEBAUTHN_RP_ID": "complaints.example.org",
}


def test_check_deploy_is_clean_with_a_production_configuration(tmp_path: Path) -> None:
    result = run_putright(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_a_production_configuration_leaves_out(tmp_path: Path) -> None:
    without_https = {key: value for key, value in PRODUCTION.items() if not key.startswith("SECURE_")}
    result = run_putright(["check", "--deploy", "--fail-level", "WARNING"], without_https, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W008" in result.stderr  # the HTTPS redirect


def test_a_proxy_header_that_is_not_a_header_name_is_refused_at_start(tmp_path: Path) -> None:
    result = run_putright(["check"], {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}, tmp_path)
    assert result.returncode == 2
    assert "SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto" in result.stderr


@pytest.mark.django_db
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_SSL_REDIRECT=True)
def test_behind_a_proxy_the_forwarded_scheme_counts() -> None:
    assert Client().get("/staff/sign-in/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert Client().get("/staff/sign-in/", headers={"X-Forwarded-Proto": "http"}).status_code == 301


# -- API tokens: expiry and rotation ---------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
class TokenLifetimeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def works(self, token: str) -> bool:
        response = self.client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (200, 401), response.status_code
        return response.status_code == 200

    def test_a_token_lasts_api_token_days_by_default_then_stops(self) -> None:
        row, token = tokens.issue(self.cast.handler)
        assert row.expires_at == clock.now() + timedelta(days=settings.API_TOKEN_DAYS)
        assert settings.API_TOKEN_DAYS == 90
        with time_machine.travel(row.expires_at - timedelta(seconds=1), tick=False):
            assert self.works(token)
        with time_machine.travel(row.expires_at, tick=False):
            assert not self.works(token)

    def test_a_token_can_be_made_for_fewer_or_more_days_within_a_year(self) -> None:
        row, _ = tokens.issue(self.cast.handler, days=7)
        assert row.expires_at == clock.now() + timedelta(days=7)
        for days in (0, -1, 367):
            with pytest.raises(tokens.TokenError, match="from 1 to 366 days"):
                tokens.issue(self.cast.handler, days=days)
        assert ApiToken.objects.count() == 1

    def test_rotation_gives_a_new_token_and_the_old_one_a_day_to_change_over(self) -> None:
        old_row, old = tokens.issue(self.cast.handler, "CRM sync")
        new_row, new = tokens.rotate(old_row.prefix)
        old_row.refresh_from_db()
        assert new_row.replaces == old_row
        assert (new_row.user, new_row.name) == (self.cast.handler, "CRM sync")
        assert old_row.expires_at == clock.now() + timedelta(hours=24)
        assert self.works(old) and self.works(new)
        with time_machine.travel(clock.now() + timedelta(hours=24), tick=False):
            assert not self.works(old)
            assert self.works(new)

    def test_rotation_with_no_overlap_stops_the_old_token_at_once(self) -> None:
        old_row, old = tokens.issue(self.cast.handler)
        _, new = tokens.rotate(f"prt_{old_row.prefix}", overlap=timedelta(0))
        assert not self.works(old)
        assert self.works(new)

    def test_a_token_is_replaced_once_and_a_revoked_or_expired_one_not_at_all(self) -> None:
        row, _ = tokens.issue(self.cast.handler)
        tokens.rotate(row.prefix)
        with pytest.raises(tokens.TokenError, match="has already been replaced"):
            tokens.rotate(row.prefix)
        revoked, _ = tokens.issue(self.cast.handler)
        tokens.revoke(revoked.prefix)
        with pytest.raises(tokens.TokenError, match="is revoked"):
            tokens.rotate(revoked.prefix)
        expired, _ = tokens.issue(self.cast.handler, days=1)
        with (
            time_machine.travel(clock.now() + timedelta(days=2), tick=False),
            pytest.raises(tokens.TokenError, match="has expired"),
        ):
            tokens.rotate(expired.prefix)
        with pytest.raises(tokens.TokenError, match="the overlap must be from 0 to 168 hours"):
            tokens.rotate(revoked.prefix, overlap=timedelta(days=8))
        assert ApiToken.objects.count() == 4

    def test_the_token_command_makes_rotates_and_says_until_when(self) -> None:
        out, err = StringIO(), StringIO()
        call_command("token", "create", "--user", "hana.handler", "--days", "30", stdout=out, stderr=err)
        token = out.getvalue().strip()
        assert "working until 2025-04-02 01:00" in err.getvalue()  # 30 days on, in British Summer Time
        assert self.works(token)
        prefix = token.split("_")[1]
        out, err = StringIO(), StringIO()
        call_command("token", "rotate", prefix, "--overlap-hours", "2", stdout=out, stderr=err)
        new = out.getvalue().strip()
        assert f"replaces {prefix} for hana.handler" in err.getvalue()
        assert f"{prefix} stops at 2025-03-03 02:00" in err.getvalue()
        assert self.works(new) and self.works(token)
        with pytest.raises(CommandError, match="has already been replaced"):
            call_command("token", "rotate", prefix, stdout=StringIO(), stderr=StringIO())
        with pytest.raises(CommandError, match="from 1 to 366 days"):
            call_command("token", "create", "--user", "hana.handler", "--days", "400", stdout=StringIO())


# -- strict dates in the API ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
class StrictDateTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.token = tokens.issue(cls.cast.handler)[1]

    def get(self, path: str, **query: str) -> object:
        return self.client.get(f"/api/v1{path}", query, headers={"Authorization": f"Bearer {self.token}"})

    def test_a_query_date_must_be_written_yyyy_mm_dd(self) -> None:
        for value in ("0", "1700000000", "2025-03-01T00:00:00", "01/03/2025", "2025-3-1", ""):
            response = self.get("/complaints", received_to=value)
            assert response.status_code == 422, value  # type: ignore[attr-defined]
            assert response.json()["errors"] == {  # type: ignore[attr-defined]
                "received_to": "Enter a date as YYYY-MM-DD, for example 2025-04-01"
            }, value
        assert self.get("/complaints", received_to="2025-03-01").status_code == 200  # type: ignore[attr-defined]

    def test_a_date_that_does_not_exist_is_named(self) -> None:
        response = self.get("/complaints", received_from="2025-02-30")
        assert response.json()["errors"] == {  # type: ignore[attr-defined]
            "received_from": "Enter a real date: 2025-02-30 does not exist"
        }

    def test_the_measures_and_workdays_queries_are_strict_too(self) -> None:
        assert self.get("/measures", start="0", end="2025-03-31").status_code == 422  # type: ignore[attr-defined]
        assert self.get("/workdays/add", date="0", days="5").status_code == 422  # type: ignore[attr-defined]
        assert self.get("/workdays/add", date="2025-03-03", days="5").status_code == 200  # type: ignore[attr-defined]

    def test_a_body_date_given_as_a_number_is_refused(self) -> None:
        body = {"channel": "email", "received_on": 0, "description": "Damp", "resident": {"name": "Rosa"}}
        response = self.client.post(
            "/api/v1/complaints",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 422
        assert response.json()["errors"]["received_on"] == "Enter a date as YYYY-MM-DD, for example 2025-04-01"
