"""Signing in and out of the workspace, resetting a password by email, and the idle timeout."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import TestCase, override_settings

from tests.cast import make_cast
from tests.test_workspace_support import page, signed_in

MORNING = datetime(2025, 6, 16, 9, 0, tzinfo=ZoneInfo("Europe/London"))
RUN_TASKS_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class SignInTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_workspace_asks_a_stranger_to_sign_in_and_returns_them_after(self) -> None:
        response = self.client.get("/staff/actions/")
        assert response.status_code == 302 and response["Location"] == "/staff/sign-in/?next=/staff/actions/"
        form = self.client.get(response["Location"])
        assert "Sign in to the complaints workspace" in page(form)
        signed = self.client.post(
            "/staff/sign-in/",
            {"username": "hana.handler", "password": "a-long-test-password", "next": "/staff/actions/"},
        )
        assert signed.status_code == 302 and signed["Location"] == "/staff/actions/"

    def test_a_wrong_password_is_explained_in_an_error_summary(self) -> None:
        response = self.client.post("/staff/sign-in/", {"username": "hana.handler", "password": "wrong"})
        text = page(response)
        assert response.status_code == 200
        assert "<title>Error: Sign in – Putright</title>" in text
        assert 'class="govuk-error-summary"' in text and "Enter a correct username and password" in text
        empty = page(self.client.post("/staff/sign-in/", {"username": "", "password": ""}))
        assert '<a href="#id_username">Enter your username</a>' in empty

    def test_someone_who_is_not_staff_of_a_landlord_is_refused(self) -> None:
        outsider = User.objects.create_user("visitor", "v@example.org", "a-long-test-password")
        response = signed_in(outsider).get("/staff/")
        assert response.status_code == 403 and "not on the staff of a landlord" in page(response)

    def test_signing_out_takes_a_post(self) -> None:
        client = signed_in(self.cast.handler)
        assert client.get("/staff/sign-out/").status_code == 405
        response = client.post("/staff/sign-out/")
        assert response.status_code == 302 and response["Location"] == "/staff/signed-out/"
        assert client.get("/staff/").status_code == 302

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_a_password_is_reset_through_a_link_sent_by_email(self) -> None:
        # The worker sends the email (putright.workspace.accounts): here it runs at once.
        response = self.client.post("/staff/password-reset/", {"email": "hana.handler@example.org"})
        assert response.status_code == 302 and response["Location"] == "/staff/password-reset/sent/"
        assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your Putright password"
        link = re.search(r"http://testserver(/staff/password-reset/\S+/)", mail.outbox[0].body)
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        assert "Choose a new password" in page(form)
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": "correct-horse-battery", "new_password2": "correct-horse-battery"},
        )
        assert done["Location"] == "/staff/password-reset/done/"
        signed = self.client.post("/staff/sign-in/", {"username": "hana.handler", "password": "correct-horse-battery"})
        assert signed.status_code == 302 and signed["Location"] == "/staff/"

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_an_unknown_email_address_gets_the_same_answer_and_no_email(self) -> None:
        response = self.client.post("/staff/password-reset/", {"email": "nobody@example.org"})
        assert response["Location"] == "/staff/password-reset/sent/" and not mail.outbox


class IdleTimeoutTests(TestCase):
    def test_a_session_ends_after_30_minutes_without_a_request(self) -> None:
        assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        cast = make_cast()
        with time_machine.travel(MORNING, tick=False) as traveller:
            client = signed_in(cast.handler)
            assert client.get("/staff/").status_code == 200
            for _ in range(3):  # working on: each request within 30 minutes keeps the session alive
                traveller.shift(timedelta(minutes=25))
                assert client.get("/staff/").status_code == 200
            traveller.shift(timedelta(minutes=31))
            response = client.get("/staff/")
            assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
