"""Staff sign-in beyond the password (issue 21): the second factor, the lockout page, and password
reset with its limits.

The second factor is a code from an authenticator app (django-otp's TOTP device) or a passkey
(django-otp-webauthn's credential: a security key, or the phone or computer's own lock). Whoever must
give one (`putright.web.authorise.second_factor_required`) is sent here after their password, sets up
the app or a passkey the first time (a QR code, or the secret as text to type in), and from then on
gives either. A session that has given one is marked by django_otp.login, so no page asks again until
the person signs out or the session ends. "Your sign-in" lists them, adds more and removes one;
removing one ends every session it confirmed (putright.landlords.accounts).

Passkeys are never a way in on their own: their pages (under /staff/passkeys/) answer only someone who
has given their password, and a passkey is asked for only after it.

A reset link is asked for on a page that answers the same whatever the address: the email is sent
by the worker (`send_password_reset`), so a known address takes no longer than an unknown one, and
past the hourly limits per address and per email the page answers the same again and sends nothing.
"""

from __future__ import annotations

from base64 import b32encode
from datetime import timedelta
from typing import Any, cast

import django_otp  # type: ignore[import-untyped]
import segno
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.i18n import JavaScriptCatalog
from django_otp.models import Device  # type: ignore[import-untyped]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]
from django_otp_webauthn import exceptions as passkey_errors  # type: ignore[import-untyped]
from django_otp_webauthn import views as passkey_views
from django_otp_webauthn.models import WebAuthnCredential  # type: ignore[import-untyped]
from django_tasks import task

from putright import clock
from putright.complaints import access
from putright.landlords import accounts as sign_in
from putright.web.authorise import StaffRequest, forbidden, second_factor_verified, staff_view
from putright.web.client import client_address
from putright.web.forms import GovForm
from putright.workspace.forms import ResetPasswordForm

# Password reset links asked for in an hour: from one address, and for one email address.
RESET_SUBJECT = "workspace/emails/password-reset-subject.txt"
RESET_BODY = "workspace/emails/password-reset-body.txt"


class CodeForm(GovForm, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 numbers the app shows for Putright now",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code must be 6 numbers, like 123456")
        return code


WRONG_CODE = "The code is not right: enter the code your authenticator app shows now"
# django-otp waits longer after each wrong code (1, 2, 4, 8 ... seconds) before it checks another.
TOO_SOON = "There have been several wrong codes: wait a minute, then enter the code your app shows"


def _code_error(devices: list[TOTPDevice]) -> str:
    return TOO_SOON if not any(device.verify_is_allowed()[0] for device in devices) else WRONG_CODE


