"""What goes wrong with Putright's configuration, and when the secret key is demanded.

It lives beside putright/settings.py rather than in it: when the settings module refuses a value it
never finishes importing, so `putright` (putright/__main__.py) could not import an error class from
it to recognise the refusal.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    """An environment variable Putright cannot use. The message names it and says what would do, in
    one line: `putright` prints it as it is and exits with status 2, like a bad argument."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(message)
        self.variable = variable


class MissingSecretKey(SettingError):
    def __init__(self) -> None:
        super().__init__(
            "SECRET_KEY",
            "SECRET_KEY is not set, and serving the web needs it. Set it to a long random string (for example "
            "the output of `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=true "
            "on a development machine to use a generated key.",
        )


def require_secret_key() -> None:
    """Refuse to go on without SECRET_KEY: called where the web is served (putright/settings.py says why
    nothing else needs it). Django itself refuses to read an empty key, which is what this relies on."""
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 - reading it is the test
    except ImproperlyConfigured:
        raise MissingSecretKey from None
