"""A complaints officer's first sign-in in a real browser: the password, then setting up an
authenticator app from the key on the page, then the code at the next sign-in; a passkey added on
"Your sign-in" (chromium's virtual authenticator) and used instead of the code, and the app removed;
and the page after too many wrong passwords. Each page passes axe's WCAG 2.2 AA checks."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Visit
from tests.cast import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(key: str) -> str:
    """What an authenticator app shows for the key typed into it (the page's key, spaces and all)."""
    totp = TOTP(b32decode(key.replace(" ", "")))
    return f"{totp.token():06d}"


def type_password(visit: Visit, username: str, password: str = PASSWORD) -> None:
    visit.go("/staff/sign-in/")
    visit.page.get_by_label("Username").fill(username)
    visit.page.get_by_label("Password").fill(password)
    visit.page.get_by_role("button", name="Sign in").click()


def test_an_officer_sets_up_an_authenticator_app_and_signs_in_with_its_code(visit: Visit) -> None:
    make_cast()
    type_password(visit, "olu.officer")
    visit.page.wait_for_url(re.compile(r"/staff/second-factor/set-up/"))
    expect(visit.page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(visit.page.locator("[data-qr-code] svg")).to_be_visible()
    visit.check("two-factor-set-up")

    wrong = "000000" if code_from_key(visit.page.locator("[data-secret]").inner_text()) != "000000" else "111111"
    visit.page.get_by_label("Code from your authenticator app").fill(wrong)
    visit.page.get_by_role("button", name="Finish setting up").click()
    expect(visit.page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    visit.check("two-factor-set-up-wrong-code")

    visit.page.wait_for_timeout(1_500)  # a person reads the message; django-otp waits a second after a wrong code
    key = visit.page.locator("[data-secret]").inner_text()
    visit.page.get_by_label("Code from your authenticator app").fill(code_from_key(key))
    visit.page.get_by_role("button", name="Finish setting up").click()
    visit.page.wait_for_url(re.compile(r"/staff/$"))
    assert TOTPDevice.objects.filter(user__username="olu.officer", confirmed=True).count() == 1
    visit.sign_out()

    type_password(visit, "olu.officer")
    visit.page.wait_for_url(re.compile(r"/staff/second-factor/\?next="))
    expect(visit.page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    visit.check("two-factor-code")
    TOTPDevice.objects.update(last_t=-1)  # the code used a moment ago is the code of now
    visit.page.get_by_label("Code from your authenticator app").fill(code_from_key(key))
    visit.page.get_by_role("button", name="Continue").click()
    visit.page.wait_for_url(re.compile(r"/staff/$"))
    expect(visit.page.get_by_role("heading", level=1)).to_be_visible()


def test_too_many_wrong_passwords_show_when_to_try_again(visit: Visit) -> None:
    make_cast()
    for _ in range(5):
        type_password(visit, "hana.handler", "not-the-password")
    expect(visit.page.get_by_role("heading", name="You cannot sign in for now")).to_be_visible()
    expect(visit.page.get_by_text(re.compile(r"Try again after \d{1,2}:\d\d(am|pm)"))).to_be_visible()
    visit.check("sign-in-locked-out")


def virtual_passkey(visit: Visit) -> Any:
    """Chromium's own virtual authenticator (the DevTools protocol's WebAuthn domain): a passkey kept by
    "this computer", which says yes as a person touching it would."""
    cdp = visit.page.context.new_cdp_session(visit.page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_an_officer_adds_a_passkey_signs_in_with_it_and_removes_the_app(visit: Visit, settings: Any) -> None:
    # A passkey belongs to a domain: the live server is http://localhost:<port>, and "localhost" is the
    # one name browsers let a passkey use over plain HTTP (Putright's default relying party id).
    assert visit.base_url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [visit.base_url]
    make_cast()
    virtual_passkey(visit)
    visit.sign_in("olu.officer")  # the password and the app's code

    visit.go("/staff/account/security/")
    expect(visit.page.get_by_role("heading", name="Your sign-in")).to_be_visible()
    visit.check("your-sign-in")
    visit.page.get_by_role("button", name="Add a passkey").click()
    expect(visit.page.locator("[data-devices]")).to_contain_text("Passkey 1")
    assert WebAuthnCredential.objects.filter(user__username="olu.officer", confirmed=True).count() == 1
    visit.check("your-sign-in-with-a-passkey")
    visit.sign_out()

    type_password(visit, "olu.officer")
    visit.page.wait_for_url(re.compile(r"/staff/second-factor/\?next="))
    expect(visit.page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    visit.check("second-factor-with-a-passkey")
    visit.page.get_by_role("button", name="Use your passkey").click()
    visit.page.wait_for_url(re.compile(r"/staff/$"))

    visit.go("/staff/account/security/")
    visit.page.get_by_role("link", name=re.compile("^Remove Authenticator app")).click()
    expect(visit.page.get_by_role("heading", name="Remove Authenticator app?")).to_be_visible()
    visit.check("remove-an-app")
    visit.page.get_by_role("button", name="Remove").click()
    expect(visit.page.locator(".govuk-notification-banner")).to_contain_text("Removed")
    assert not TOTPDevice.objects.filter(user__username="olu.officer").exists()

    # The passkey is the last way in, and an officer must have one: removing it is refused.
    visit.page.get_by_role("link", name=re.compile("^Remove Passkey 1")).click()
    visit.page.get_by_role("button", name="Remove").click()
    expect(visit.page.locator(".govuk-error-summary")).to_contain_text("You cannot remove your only way")
    visit.check("remove-the-last-passkey-refused")
    assert WebAuthnCredential.objects.filter(user__username="olu.officer").count() == 1