def _next(request: HttpRequest) -> str:
    """Where to go once the code is given: the page asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("workspace:my-work")


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    # A new session key once the second factor is given, as at sign-in: a key seen before it is useless.
    request.session.cycle_key()
    django_otp.login(request, device)
    return HttpResponseRedirect(_next(request))


@never_cache
@sensitive_post_parameters("code")
def second_factor(request: HttpRequest) -> HttpResponse:
    """Asks for the code from the authenticator app, after the password."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    target = _next(request)
    if second_factor_verified(request):
        return HttpResponseRedirect(target)
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    if not devices and not has_passkey:
        return redirect(_with_next("workspace:second-factor-setup", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and devices and form.is_valid():
        error = _code_error(devices)
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if isinstance(device, TOTPDevice):
            return _verified(request, device)
        form.add_error("code", error)
    context = {"form": form, "next": target, "has_app": bool(devices), "has_passkey": has_passkey}
    return render(request, "workspace/accounts/second_factor.html", context)


@never_cache
@sensitive_post_parameters("code")
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Sets up an authenticator app: scan the QR code (or type the secret), then give one code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    target = _next(request)
    if sign_in.has_second_factor(user):
        # Set up already (a second press of the button, or Back): the code is asked for instead.
        return redirect(_with_next("workspace:second-factor", target))
    device = sign_in.authenticator_being_set_up(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _code_error([device])
        if sign_in.confirm_authenticator(device, form.cleaned_data["code"]):
            return _verified(request, device)
        form.add_error("code", error)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": target,
        "qr_code": segno.make(device.config_url, error="m").svg_inline(
            scale=5, title="QR code to scan with your authenticator app"
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "workspace/accounts/second_factor_setup.html", context)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The page after too many failed sign-ins, for the staff and admin sign-in pages alike (axes).

    The same for a username that exists and one that does not, and for a locked address."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    until = timezone.localtime(clock.now() + cool_off)
    # GOV.UK style: "9:15am", "12:05pm".
    context = {
        "minutes": int(cool_off.total_seconds() // 60),
        "until": f"{(until.hour - 1) % 12 + 1}:{until:%M}{'am' if until.hour < 12 else 'pm'}",
    }
    return render(request, "workspace/accounts/locked_out.html", context, status=429)


class PasswordResetView(auth.PasswordResetView):
    """Django's reset page, answering the same page in the same time whatever happens behind it."""

    template_name = "workspace/accounts/password_reset.html"
    form_class = ResetPasswordForm

    def form_valid(self, form: ResetPasswordForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if sign_in.count_reset_request(client_address(self.request), email):
            domain = get_current_site(self.request).domain
            for user in form.get_users(email):
                send_password_reset.enqueue(user.pk, domain, self.request.is_secure())
        return HttpResponseRedirect(reverse("workspace:password-reset-sent"))


@task()
def send_password_reset(user_id: int, domain: str, use_https: bool) -> None:
    """Email a member of staff a link to choose a new password (run by the worker).

    Made here, not in the request, so the token is never stored in the queue."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    ResetPasswordForm().send_mail(RESET_SUBJECT, RESET_BODY, context, None, user.email)


# -- passkeys: the library's four JSON endpoints, for someone who has given their password -----------


class _SignedInOnly:
    """The library's views, answering only a signed-in person, and knowing whether this session has
    given its second factor the way the workspace knows it (the session, not django-otp's middleware)."""

    request: HttpRequest

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        if not request.user.is_authenticated:
            raise passkey_errors.NotAuthenticated()
        request.user.is_verified = lambda: second_factor_verified(request)  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class PasskeyRegistrationBegin(_SignedInOnly, passkey_views.BeginCredentialRegistrationView):  # type: ignore[misc]
    pass


class PasskeyRegistrationComplete(_SignedInOnly, passkey_views.CompleteCredentialRegistrationView):  # type: ignore[misc]
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        was_verified = second_factor_verified(self.request)
        response: HttpResponse = super().post(*args, **kwargs)
        if response.status_code == 200:
            sign_in.name_new_passkey(self.request.user)  # type: ignore[arg-type]
            if not was_verified:
                # The first factor set up confirms the session: a new key, as after a code.
                device_id = self.request.session.get(django_otp.DEVICE_ID_SESSION_KEY)
                self.request.session.cycle_key()
                self.request.session[django_otp.DEVICE_ID_SESSION_KEY] = device_id
        return response


class PasskeyAuthenticationBegin(_SignedInOnly, passkey_views.BeginCredentialAuthenticationView):  # type: ignore[misc]
    pass


class PasskeyAuthenticationComplete(_SignedInOnly, passkey_views.CompleteCredentialAuthenticationView):  # type: ignore[misc]
    def get_success_url(self) -> str:
        return _next(self.request)

    def complete_auth(self, device: Device) -> None:
        if device.user_id != self.request.user.pk:
            raise passkey_errors.CredentialUserMismatch()
        self.request.session.cycle_key()
        django_otp.login(self.request, device)


def passkey_messages(request: HttpRequest) -> HttpResponse:
    """The library's script's wording (Django's JavaScript catalogue), for a signed-in person."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    response = JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])(request)
    return cast(HttpResponse, response)


# -- "Your sign-in": the second factors a member of staff has, and removing one ----------------------


def _kind(device: Device) -> str:
    return "passkey" if isinstance(device, WebAuthnCredential) else "app"


def _own_device(request: HttpRequest, kind: str, device_id: int) -> Device | None:
    model = {"app": TOTPDevice, "passkey": WebAuthnCredential}.get(kind)
    if model is None:
        raise Http404("No such kind of sign-in")
    return model.objects.filter(pk=device_id, user=request.user, confirmed=True).first()


@staff_view
def account_security(request: StaffRequest) -> HttpResponse:
    """Your sign-in: your apps and passkeys with when each was last used, and adding another."""
    devices = [(device, _kind(device)) for device in sign_in.second_factors(request.user)]
    colleagues = sign_in.colleagues_to_reset(request.staff)
    context = {
        "devices": devices,
        "required": sign_in.must_give_second_factor(request.user, access.places(request.user)),
        "has_app": any(kind == "app" for _, kind in devices),
        "colleagues": colleagues,
        "removed": request.GET.get("removed") == "1",
        "reset": request.GET.get("reset") == "1",
    }
    return render(request, "workspace/accounts/security.html", context)


@staff_view
def account_security_app(request: StaffRequest) -> HttpResponse:
    """Adding an authenticator app from "Your sign-in" (someone with a passkey only, or a new phone)."""
    target = reverse("workspace:account-security")
    device = sign_in.authenticator_being_set_up(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _code_error([device])
        if sign_in.confirm_authenticator(device, form.cleaned_data["code"]):
            return HttpResponseRedirect(target)
        form.add_error("code", error)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": target,
        "adding": True,
        "qr_code": segno.make(device.config_url, error="m").svg_inline(
            scale=5, title="QR code to scan with your authenticator app"
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "workspace/accounts/second_factor_setup.html", context)


@staff_view
def account_security_remove(request: StaffRequest, kind: str, device_id: int) -> HttpResponse:
    """Asks to confirm, then removes one of your own apps or passkeys (POST)."""
    device = _own_device(request, kind, device_id)
    back = reverse("workspace:account-security")
    if device is None:
        # Removed already (a second press, or another browser): nothing more to do.
        return HttpResponseRedirect(f"{back}?removed=1")
    error = ""
    if request.method == "POST":
        verified_with_it = request.session.get(django_otp.DEVICE_ID_SESSION_KEY) == device.persistent_id
        try:
            sign_in.remove_second_factor(request.user, device)
        except sign_in.SignInError as refusal:
            error = refusal.message
        else:
            if verified_with_it:
                # This session was confirmed with it, so it has ended too: sign in again.
                logout(request)
                return redirect_to_login(reverse("workspace:account-security"))
            return HttpResponseRedirect(f"{back}?removed=1")
    context = {"device": device, "kind": kind, "error": error}
    return render(request, "workspace/accounts/security_remove.html", context, status=400 if error else 200)


@staff_view
def colleague_second_factor_reset(request: StaffRequest, user_id: int) -> HttpResponse:
    """An officer or manager resets a colleague's second factor (they lost their phone or key)."""
    member = User.objects.filter(pk=user_id, staff__landlord=request.staff.landlord).first()
    if member is None:
        raise Http404("No such colleague")
    if not sign_in.may_reset_second_factor(request.user, member):
        return forbidden(request, "Only a complaints officer or a manager can reset a colleague's sign-in.")
    if request.method == "POST":
        sign_in.reset_second_factor(request.user, member)
        return HttpResponseRedirect(f"{reverse('workspace:account-security')}?reset=1")
    context = {"member": member, "count": len(sign_in.second_factors(member))}
    return render(request, "workspace/accounts/colleague_reset.html", context)
