"""Staff sign-in's locked doors (issue 21): a second factor for officers, managers and admins, a
lockout with a cool-down after repeated failures, passwords of 12 characters stored with Argon2,
reset links limited and answered in the same time whoever asks, and sessions ended by a new password.

Everyone here signs in through the pages, as a person does (never force_login, which stands for a
fully signed-in person elsewhere in the suite: tests/conftest.py)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, TestCase, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

import putright.settings as real_settings
from putright.landlords.models import PasswordResetRequest, StaffMember, StaffRole
from tests.cast import make_cast, staff
from tests.test_workspace_support import page
from tests.webauthn_support import SoftPasskey

MORNING = datetime(2026, 6, 16, 9, 0, tzinfo=ZoneInfo("Europe/London"))
PASSWORD = "a-long-test-password"
RUN_TASKS_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TASKS_IN_THE_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def code_for(device: TOTPDevice) -> str:
    """What the person's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def browser(address: str = "192.0.2.10") -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str = PASSWORD, next: str = "") -> object:
    data = {"username": username, "password": password}
    if next:
        data["next"] = next
    return client.post("/staff/sign-in/", data)


def set_up_app(client: Client, user: User) -> TOTPDevice:
    """Signs in with the password, then sets up an authenticator app on the page that asks for it."""
    signed = sign_in(client, user.username)
    assert signed["Location"] == "/staff/"
    asked = client.get("/staff/")
    assert asked.status_code == 302 and asked["Location"] == "/staff/second-factor/?next=%2Fstaff%2F"
    setup = client.get(asked["Location"], follow=True)
    assert setup.redirect_chain[-1][0] == "/staff/second-factor/set-up/?next=%2Fstaff%2F"
    text = page(setup)
    assert "Set up an authenticator app" in text and "<svg" in text and "QR code to scan" in text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", text)
    assert secret is not None and secret.group(1).replace(" ", "") in device.config_url
    done = client.post("/staff/second-factor/set-up/", {"code": code_for(device), "next": "/staff/"})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    return device


class SecondFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_officer_sets_up_an_app_after_the_password_and_then_gives_its_code_each_time(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            client = browser()
            device = set_up_app(client, self.cast.officer)
            assert client.get("/staff/").status_code == 200
            client.post("/staff/sign-out/")

            traveller.shift(timedelta(minutes=5))
            assert sign_in(client, "olu.officer")["Location"] == "/staff/"
            asked = client.get("/staff/team/")
            assert asked["Location"] == "/staff/second-factor/?next=%2Fstaff%2Fteam%2F"
            form = client.get(asked["Location"])
            assert "Enter the code from your authenticator app" in page(form)
            assert client.get("/staff/second-factor/set-up/")["Location"].startswith("/staff/second-factor/")

            wrong = client.post("/staff/second-factor/", {"code": "000000", "next": "/staff/team/"})
            assert wrong.status_code == 200 and "The code is not right" in page(wrong)
            assert client.get("/staff/team/").status_code == 302
            too_soon = client.post("/staff/second-factor/", {"code": code_for(device), "next": "/staff/team/"})
            assert "There have been several wrong codes: wait a minute" in page(too_soon)

            short = client.post("/staff/second-factor/", {"code": "12 34", "next": "/staff/team/"})
            assert "The code must be 6 numbers" in page(short)
            empty = client.post("/staff/second-factor/", {"code": "", "next": "/staff/team/"})
            assert "Enter the 6-digit code from your authenticator app" in page(empty)

            traveller.shift(timedelta(seconds=30))  # django-otp slows down guesses after a wrong code
            right = client.post("/staff/second-factor/", {"code": code_for(device), "next": "/staff/team/"})
            assert right.status_code == 302 and right["Location"] == "/staff/team/"
            assert client.get("/staff/team/").status_code == 200

    def test_a_used_code_does_not_work_twice(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            device = set_up_app(browser(), self.cast.manager)
            other = browser("192.0.2.11")
            sign_in(other, "mei.manager")
            replayed = other.post("/staff/second-factor/", {"code": code_for(device), "next": "/staff/"})
            assert replayed.status_code == 200 and "The code is not right" in page(replayed)

    def test_a_handler_goes_straight_in_unless_the_landlord_asks_it_of_every_role(self) -> None:
        client = browser()
        sign_in(client, "hana.handler")
        assert client.get("/staff/").status_code == 200
        client.post("/staff/sign-out/")

        self.cast.landlord.second_factor_for_all_roles = True
        self.cast.landlord.save(update_fields=["second_factor_for_all_roles"])
        sign_in(client, "hana.handler")
        assert client.get("/staff/")["Location"] == "/staff/second-factor/?next=%2Fstaff%2F"
        # Another landlord's setting is its own: Medway's staff are not affected by Ashford's.
        medway_handler = User.objects.create_user("mo.medway", "mo@example.org", PASSWORD)
        StaffMember.objects.create(user=medway_handler, landlord=self.cast.other_landlord, role=StaffRole.HANDLER)
        medway = browser("192.0.2.12")
        sign_in(medway, "mo.medway")
        assert medway.get("/staff/").status_code == 200

    def test_someone_who_set_up_an_app_by_choice_is_asked_for_it(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            TOTPDevice.objects.create(user=self.cast.auditor, name="Phone", confirmed=True)
            client = browser()
            sign_in(client, "aziz.auditor")
            assert client.get("/staff/team/")["Location"].startswith("/staff/second-factor/")

    def test_the_admin_asks_for_the_second_factor_after_its_own_sign_in(self) -> None:
        User.objects.create_superuser("ada.admin", "ada@example.org", PASSWORD)
        with time_machine.travel(MORNING, tick=False):
            client = browser()
            signed = client.post(
                "/admin/login/?next=/admin/", {"username": "ada.admin", "password": PASSWORD, "next": "/admin/"}
            )
            assert signed.status_code == 302
            asked = client.get("/admin/")
            assert asked.status_code == 302 and asked["Location"] == "/staff/second-factor/?next=%2Fadmin%2F"
            setup = client.get(asked["Location"], follow=True)
            device = TOTPDevice.objects.get(user__username="ada.admin", confirmed=False)
            assert "Set up an authenticator app" in page(setup)
            done = client.post("/staff/second-factor/set-up/", {"code": code_for(device), "next": "/admin/"})
            assert done["Location"] == "/admin/"
            assert client.get("/admin/").status_code == 200

    def test_a_page_elsewhere_is_never_where_the_code_sends_anyone(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            client = browser()
            device = set_up_app(client, self.cast.officer)
            client.post("/staff/sign-out/")
            sign_in(client, "olu.officer")
            MORNING_LATER = time_machine.travel(MORNING + timedelta(minutes=1), tick=False)
            with MORNING_LATER:
                answer = client.post(
                    "/staff/second-factor/", {"code": code_for(device), "next": "https://elsewhere.example/"}
                )
            assert answer["Location"] == "/staff/"

    def test_what_is_typed_as_a_code_comes_back_as_text(self) -> None:
        client = browser()
        sign_in(client, "olu.officer")
        answer = client.post("/staff/second-factor/set-up/", {"code": "<script>alert(1)</script>"})
        assert "<script>alert(1)</script>" not in page(answer)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(answer)

    def test_the_second_factor_pages_ask_a_stranger_to_sign_in(self) -> None:
        for path in ("/staff/second-factor/", "/staff/second-factor/set-up/"):
            response = Client().get(path)
            assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")

    def test_the_api_is_not_asked_for_a_second_factor(self) -> None:
        from putright.api import tokens

        _, secret = tokens.issue(self.cast.officer, "Reports")
        response = Client().get("/api/v1/complaints", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200


class LockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_signs_in_with_a_second_factor_is_locked_out_and_recovers_after_the_cool_down(self) -> None:
        """The issue's test: a second factor, a lockout after repeated failures, and the way back."""
        with time_machine.travel(MORNING, tick=False) as traveller:
            client = browser()
            device = set_up_app(client, self.cast.officer)
            assert client.get("/staff/").status_code == 200
            client.post("/staff/sign-out/")

            for _ in range(4):
                failed = sign_in(client, "olu.officer", "not-the-password")
                assert failed.status_code == 200 and "Enter a correct username and password" in page(failed)
            locked = sign_in(client, "olu.officer", "not-the-password")
            assert locked.status_code == 429
            assert "You cannot sign in for now" in page(locked) and "Try again after 9:15am" in page(locked)

            traveller.shift(timedelta(minutes=5))
            refused = sign_in(client, "olu.officer")  # the right password, from anywhere, does not get in
            assert refused.status_code == 429 and "Try again after 9:20am" in page(refused)
            assert sign_in(browser("198.51.100.7"), "olu.officer").status_code == 429
            assert client.get("/staff/").status_code == 302

            traveller.shift(timedelta(minutes=16))
            signed = sign_in(client, "olu.officer")
            assert signed.status_code == 302 and signed["Location"] == "/staff/"
            answer = client.post("/staff/second-factor/", {"code": code_for(device), "next": "/staff/"})
            assert answer["Location"] == "/staff/"
            assert client.get("/staff/").status_code == 200

    def test_the_lockout_says_nothing_about_whether_the_account_exists(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            pages = []
            for username in ("hana.handler", "nobody.at.all"):
                client = browser(f"192.0.2.{20 + len(pages)}")
                for _ in range(5):
                    last = sign_in(client, username, "wrong-password")
                pages.append((last.status_code, page(last).replace(username, "")))
            assert pages[0] == pages[1] and pages[0][0] == 429

    def test_one_address_is_locked_out_whatever_usernames_it_tries(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            client = browser("203.0.113.5")
            for number in range(5):
                sign_in(client, f"guess{number}", "wrong-password")
            assert sign_in(client, "hana.handler").status_code == 429
            # Hana herself, from her own desk, is not locked out by someone else's guessing.
            assert sign_in(browser("192.0.2.30"), "hana.handler")["Location"] == "/staff/"

    def test_the_admin_sign_in_locks_out_too(self) -> None:
        User.objects.create_superuser("ada.admin", "ada@example.org", PASSWORD)
        with time_machine.travel(MORNING, tick=False) as traveller:
            client = browser()
            for _ in range(5):
                client.post("/admin/login/", {"username": "ada.admin", "password": "wrong", "next": "/admin/"})
            refused = client.post("/admin/login/", {"username": "ada.admin", "password": PASSWORD, "next": "/admin/"})
            assert refused.status_code == 429 and "You cannot sign in for now" in page(refused)
            traveller.shift(timedelta(minutes=16))
            signed = client.post("/admin/login/", {"username": "ada.admin", "password": PASSWORD, "next": "/admin/"})
            assert signed.status_code == 302

    def test_behind_a_trusted_proxy_the_client_address_is_counted(self) -> None:
        with override_settings(TRUSTED_PROXY_COUNT=1), time_machine.travel(MORNING, tick=False):
            proxy = "10.0.0.1"
            for number in range(5):
                Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").post(
                    "/staff/sign-in/", {"username": f"guess{number}", "password": "wrong"}
                )
            someone_else = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
            assert sign_in(someone_else, "hana.handler")["Location"] == "/staff/"


class PasswordTests(TestCase):
    def test_a_password_needs_12_characters_and_must_not_be_common_or_like_the_person(self) -> None:
        user = User(username="hana.handler", email="hana.handler@example.org", first_name="Hana")
        validate_password("violet-tuesday-lamp", user)
        for weak, reason in (
            ("short-pass1", "at least 12 characters"),
            ("password1234", "too common"),
            ("hana.handler1", "too similar"),
            ("839201748392", "entirely numeric"),
        ):
            with self.assertRaises(ValidationError) as refused:
                validate_password(weak, user)
            assert reason in " ".join(refused.exception.messages), (weak, refused.exception.messages)

    def test_new_passwords_are_stored_with_argon2_and_older_ones_upgraded_at_sign_in(self) -> None:
        hashers = real_settings.PASSWORD_HASHERS
        assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
        cast = make_cast()
        with override_settings(PASSWORD_HASHERS=hashers):
            User.objects.filter(pk=cast.handler.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
            assert sign_in(browser(), "hana.handler")["Location"] == "/staff/"
            cast.handler.refresh_from_db()
            assert cast.handler.password.startswith("argon2$")
            assert sign_in(browser("192.0.2.40"), "hana.handler")["Location"] == "/staff/"

    def test_a_new_password_ends_every_other_session(self) -> None:
        cast = make_cast()
        desk, phone = browser(), browser("192.0.2.41")
        sign_in(desk, "hana.handler")
        sign_in(phone, "hana.handler")
        assert desk.get("/staff/").status_code == 200 and phone.get("/staff/").status_code == 200
        cast.handler.set_password("a-brand-new-password-2026")
        cast.handler.save()
        for client in (desk, phone):
            response = client.get("/staff/")
            assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_a_reset_password_signs_out_the_sessions_signed_in_before(self) -> None:
        make_cast()
        desk = browser()
        sign_in(desk, "hana.handler")
        assert desk.get("/staff/").status_code == 200
        other = browser("192.0.2.42")
        other.post("/staff/password-reset/", {"email": "hana.handler@example.org"})
        link = re.search(r"http://testserver(/staff/password-reset/\S+/)", mail.outbox[0].body)
        assert link is not None
        form = other.get(link.group(1), follow=True)
        weak = other.post(form.redirect_chain[-1][0], {"new_password1": "short-pass1", "new_password2": "short-pass1"})
        assert "at least 12 characters" in page(weak)
        other.post(
            form.redirect_chain[-1][0],
            {"new_password1": "violet-tuesday-lamp", "new_password2": "violet-tuesday-lamp"},
        )
        assert desk.get("/staff/")["Location"].startswith("/staff/sign-in/")
        assert sign_in(desk, "hana.handler", "violet-tuesday-lamp")["Location"] == "/staff/"


class PasswordResetLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def ask(self, email: str, address: str = "192.0.2.50") -> None:
        response = browser(address).post("/staff/password-reset/", {"email": email})
        assert response.status_code == 302 and response["Location"] == "/staff/password-reset/sent/"

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_three_links_an_hour_for_one_email_and_the_same_answer_after(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            for number in range(5):
                self.ask("Hana.Handler@example.org", f"192.0.2.{60 + number}")
            assert len(mail.outbox) == 3
            traveller.shift(timedelta(minutes=61))
            self.ask("hana.handler@example.org")
            assert len(mail.outbox) == 4

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_ten_requests_an_hour_from_one_address(self) -> None:
        with time_machine.travel(MORNING, tick=False):
            for number in range(10):
                self.ask(f"nobody{number}@example.org", "203.0.113.77")
            self.ask("hana.handler@example.org", "203.0.113.77")
            assert not mail.outbox
            self.ask("hana.handler@example.org", "203.0.113.78")
            assert len(mail.outbox) == 1

    def test_counters_keep_digests_not_addresses_and_are_cleared_after_a_day(self) -> None:
        with time_machine.travel(MORNING, tick=False) as traveller:
            self.ask("hana.handler@example.org")
            row = PasswordResetRequest.objects.get()
            assert "hana" not in row.email_key and "192.0.2" not in row.address_key
            traveller.shift(timedelta(days=2))
            self.ask("nobody@example.org")
            assert PasswordResetRequest.objects.count() == 1

    @override_settings(TASKS=TASKS_IN_THE_DATABASE)
    def test_a_known_address_gets_the_same_answer_as_an_unknown_one_and_its_email_waits_for_the_worker(self) -> None:
        """The request does the same work either way; the email is written and sent by the worker, so the
        answer's time does not tell a known address from an unknown one (benchmarks/password_reset.py
        measures the two: medians 1.3 ms apart, docs/benchmarks.md)."""
        from django_tasks_db.models import DBTaskResult

        known = browser().post("/staff/password-reset/", {"email": "hana.handler@example.org"})
        unknown = browser("192.0.2.11").post("/staff/password-reset/", {"email": "nobody@example.org"})
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
        assert known.content == unknown.content
        assert not mail.outbox  # nothing was written or sent in either request
        assert DBTaskResult.objects.count() == 1  # the known address's email, queued for the worker
        assert PasswordResetRequest.objects.count() == 2  # both counted against the limits alike

    @override_settings(TASKS=RUN_TASKS_AT_ONCE)
    def test_no_link_for_an_inactive_account(self) -> None:
        User.objects.filter(pk=self.cast.handler.pk).update(is_active=False)
        self.ask("hana.handler@example.org")
        assert not mail.outbox


def signed_in_with_app(user: User, address: str = "192.0.2.10") -> tuple[Client, TOTPDevice]:
    """A browser that has given the password and a code from the person's (one) app."""
    client = browser(address)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        sign_in(client, user.username)
        with time_machine.travel(time.time() + 30 * TOTPDevice.objects.count(), tick=True):
            given = client.post("/staff/second-factor/", {"code": code_for(device), "next": "/staff/"})
        assert given["Location"] == "/staff/", page(given)
        return client, device
    if user.username == "hana.handler":
        # A handler is not asked for one: she adds an app by choice on "Your sign-in".
        sign_in(client, user.username)
        client.get("/staff/account/security/app/")
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        added = client.post("/staff/account/security/app/", {"code": code_for(device)})
        assert added["Location"] == "/staff/account/security/"
        device.refresh_from_db()
        assert device.confirmed
        sign_in(client, user.username)  # a new sign-in, confirmed with the app
        assert client.get("/staff/")["Location"].startswith("/staff/second-factor/")
        with time_machine.travel(time.time() + 30, tick=True):
            assert client.post("/staff/second-factor/", {"code": code_for(device)}).status_code == 302
        return client, device
    return client, set_up_app(client, user)


class PasskeyTests(TestCase):
    """Passkeys beside the app: set up and used through Putright's passkey pages, with answers made by a
    software key (tests/webauthn_support.py) and checked by django-otp-webauthn's own verification."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_officer_adds_a_passkey_and_signs_in_with_it_instead_of_a_code(self) -> None:
        client, _ = signed_in_with_app(self.cast.officer)
        key = SoftPasskey()
        added = key.register(client)
        assert added.status_code == 200, added.content
        [passkey] = WebAuthnCredential.objects.filter(user=self.cast.officer)
        assert passkey.name == "Passkey 1" and passkey.confirmed
        listed = page(client.get("/staff/account/security/"))
        assert "Passkey 1" in listed and "Authenticator app" in listed and "Not used yet" in listed
        client.post("/staff/sign-out/")

        other = browser("192.0.2.20")
        sign_in(other, "olu.officer")
        asked = other.get("/staff/second-factor/?next=%2Fstaff%2Fteam%2F")
        assert "Or use a passkey" in page(asked) and 'id="passkey-verification-button"' in page(asked)
        used = key.sign_in(other, next="/staff/team/")
        assert used.status_code == 200 and used.json()["redirect_url"] == "/staff/team/"
        assert other.get("/staff/team/").status_code == 200
        passkey.refresh_from_db()
        assert passkey.last_used_at is not None and passkey.sign_count == 1
        assert "Last used" in page(other.get("/staff/account/security/"))

    def test_someone_with_only_a_passkey_is_asked_for_it_and_not_for_a_code(self) -> None:
        client = browser()
        sign_in(client, "olu.officer")
        setup = client.get("/staff/second-factor/set-up/?next=%2Fstaff%2F")
        assert "Or set up a passkey instead" in page(setup)
        key = SoftPasskey()
        assert key.register(client).status_code == 200  # the first factor: it confirms this session too
        assert client.get("/staff/").status_code == 200
        TOTPDevice.objects.filter(user=self.cast.officer).delete()  # the app was never finished
        other = browser("192.0.2.21")
        sign_in(other, "olu.officer")
        asked = other.get("/staff/second-factor/?next=%2Fstaff%2F")
        assert "Use your passkey" in page(asked) and "Enter the code" not in page(asked)
        assert other.post("/staff/second-factor/", {"code": "123456"}).status_code == 200
        assert other.get("/staff/")["Location"].startswith("/staff/second-factor/")
        assert key.sign_in(other).status_code == 200
        assert other.get("/staff/").status_code == 200

    def test_the_passkey_pages_answer_only_someone_who_has_given_their_password(self) -> None:
        stranger = browser()
        for url in (
            "/staff/passkeys/registration/begin/",
            "/staff/passkeys/registration/complete/",
            "/staff/passkeys/authentication/begin/",
            "/staff/passkeys/authentication/complete/",
        ):
            refused = stranger.post(url, "{}", "application/json")
            assert refused.status_code in (401, 403) and refused.json()["code"] == "not_authenticated", url
        assert stranger.get("/staff/passkeys/jsi18n/").status_code == 403
        assert not WebAuthnCredential.objects.exists()

    def test_a_passkey_cannot_be_added_before_the_second_factor_is_given(self) -> None:
        client, _ = signed_in_with_app(self.cast.officer)
        half = browser("192.0.2.22")
        sign_in(half, "olu.officer")  # the password only
        refused = half.post("/staff/passkeys/registration/begin/")
        assert refused.status_code == 403 and refused.json()["code"] == "user_not_verified"

    def test_someone_elses_passkey_does_not_confirm_this_session(self) -> None:
        officer, _ = signed_in_with_app(self.cast.officer)
        key = SoftPasskey()
        key.register(officer)
        manager = browser("192.0.2.23")
        sign_in(manager, "mei.manager")
        taken = key.sign_in(manager)
        assert taken.status_code >= 400
        assert manager.get("/staff/")["Location"].startswith("/staff/second-factor/")

    def test_the_passkey_script_is_a_file_of_ours_allowed_by_the_content_security_policy(self) -> None:
        client, _ = signed_in_with_app(self.cast.officer)
        answer = client.get("/staff/account/security/")
        text = page(answer)
        assert "script-src 'self'" in answer["Content-Security-Policy"]
        scripts = re.findall(r"<script([^>]*)>", text)
        assert scripts and all("src=" in attributes or "application/json" in attributes for attributes in scripts)
        assert '/static/django_otp_webauthn/otp_webauthn_register.js"' in text
        assert client.get("/static/django_otp_webauthn/otp_webauthn_register.js").status_code == 200


class YourSignInTests(TestCase):
    """The page that lists a person's apps and passkeys; removing one; a colleague's reset."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_page_lists_each_way_in_with_when_it_was_last_used_in_a_fixed_number_of_queries(self) -> None:
        client, _ = signed_in_with_app(self.cast.officer)
        SoftPasskey().register(client)
        SoftPasskey().register(client)
        client.get("/staff/account/security/")
        with self.assertNumQueries(6):
            text = page(client.get("/staff/account/security/"))
        assert text.count('class="govuk-summary-list__row"') == 3
        assert "Passkey 1" in text and "Passkey 2" in text and "Last used" in text
        # The officer is offered each colleague at Ashford to reset, and nobody from Medway.
        assert "Hana Handler" in text and "Mei Manager" in text and "Sam Stranger" not in text
        staff("nia.handler", self.cast.landlord, StaffRole.HANDLER)
        with self.assertNumQueries(6):
            assert "Nia Handler" in page(client.get("/staff/account/security/"))  # the same with more colleagues

    def test_the_last_one_cannot_be_removed_when_the_role_needs_a_second_factor(self) -> None:
        client, device = signed_in_with_app(self.cast.officer)
        url = f"/staff/account/security/app/{device.pk}/remove/"
        assert "Remove Authenticator app?" in page(client.get(url))
        refused = client.post(url)
        assert refused.status_code == 400
        assert "You cannot remove your only way to confirm it is you: your role needs one" in html.unescape(
            page(refused)
        )
        assert TOTPDevice.objects.filter(pk=device.pk).exists() and client.get("/staff/").status_code == 200

    def test_a_handler_may_remove_the_app_they_set_up_by_choice(self) -> None:
        client, device = signed_in_with_app(self.cast.handler)
        removed = client.post(f"/staff/account/security/app/{device.pk}/remove/")
        # This session was confirmed with it, so it ended too: sign in again.
        assert removed["Location"].startswith("/staff/sign-in/")
        assert not TOTPDevice.objects.filter(user=self.cast.handler).exists()
        sign_in(client, "hana.handler")
        assert client.get("/staff/").status_code == 200  # no second factor asked of a handler any more

    def test_removing_one_ends_every_session_confirmed_with_it_and_no_other(self) -> None:
        desk, app = signed_in_with_app(self.cast.officer)
        key = SoftPasskey()
        key.register(desk)
        laptop = browser("192.0.2.30")
        sign_in(laptop, "olu.officer")
        assert key.sign_in(laptop).status_code == 200
        phone, _ = signed_in_with_app(self.cast.officer, "192.0.2.31")
        assert all(c.get("/staff/").status_code == 200 for c in (desk, laptop, phone))

        removed = laptop.post(f"/staff/account/security/app/{app.pk}/remove/")
        assert removed["Location"] == "/staff/account/security/?removed=1"
        assert "Any browser that signed in with it must sign in again" in page(laptop.get(removed["Location"]))
        for ended in (desk, phone):
            assert ended.get("/staff/")["Location"].startswith("/staff/sign-in/")
        assert laptop.get("/staff/").status_code == 200
        again = laptop.post(f"/staff/account/security/app/{app.pk}/remove/")  # a second press changes nothing
        assert again["Location"] == "/staff/account/security/?removed=1"
        assert WebAuthnCredential.objects.filter(user=self.cast.officer).count() == 1

    def test_one_persons_device_cannot_be_removed_by_another(self) -> None:
        officer, device = signed_in_with_app(self.cast.officer)
        manager, _ = signed_in_with_app(self.cast.manager, "192.0.2.32")
        answer = manager.post(f"/staff/account/security/app/{device.pk}/remove/")
        assert answer["Location"] == "/staff/account/security/?removed=1"  # as if gone: says nothing more
        assert TOTPDevice.objects.filter(pk=device.pk).exists() and officer.get("/staff/").status_code == 200
        assert manager.get("/staff/account/security/passkeys/1/remove/").status_code == 404

    def test_a_manager_resets_a_colleagues_second_factor_and_ends_all_their_sessions(self) -> None:
        officer, _ = signed_in_with_app(self.cast.officer)
        SoftPasskey().register(officer)
        elsewhere, _ = signed_in_with_app(self.cast.officer, "192.0.2.33")
        manager, _ = signed_in_with_app(self.cast.manager, "192.0.2.34")
        url = f"/staff/account/colleagues/{self.cast.officer.pk}/second-factor/reset/"
        assert "Reset Olu Officer" in html.unescape(page(manager.get(url)))
        done = manager.post(url)
        assert done["Location"] == "/staff/account/security/?reset=1"
        assert not TOTPDevice.objects.filter(user=self.cast.officer).exists()
        assert not WebAuthnCredential.objects.filter(user=self.cast.officer).exists()
        for ended in (officer, elsewhere):
            assert ended.get("/staff/")["Location"].startswith("/staff/sign-in/")
        assert manager.get("/staff/").status_code == 200
        # At the next sign-in the officer sets up a new one.
        sign_in(officer, "olu.officer")
        assert (
            officer.get("/staff/second-factor/", follow=True)
            .redirect_chain[-1][0]
            .startswith("/staff/second-factor/set-up/")
        )

    def test_a_reset_is_refused_to_a_handler_and_to_another_landlords_officer(self) -> None:
        signed_in_with_app(self.cast.officer)
        url = f"/staff/account/colleagues/{self.cast.officer.pk}/second-factor/reset/"
        handler = browser("192.0.2.35")
        sign_in(handler, "hana.handler")
        refused = handler.post(url)
        assert refused.status_code == 403
        assert "Only a complaints officer or a manager can reset a colleague's sign-in" in html.unescape(page(refused))
        stranger, _ = signed_in_with_app(self.cast.stranger, "192.0.2.36")
        assert stranger.post(url).status_code == 404
        assert TOTPDevice.objects.filter(user=self.cast.officer, confirmed=True).exists()


def test_passkey_origins_must_be_https_on_the_relying_partys_domain(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Putright refuses to start with an address a passkey could never work at, naming the variable."""
    code = (
        "from putright.environment import SettingError\n"
        "try:\n    import putright.settings as s; print('ok', s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS)\n"
        "except SettingError as error:\n    print(error.variable, '|', error)"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OTP_WEBAUTHN", "SECRET_KEY", "DEBUG"))}
    cases = {
        "http://complaints.example.org": ("complaints.example.org", "OTP_WEBAUTHN_ALLOWED_ORIGINS |"),
        "https://complaints.other.org": ("example.org", "OTP_WEBAUTHN_ALLOWED_ORIGINS |"),
        "https://complaints.example.org": ("example.org", "ok example.org ['https://complaints.example.org']"),
        "http://localhost:8000": ("localhost", "ok localhost ['http://localhost:8000']"),
    }
    for origins, (rp_id, printed) in cases.items():
        env = {**keep, "PUTRIGHT_VAR_DIR": str(tmp_path), "OTP_WEBAUTHN_RP_ID": rp_id}
        env["OTP_WEBAUTHN_ALLOWED_ORIGINS"] = origins
        answer = subprocess.run(  # noqa: S603 - a fixed command line
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        assert answer.stdout.startswith(printed), (origins, answer.stdout, answer.stderr[-500:])
