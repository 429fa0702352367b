"""Signing in, and setting a forgotten password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms

from putright.web.forms import GovForm


class SignInForm(GovForm, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account is not active: ask your complaints officer",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"class": "govuk-!-width-one-half", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"class": "govuk-!-width-one-half"})
        self.setup_helper()


class ResetPasswordForm(GovForm, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address your account was set up with"
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            }
        )
        self.setup_helper()


class NewPasswordForm(GovForm, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.setup_helper()
