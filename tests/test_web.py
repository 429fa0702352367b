"""The start page, the health check and the admin."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from putright.landlords.models import Landlord
from tests.conftest import REPOSITORY


class StartPageTests(TestCase):
    def test_start_page_lists_each_landlord_with_its_timescales(self) -> None:
        call_command("demo", "--complaints", "0", stdout=StringIO())
        with self.assertNumQueries(2):
            response = self.client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<title>Make a complaint to your housing landlord – Putright</title>" in page
        assert "Ashford Borough Council" in page and "Dartford Borough Council" in page
        assert "Acknowledged within 7 working days" in page  # Dartford's stage 1
        assert "0300 111 3000" in page  # 3.7: the Ombudsman's details
        assert "/static/govuk/govuk-frontend.min.css" in page

    def test_start_page_escapes_landlord_names(self) -> None:
        Landlord.objects.create(slug="x", name="<script>alert(1)</script>", reference_prefix="XX")
        page = self.client.get("/").content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_start_page_refuses_post(self) -> None:
        assert self.client.post("/").status_code == 405


class StaticFilesTests(TestCase):
    def test_govuk_frontend_is_served_from_its_npm_package(self) -> None:
        response = self.client.get("/static/govuk/govuk-frontend.min.css")
        assert response.status_code == 200
        font = self.client.get("/assets/fonts/bold-b542beb274-v2.woff2")
        assert font.status_code == 200


class AdminTests(TestCase):
    def test_an_administrator_can_configure_a_landlord(self) -> None:
        call_command("demo", "--complaints", "0", stdout=StringIO())
        admin = get_user_model().objects.get(username="admin")
        self.client.force_login(admin)
        landlord = Landlord.objects.get(slug="ashford")
        response = self.client.get(reverse("admin:landlords_landlord_change", args=[landlord.pk]))
        assert response.status_code == 200
        assert "Ashford Borough Council Housing Service Complaints Policy 2024" in response.content.decode()

    def test_email_no_landlord_claimed_is_readable_as_text_in_the_admin(self) -> None:
        from putright.correspondence.inbound import ingest

        call_command("demo", "--complaints", "0", stdout=StringIO())
        self.client.force_login(get_user_model().objects.get(username="admin"))
        message = ingest(
            b"From: someone@example.net\r\nTo: nobody@elsewhere.example\r\nSubject: <b>Lost</b>\r\n"
            b"Content-Type: text/html\r\n\r\n<p onclick='x()'>Hello</p><script>alert(1)</script>\r\n"
        )
        assert message.landlord is None
        listing = self.client.get(reverse("admin:correspondence_inboundmessage_changelist") + "?landlord__isempty=1")
        assert listing.status_code == 200 and "&lt;b&gt;Lost&lt;/b&gt;" in listing.content.decode()
        page = self.client.get(
            reverse("admin:correspondence_inboundmessage_change", args=[message.pk])
        ).content.decode()
        assert "<script>alert" not in page and "onclick" not in page
        assert (
            self.client.post(reverse("admin:correspondence_inboundmessage_delete", args=[message.pk])).status_code
            == 403
        )

    def test_the_admin_asks_strangers_to_sign_in(self) -> None:
        response = self.client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


class HealthCheckTests(TransactionTestCase):
    def test_healthz_is_200_when_the_database_answers(self) -> None:
        response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_healthz_is_503_when_the_database_does_not_answer(self) -> None:
        # A real Putright process whose PostgreSQL server is not there.
        code = (
            "import django; django.setup(); from django.test.utils import setup_test_environment; "
            "setup_test_environment(); from django.test import Client; r = Client().get('/healthz'); "
            "print(r.status_code, r.json()['status'])"
        )
        result = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "-c", code],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "PYTHONPATH": str(REPOSITORY),
                "DATABASE_URL": "postgres://postgres@127.0.0.1:1/putright?connect_timeout=2",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.strip() == "503 unavailable", result.stderr


class MigrationTests(TestCase):
    def test_every_model_change_has_its_migration(self) -> None:
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
        assert "No changes detected" in out.getvalue()
