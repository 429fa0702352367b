"""/staff/passkeys/: the JSON endpoints the passkey script talks to (django-otp-webauthn's views, for a
signed-in member of staff only: putright.workspace.accounts). Named in the library's own namespace,
`otp_webauthn`, which its template tags look for."""

from django.urls import path

from putright.workspace import accounts as sign_in_pages

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        sign_in_pages.PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        sign_in_pages.PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        sign_in_pages.PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        sign_in_pages.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", sign_in_pages.passkey_messages, name="js-i18n-catalog"),
]
