"""Staff sign-in beyond the password (issue 21): the second factor, the lockout page, and password
reset with its limits.

The second factor is a code from an authenticator app (django-otp's TOTP device). Whoever must give
one (`putright.web.authorise.second_factor_required`) is sent here after their password, sets up
the app the first time (a QR code, or the secret as text to type in), and from then on types the code
it shows. A session that has given one is marked by django_otp.login, so no page asks again until
the person signs out or the session ends.

A reset link is asked for on a page that answers the same whatever the address: the email is sent
by the worker (`send_password_reset`), so a known address takes no longer than an unknown one, and
past the hourly limits per address and per email the page answers the same again and sends nothing.
"""

from __future__ import annotations

from base64 import b32encode
from datetime import timedelta
from typing import Any

import django_otp  # type: ignore[import-untyped]
import segno
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]
from django_tasks import task

from putright import clock
from putright.landlords import accounts as sign_in
from putright.web.authorise import second_factor_verified
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
    if not devices:
        return redirect(_with_next("workspace:second-factor-setup", target))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _code_error(devices)
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if isinstance(device, TOTPDevice):
            return _verified(request, device)
        form.add_error("code", error)
    return render(request, "workspace/accounts/second_factor.html", {"form": form, "next": target})


@never_cache
@sensitive_post_parameters("code")
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Sets up an authenticator app: scan the QR code (or type the secret), then give one code."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    target = _next(request)
    if sign_in.has_authenticator(user):
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
