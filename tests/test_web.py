"""The start page, the health check, the admin, static files, the API's documentation and development email."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout
from datetime import date
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.mail import EmailMessage, send_mail
from django.core.management import call_command
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.urls import reverse

from putright.core.staticfiles import PackageFilesFinder
from putright.correspondence import development_email
from putright.landlords.models import Landlord
from tests.cast import make_cast
from tests.conftest import REPOSITORY
from tests.portal_support import deliver_codes, make_complaint
from tests.test_workspace_support import signed_in


class StartPageTests(TestCase):
    def test_start_page_lists_each_landlord_with_its_timescales(self) -> None:
        call_command("demo", "--complaints", "0", stdout=StringIO())
        with self.assertNumQueries(2):
            response = self.client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<title>Make a complaint to your housing landlord – Putright</title>" in page
        assert "Ashford Borough Council" in page and "Dartford Borough Council" in page
        # Dartford's policy says 7 working days: residents are only promised the Code's 5 (6.2).
        assert "Acknowledged within 5 working days" in page and "within 7 working days" not in page
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


class ApiDocumentationOfflineTests(TestCase):
    """/api/v1/docs works with the network cut: every file it asks for is Putright's own."""

    def test_the_docs_page_asks_only_for_files_this_site_serves(self) -> None:
        response = self.client.get("/api/v1/docs")
        assert response.status_code == 200
        page = response.content.decode()
        asked = re.findall(r'(?:src|href)="([^"]*)"', page)
        assert "/static/swagger-ui/swagger-ui-bundle.js" in asked and "/static/swagger-ui/swagger-ui.css" in asked
        for url in asked:
            assert url.startswith("/") and not url.startswith("//"), url
            assert self.client.get(url).status_code == 200, url
        assert "http://" not in page and "https://" not in page
        settings_json = re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', page)
        assert settings_json
        swagger = json.loads(settings_json.group(1))
        # No online validator (it would send the document to another host), and the document is ours.
        assert swagger["validatorUrl"] is None
        assert swagger["url"] == "/api/v1/openapi.json"

    def test_only_the_files_a_page_uses_are_taken_from_the_npm_packages(self) -> None:
        assert finders.find("swagger-ui/swagger-ui-bundle.js")
        assert finders.find("govuk/assets/fonts/bold-b542beb274-v2.woff2")
        assert not finders.find("swagger-ui/index.html")  # Swagger's demonstration page, which asks a CDN
        assert not finders.find("govuk/components/button/button.mjs")
        assert not PackageFilesFinder().find("govuk/assets/../../../package.json")


DEVELOPMENT_EMAIL = "/staff/development-email/"


class DevelopmentEmailTests(TestCase):
    """With DEBUG, email goes nowhere but the terminal and the development email page."""

    def setUp(self) -> None:
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory())) / "dev-email"
        self.enterContext(
            override_settings(
                DEBUG=True,
                EMAIL_BACKEND="putright.correspondence.development_email.DevelopmentEmailBackend",
                DEVELOPMENT_EMAIL_DIR=self.folder,
            )
        )
        self.enterContext(redirect_stdout(StringIO()))  # what the backend prints in the terminal

    @time_machine.travel(date(2025, 6, 16), tick=False)
    def test_a_resident_reads_their_one_time_code_from_the_page_the_portal_links_to(self) -> None:
        cast = make_cast()
        complaint = make_complaint(self.client)
        self.client.post("/ashford/follow/", {"reference": complaint.reference, "email": "rosa@example.org"})
        deliver_codes()  # the worker's part: `make run` runs one beside the server
        asking = self.client.get("/ashford/follow/code/").content.decode()
        assert f'href="{DEVELOPMENT_EMAIL}"' in asking
        listing = Client().get(DEVELOPMENT_EMAIL)  # no sign-in: the resident is a stranger to the workspace
        assert listing.status_code == 200
        page = listing.content.decode()
        code = re.search(r"Your code is (\d{6})", page)
        assert code, page
        assert f"Your code to follow complaint {complaint.reference}" in page and "rosa@example.org" in page
        opened = self.client.post("/ashford/follow/code/", {"code": code.group(1)})
        assert opened.status_code == 302 and opened["Location"] == "/ashford/your-complaint/"
        staff_page = signed_in(cast.handler).get("/staff/").content.decode()
        assert f'href="{DEVELOPMENT_EMAIL}"' in staff_page

    @time_machine.travel(date(2025, 6, 16), tick=False)
    def test_the_page_and_its_links_do_not_exist_without_debug(self) -> None:
        cast = make_cast()
        complaint = make_complaint(self.client)
        self.client.post("/ashford/follow/", {"reference": complaint.reference, "email": "rosa@example.org"})
        assert self.client.get(DEVELOPMENT_EMAIL).status_code == 200
        for changed in ({"DEBUG": False}, {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}):
            with self.settings(**changed):
                assert self.client.get(DEVELOPMENT_EMAIL).status_code == 404, changed
                assert "development-email" not in self.client.get("/ashford/follow/code/").content.decode()
                assert "development-email" not in signed_in(cast.handler).get("/staff/").content.decode()

    def test_html_in_an_email_is_shown_as_text(self) -> None:
        send_mail("<b>Bold</b> subject", "<script>alert(1)</script> & more", None, ["<i>x</i>@example.org"])
        page = self.client.get(DEVELOPMENT_EMAIL).content.decode()
        assert "<script>alert(1)" not in page and "<b>Bold" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
        assert "&lt;b&gt;Bold&lt;/b&gt; subject" in page

    def test_the_terminal_shows_an_attachment_as_one_line_and_the_page_keeps_it(self) -> None:
        printed = StringIO()
        message = EmailMessage("Your letter", "Please find your letter attached.", None, ["a@b.org"])
        message.attach("PR-1-acknowledgement.pdf", b"%PDF-1.7 " + b"x" * 200_000, "application/pdf")
        with redirect_stdout(printed):
            development_email.DevelopmentEmailBackend().send_messages([message])
        shown = printed.getvalue()
        assert "Subject: Your letter" in shown and "Please find your letter attached." in shown
        assert "[attached: PR-1-acknowledgement.pdf]" in shown
        assert len(shown.splitlines()) < 10  # not the PDF as thousands of lines of base64
        assert development_email.recent()[0].attachments == ("PR-1-acknowledgement.pdf",)

    def test_email_another_process_sends_is_listed_and_only_the_newest_are_kept(self) -> None:
        # The worker is another process: a Putright process with DEBUG on and no EMAIL_BACKEND set.
        code = "from django.core.mail import send_mail; send_mail('From the worker', 'Letter body', None, ['a@b.org'])"
        env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "SECRET_KEY"}}
        env |= {"DEBUG": "true", "PUTRIGHT_VAR_DIR": str(self.folder.parent), "PYTHONPATH": str(REPOSITORY)}
        sent = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "-m", "putright", "shell", "-c", code],
            env={**env, "DJANGO_SETTINGS_MODULE": "putright.settings"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert sent.returncode == 0, sent.stderr
        assert "Subject: From the worker" in sent.stdout  # still printed in the terminal
        with patch.object(development_email, "KEPT", 2):
            send_mail("Second", "two", None, ["a@b.org"])
            send_mail("Third", "three", None, ["a@b.org"])
        assert [message.subject for message in development_email.recent()] == ["Third", "Second"]
        assert len(list(self.folder.glob("*.eml"))) == 2
        page = self.client.get(DEVELOPMENT_EMAIL).content.decode()
        assert "Third" in page and "From the worker" not in page
