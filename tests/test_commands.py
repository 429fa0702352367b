"""The operators' commands: `putright workdays`, `putright policy` and `putright demo`."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase

from putright.landlords import calendars
from putright.landlords.models import ClosureDay, HolidayChange, Landlord, PolicyVersion
from putright.rules.calendar import packaged_govuk_data
from tests.conftest import EXAMPLE_POLICIES, REPOSITORY


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def usage_error(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


class WorkdaysCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.landlord = Landlord.objects.create(slug="ashford", name="Ashford Borough Council", reference_prefix="ASH")

    def test_add_prints_the_nth_working_day(self) -> None:
        assert run("workdays", "add", "2024-12-20", "5") == "2024-12-31"
        assert run("workdays", "add", "2024-12-20", "0") == "2024-12-20"

    def test_between_prints_the_count(self) -> None:
        assert run("workdays", "between", "2024-12-20", "2024-12-31") == "5"
        assert run("workdays", "between", "2024-12-31", "2024-12-20") == "-5"

    def test_regions_and_landlords_change_the_answer(self) -> None:
        # 2 January is a bank holiday in Scotland only
        assert run("workdays", "add", "2024-12-31", "1") == "2025-01-02"
        assert run("workdays", "add", "2024-12-31", "1", "--region", "scotland") == "2025-01-03"
        run("workdays", "closure", "2024-12-27", "--landlord", "ashford", "--reason", "Christmas closure")
        assert run("workdays", "add", "2024-12-20", "5", "--landlord", "ashford") == "2025-01-02"
        assert ClosureDay.objects.get().reason == "Christmas closure"
        run("workdays", "closure", "2024-12-27", "--landlord", "ashford", "--clear")
        assert run("workdays", "add", "2024-12-20", "5", "--landlord", "ashford") == "2024-12-31"

    def test_one_off_holidays_for_a_landlord(self) -> None:
        run("workdays", "one-off", "2024-06-03", "--landlord", "ashford", "--holiday", "Local holiday")
        assert run("workdays", "check", "2024-06-03", "--landlord", "ashford") == "2024-06-03 is not a working day"
        run("workdays", "one-off", "2024-08-26", "--landlord", "ashford", "--working")
        assert run("workdays", "check", "2024-08-26", "--landlord", "ashford") == "2024-08-26 is a working day"
        assert HolidayChange.objects.count() == 2
        run("workdays", "one-off", "2024-08-26", "--landlord", "ashford", "--clear")
        assert run("workdays", "check", "2024-08-26", "--landlord", "ashford") == "2024-08-26 is not a working day"

    def test_holidays_lists_a_year_with_its_sources(self) -> None:
        listed = run("workdays", "holidays", "2023").splitlines()
        assert "2023-05-08  Mon  Bank holiday for the coronation of King Charles III  [gov.uk]" in listed
        assert len(listed) == 9
        assert "[computed]" in run("workdays", "holidays", "2031")

    def test_disagreements_lists_the_scottish_one_off_of_2026(self) -> None:
        output = run("workdays", "disagreements")
        assert "scotland  2026-06-15  computed only" in output
        assert output.endswith("1 disagreement in the years GOV.UK has published")

    def test_bad_input_is_one_line_and_exit_status_2(self) -> None:
        cases = {
            ("workdays", "add", "2024-13-45", "5"): "'2024-13-45' is not a date",
            ("workdays", "add", "20/12/2024", "5"): "write it as YYYY-MM-DD",
            ("workdays", "add", "2024-12-20", "-1"): "must not be negative",
            ("workdays", "add", "2024-12-20", "five"): "'five' is not a whole number",
            ("workdays", "add", "2024-12-20", "5", "--region", "wales"): "unknown region 'wales'",
            ("workdays", "add", "2024-12-20", "5", "--landlord", "nowhere"): "unknown landlord 'nowhere'",
            ("workdays", "between", "2024-12-20", "soon"): "end date 'soon' is not a date",
            (
                "workdays",
                "add",
                "2024-12-20",
                "5",
                "--region",
                "scotland",
                "--landlord",
                "ashford",
            ): "not both",
            ("workdays", "check", "1066-10-14"): "outside the years the calendar covers",
            ("workdays", "add", "2024-12-20", "99999999"): "goes beyond 2200",
        }
        for args, message in cases.items():
            error = usage_error(*args)
            assert message in error, (args, error)
            assert "\n" not in error

    def test_the_console_script_exits_2_with_one_line_on_stderr(self) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(REPOSITORY)}
        result = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "-m", "putright", "workdays", "add", "2024-12-20", "-3"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "CommandError: number of working days must not be negative, not -3"
        ]
        ok = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "-m", "putright", "workdays", "add", "2024-12-20", "5"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert (ok.returncode, ok.stdout.strip()) == (0, "2024-12-31")


class PolicyCommandTests(TestCase):
    def test_check_exits_0_for_a_policy_that_meets_the_code(self) -> None:
        output = run("policy", "check", str(EXAMPLE_POLICIES / "ashford-2024.toml"))
        assert "Meets every timescale" in output
        assert "STRICTER    6.15   stage2.extension_cap_days" in output

    def test_check_exits_1_and_lists_each_shortfall_with_its_provision(self) -> None:
        out = StringIO()
        with pytest.raises(SystemExit) as caught:
            call_command("policy", "check", str(EXAMPLE_POLICIES / "dartford-2024.toml"), stdout=out)
        assert caught.value.code == 1
        output = out.getvalue()
        assert "Falls short of the Code in 4 ways." in output
        for line in ("FALLS SHORT 5.2    informal_stage", "FALLS SHORT 2.3    acceptance_window_months"):
            assert line in output

    def test_check_refuses_malformed_and_impossible_files_with_status_2(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        cases = {
            "zero.toml": (
                "[stage1]\nrespond_days = 0\n",
                "stage1.respond_days: must be between 1 and 260, not 0",
            ),
            "three.toml": ("stages = 3\n", "stages: must be 1 or 2"),
            "negative.toml": ("acceptance_window_months = -6\n", "acceptance_window_months: must be between"),
            "broken.toml": ("stages = [\n", "is not valid TOML"),
            "typo.toml": ("[stage1]\nrespond_dayz = 10\n", "stage1.respond_dayz: is not a policy setting"),
        }
        for name, (text, message) in cases.items():
            (folder / name).write_text(text)
            assert message in usage_error("policy", "check", str(folder / name))
        assert "cannot read" in usage_error("policy", "check", str(folder / "absent.toml"))

    def test_load_adopts_a_version_and_show_reports_the_one_in_force(self) -> None:
        Landlord.objects.create(slug="medway", name="Medway Council", reference_prefix="MED")
        output = run(
            "policy",
            "load",
            str(EXAMPLE_POLICIES / "medway-2022.toml"),
            "--landlord",
            "medway",
            "--confirm-falls-short",
        )
        assert "for complaints received from 2022-09-01" in output
        run(
            "policy",
            "load",
            str(EXAMPLE_POLICIES / "code-2024.toml"),
            "--landlord",
            "medway",
            "--effective-from",
            "2024-04-01",
        )
        assert PolicyVersion.objects.count() == 2
        assert "In force on 2023-01-01 (from 2022-09-01)" in run(
            "policy", "show", "--landlord", "medway", "--on", "2023-01-01"
        )
        assert "(from 2024-04-01)" in run("policy", "show", "--landlord", "medway", "--on", "2024-04-01")
        assert "the Code's own numbers apply" in run("policy", "show", "--landlord", "medway", "--on", "2020-01-01")
        assert "unknown landlord" in usage_error("policy", "show", "--landlord", "nobody")
        assert "not a date" in usage_error("policy", "show", "--landlord", "medway", "--on", "yesterday")


class DemoCommandTests(TestCase):
    def test_demo_loads_four_landlords_with_their_policies_and_is_idempotent(self) -> None:
        first = run("demo", "--complaints", "0")
        run("demo", "--complaints", "0")
        assert "as 'admin'" in first and "'putright-demo'" in first
        assert sorted(Landlord.objects.values_list("slug", flat=True)) == [
            "ashford",
            "cheshire-west",
            "dartford",
            "medway",
        ]
        assert PolicyVersion.objects.count() == 4
        assert ClosureDay.objects.filter(landlord__slug="ashford").count() == 9
        assert get_user_model().objects.filter(username="admin", is_superuser=True).count() == 1


class RefreshBankHolidaysTests(TestCase):
    """`putright workdays refresh` downloads over real HTTP (a server on loopback stands in for GOV.UK)."""

    def serve(self, body: bytes, status: int = 200) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        return f"http://127.0.0.1:{server.server_port}/bank-holidays.json"

    def test_refresh_saves_the_download_and_the_calendar_uses_it(self) -> None:
        data = packaged_govuk_data()
        data["england-and-wales"]["events"].append({"title": "One-off bank holiday", "date": "2028-06-05"})
        url = self.serve(json.dumps(data).encode())
        target = Path(self.enterContext(tempfile.TemporaryDirectory())) / "bank-holidays.json"
        with self.settings(BANK_HOLIDAYS_URL=url, BANK_HOLIDAYS_FILE=target):
            self.addCleanup(calendars.bank_holiday_source.cache_clear)
            self.addCleanup(calendars.region_calendar.cache_clear)
            assert run("workdays", "check", "2028-06-05") == "2028-06-05 is a working day"
            assert "Saved GOV.UK's bank holidays" in run("workdays", "refresh")
            assert run("workdays", "check", "2028-06-05") == "2028-06-05 is not a working day"
        assert json.loads(target.read_text())["england-and-wales"]["events"][-1]["date"] == "2028-06-05"

    def test_a_failed_or_malformed_download_changes_nothing(self) -> None:
        target = Path(self.enterContext(tempfile.TemporaryDirectory())) / "bank-holidays.json"
        for body, status in ((b"{}", 200), (b"not json", 200), (b"", 503)):
            with self.settings(BANK_HOLIDAYS_URL=self.serve(body, status), BANK_HOLIDAYS_FILE=target):
                assert "could not download bank holidays" in usage_error("workdays", "refresh")
        assert not target.exists()


def putright(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The `putright` console script as an operator runs it: no SECRET_KEY, no DEBUG, unless given."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "LOG_LEVEL"}
    }
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "putright", *args],
        capture_output=True,
        text=True,
        env={**clean, "PYTHONPATH": str(REPOSITORY), **env},
        cwd=REPOSITORY,
        check=False,
        timeout=120,
    )


class ConfigurationErrorTests(TestCase):
    """A setting Putright cannot use is one line naming the variable and exit status 2, never a traceback;
    only serving the web needs SECRET_KEY."""

    def setUp(self) -> None:
        self.var = self.enterContext(tempfile.TemporaryDirectory())

    def test_commands_that_sign_nothing_run_without_a_secret_key_or_debug(self) -> None:
        # tests/test_readme_commands.py runs every README command so; here the one the issue found.
        added = putright("workdays", "add", "2024-12-20", "5", PUTRIGHT_VAR_DIR=self.var)
        assert (added.returncode, added.stdout.strip(), added.stderr) == (0, "2024-12-31", "")
        assert "serve [-h] [--bind BIND]" in putright("serve", "--help", PUTRIGHT_VAR_DIR=self.var).stdout

    def test_serving_the_web_without_a_secret_key_is_refused_in_one_line(self) -> None:
        for command in (["serve", "--bind", "127.0.0.1:1"], ["runserver", "127.0.0.1:1"]):
            refused = putright(*command, PUTRIGHT_VAR_DIR=self.var, ALLOWED_HOSTS="localhost")
            assert refused.returncode == 2, refused.stderr
            assert refused.stderr.startswith("Configuration error: SECRET_KEY is not set, and serving the web needs it")
            assert len(refused.stderr.splitlines()) == 1 and refused.stdout == ""

    def test_a_bad_value_is_one_line_naming_the_variable(self) -> None:
        for variable, value, message in (
            ("DEBUG", "maybe", "DEBUG must be true or false (or 1/0, yes/no, on/off), not 'maybe'"),
            ("OUTBOX_MAX_ATTEMPTS", "0", "OUTBOX_MAX_ATTEMPTS must be between 1 and 50, not 0"),
            ("EMAIL_TIMEOUT", "soon", "EMAIL_TIMEOUT must be a whole number, not 'soon'"),
            ("PUTRIGHT_VAR_DIR", "/proc/no-such/var", "PUTRIGHT_VAR_DIR '/proc/no-such/var' cannot be made"),
        ):
            env = {"PUTRIGHT_VAR_DIR": self.var, "DEBUG": "true", variable: value}
            result = putright("workdays", "add", "2024-12-20", "5", **env)
            assert result.returncode == 2, (variable, result.stderr)
            assert result.stderr.startswith(f"Configuration error: {message}"), result.stderr
            assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
