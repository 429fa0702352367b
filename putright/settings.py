"""Putright's one settings module, configured from environment variables.

Every variable is documented in the README. A value that cannot be understood stops the
process at start-up with a message naming the variable (a SettingError, which the `putright`
command prints as one line), rather than running half-configured.
"""

import os
import secrets
import uuid
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from putright.environment import SettingError

# Lets the typed generics of django-stubs (ModelAdmin[Model] and so on) work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PUTRIGHT_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or `default` when it is unset or empty."""
    return (os.environ.get(name) or "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(name, f"{name} must be true or false (or 1/0, yes/no, on/off), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(name, f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _var_dir() -> Path:
    try:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingError(
            "PUTRIGHT_VAR_DIR", f"PUTRIGHT_VAR_DIR {str(VAR_DIR)!r} cannot be made: {error.strerror}"
        ) from None
    return VAR_DIR


def _development_key() -> str:
    # Generated once and kept under var/ so that sessions survive restarts.
    key_file = _var_dir() / "development-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# The secret key signs what the web hands out: sessions, CSRF tokens, password reset links and
# residents' one-time codes. Nothing else in Putright signs anything (API tokens and reply addresses
# are random and stored, hashed where secret), so a missing key is refused where the web is served
# (`putright serve` and `runserver` in putright/__main__.py, gunicorn in putright/wsgi.py) and not
# here: an operator's `putright workdays ...`, `policy check`, `token create` or the worker run
# without it. The key is left empty rather than made up, and Django refuses to read an empty key,
# so should anything else ever sign it fails at once instead of signing with a guessable key.
SECRET_KEY = env_str("SECRET_KEY") or (_development_key() if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "csp",
    "django.contrib.staticfiles",
    "putright.core",
    "putright.landlords",
    "putright.people",
    "putright.complaints",
    "putright.ombudsman",
    "putright.documents",
    "putright.workspace",
    "crispy_forms",
    "crispy_forms_gds",
    "putright.api",
    "putright.governance",
    "putright.insight",
    "putright.publications",
    "putright.portal",
    "putright.correspondence",
    "putright.surveys",
    "putright.privacy",
    "putright.retention",
    "putright.contributions",
    "putright.access_log",
    "putright.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "putright.web.middleware.RequestSizeLimitMiddleware",
    "putright.web.middleware.DatabaseFaultMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",
    "putright.web.authorise.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "putright.urls"
WSGI_APPLICATION = "putright.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "putright" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    default_sqlite = f"sqlite:///{VAR_DIR / 'putright.sqlite3'}"
    url = env_str("DATABASE_URL", default_sqlite)
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as error:
        raise SettingError(
            "DATABASE_URL", f"DATABASE_URL is not a database URL Putright understands: {error}"
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine == "django.db.backends.sqlite3":
        if str(config.get("NAME", "")).startswith(str(VAR_DIR)):
            _var_dir()
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock at
        # the start of a transaction, so two writers queue instead of failing half-way through.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif engine != "django.db.backends.postgresql":
        raise SettingError("DATABASE_URL", "DATABASE_URL must be a postgres:// or sqlite:// URL")
    return {"default": dict(config)}


DATABASES = _databases()
# Each request checks that a connection kept from an earlier one still works before using it, so a
# database restart or a dropped connection costs one reconnection rather than a failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign-in (docs/security.md, "Staff sign-in"). Passwords of at least 12 characters, not a
# common one nor close to the person's own name, username or email.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new passwords; the others still check passwords stored before, which are then re-stored
# with Argon2 at their owner's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After 5 failed sign-ins for one username (from anywhere), or from one address (for any username),
# the staff and admin sign-in pages refuse that username or address for 15 minutes, counted from the
# last failure; the right password does not get in meanwhile. Failures for usernames that do not
# exist count the same, so the refusal says nothing about whether an account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "putright.web.client.client_address"
AXES_LOCKOUT_CALLABLE = "putright.workspace.accounts.locked_out"
AXES_VERBOSE = False
# Failed attempts are kept (axes' own tables, readable in /admin/); every successful sign-in is not.
AXES_DISABLE_ACCESS_LOG = True
# Authenticator app codes: the name the app shows above the account.
OTP_TOTP_ISSUER = "Putright"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
STATICFILES_DIRS = [BASE_DIR / "putright" / "static"]
# Files from the npm packages (package.json) that the pages use, and no others: GOV.UK Frontend, and
# Swagger UI for the API's documentation page (/api/v1/docs), which is served from here rather than a
# CDN so that it works offline and asks no other host for anything (putright/core/staticfiles.py).
STATIC_PACKAGE_FILES = [
    (
        "govuk",
        GOVUK_FRONTEND_DIR,
        (
            "govuk-frontend.min.css",
            "govuk-frontend.min.css.map",
            "govuk-frontend.min.js",
            "govuk-frontend.min.js.map",
            "assets",
        ),
    ),
    (
        "swagger-ui",
        BASE_DIR / "node_modules" / "swagger-ui-dist",
        ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui.css.map", "LICENSE", "NOTICE"),
    ),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "putright.core.staticfiles.PackageFilesFinder",
]
# GOV.UK Frontend's compiled stylesheet asks for its fonts and images at /assets/.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
# Pages name static files by their hashed names only (the manifest), so collectstatic keeps only those
# and compresses half as much: `putright serve` without DEBUG runs it at every start.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Email: SMTP unless EMAIL_BACKEND says otherwise. In development (DEBUG) nothing is sent: each email is
# printed in the terminal and kept under var/dev-email/ for the workspace's development email page.
DEVELOPMENT_EMAIL_BACKEND = "putright.correspondence.development_email.DevelopmentEmailBackend"
DEVELOPMENT_EMAIL_DIR = VAR_DIR / "dev-email"
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", DEVELOPMENT_EMAIL_BACKEND if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SettingError("EMAIL_USE_SSL", "Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "complaints@putright.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies come back to when a landlord has not set its own complaints mailbox. Each complaint
# gets its own address on it after a plus sign (complaints+token@...), so replies find their complaint.
COMPLAINTS_MAILBOX = env_str("COMPLAINTS_MAILBOX", DEFAULT_FROM_EMAIL)
# Seconds to wait for the mail server: a server that never answers must not hold the worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_TIMEOUT < 1:
    raise SettingError("EMAIL_TIMEOUT", f"EMAIL_TIMEOUT must be at least 1 second, not {EMAIL_TIMEOUT}")

# GOV.UK Notify, when EMAIL_BACKEND is putright.correspondence.notify.NotifyEmailBackend. Its email
# template has the placeholders ((subject)) and ((body)); the file template also has ((link_to_file)),
# for letters sent with their PDF. The API key is the one Notify shows, name and all.
NOTIFY_BACKEND = "putright.correspondence.notify.NotifyEmailBackend"
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID")
NOTIFY_FILE_TEMPLATE_ID = env_str("NOTIFY_FILE_TEMPLATE_ID")
NOTIFY_REPLY_TO_ID = env_str("NOTIFY_REPLY_TO_ID")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")


def _uuid(name: str, value: str, part: str = "") -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise SettingError(
            name, f"{name}{part} must be a GOV.UK Notify id such as 0a1b2c3d-..., not {value!r}"
        ) from None


if EMAIL_BACKEND == NOTIFY_BACKEND:
    missing = [
        name
        for name, value in (
            ("NOTIFY_API_KEY", NOTIFY_API_KEY),
            ("NOTIFY_TEMPLATE_ID", NOTIFY_TEMPLATE_ID),
            ("NOTIFY_FILE_TEMPLATE_ID", NOTIFY_FILE_TEMPLATE_ID),
        )
        if not value
    ]
    if missing:
        raise SettingError(
            missing[0],
            f"EMAIL_BACKEND is GOV.UK Notify, so set {' and '.join(missing)} (from Notify's API integration "
            "and Templates pages)",
        )
    # A Notify key ends with the service id and the secret, two UUIDs: anything else cannot sign a request.
    _uuid("NOTIFY_API_KEY", NOTIFY_API_KEY[-73:-37], " (its service id part)")
    _uuid("NOTIFY_API_KEY", NOTIFY_API_KEY[-36:], " (its secret part)")
    NOTIFY_TEMPLATE_ID = _uuid("NOTIFY_TEMPLATE_ID", NOTIFY_TEMPLATE_ID)
    NOTIFY_FILE_TEMPLATE_ID = _uuid("NOTIFY_FILE_TEMPLATE_ID", NOTIFY_FILE_TEMPLATE_ID)
    if NOTIFY_REPLY_TO_ID:
        NOTIFY_REPLY_TO_ID = _uuid("NOTIFY_REPLY_TO_ID", NOTIFY_REPLY_TO_ID)
    if not NOTIFY_BASE_URL.startswith(("https://", "http://")):
        raise SettingError("NOTIFY_BASE_URL", f"NOTIFY_BASE_URL must be an http(s):// address, not {NOTIFY_BASE_URL!r}")

# The outbox: a message that cannot be sent is tried again after 1, 2, 4 ... minutes (at most an
# hour apart); after this many attempts it waits for a person to retry it.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
if not 1 <= OUTBOX_MAX_ATTEMPTS <= 50:
    raise SettingError(
        "OUTBOX_MAX_ATTEMPTS", f"OUTBOX_MAX_ATTEMPTS must be between 1 and 50, not {OUTBOX_MAX_ATTEMPTS}"
    )

# Reminders to staff are queued only on a landlord's working days, between these times (UK time).
WORKING_HOURS = env_str("WORKING_HOURS", "09:00-17:00")


def _working_hours(value: str) -> tuple[time, time]:
    start, _, end = value.partition("-")
    try:
        opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise SettingError(
            "WORKING_HOURS", f"WORKING_HOURS must be two times such as 09:00-17:00, not {value!r}"
        ) from None
    if opens >= closes:
        raise SettingError("WORKING_HOURS", f"WORKING_HOURS must start before it ends, not {value!r}")
    return opens, closes


WORKING_HOURS_OPEN, WORKING_HOURS_CLOSE = _working_hours(WORKING_HOURS)

# The address staff and residents reach Putright at, for links in email (https://complaints.example.org).
SITE_URL = env_str("SITE_URL").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise SettingError("SITE_URL", f"SITE_URL must start with https:// (or http://), not {SITE_URL!r}")
# Passkeys (WebAuthn) as a second factor beside the app, never instead of the password. A passkey
# belongs to one domain, the relying party id: the host name staff sign in at ("complaints.example.org"),
# or a parent of it. Browsers accept "localhost" over plain HTTP and no other name, so `make run` is
# reached at http://localhost:8000 to try passkeys (127.0.0.1 is not a domain and cannot have one).
# Changing the id later makes every passkey already set up stop working.
# Both default from SITE_URL when it is an https:// address (its host, and the address), else localhost.
_site_host = SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] if SITE_URL.startswith("https://") else ""
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", _site_host or "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", "Putright")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS", [SITE_URL] if _site_host else ["http://localhost:8000"]
)
for _origin in OTP_WEBAUTHN_ALLOWED_ORIGINS:
    _host = _origin.split("://", 1)[-1].split(":", 1)[0]
    if not (_origin.startswith("https://") or _origin.startswith("http://localhost")) or not (
        _host == OTP_WEBAUTHN_RP_ID or _host.endswith("." + OTP_WEBAUTHN_RP_ID)
    ):
        raise SettingError(
            "OTP_WEBAUTHN_ALLOWED_ORIGINS",
            "OTP_WEBAUTHN_ALLOWED_ORIGINS must list https:// addresses (or http://localhost) on the domain "
            f"OTP_WEBAUTHN_RP_ID names ({OTP_WEBAUTHN_RP_ID!r}), not {_origin!r}",
        )
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# How many reverse proxies in front of Putright add the address they were reached from to
# X-Forwarded-For (`putright.web.client`). 0: nothing in front, the connecting address is the
# client's. Counting from the right skips only the proxies trusted here: a client cannot choose its
# address by sending its own header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 10:
    raise SettingError(
        "TRUSTED_PROXY_COUNT", f"TRUSTED_PROXY_COUNT must be a whole number from 0 to 10, not {TRUSTED_PROXY_COUNT}"
    )

# Email in (`putright mail fetch` and `listen`): a message larger than this is refused by the SMTP
# listener, and fetched only as far as its headers; an attachment larger than its limit is kept only
# inside the raw message.
INBOUND_MAX_BYTES = env_int("INBOUND_MAX_BYTES", 25 * 1024 * 1024)
INBOUND_ATTACHMENT_MAX_BYTES = env_int("INBOUND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
if INBOUND_MAX_BYTES < 1024 or INBOUND_ATTACHMENT_MAX_BYTES < 1024:
    raise SettingError(
        "INBOUND_MAX_BYTES", "INBOUND_MAX_BYTES and INBOUND_ATTACHMENT_MAX_BYTES must be at least 1024 bytes"
    )

# Background work (letters, email, reminders) through Django's task API. The database is the queue
# by default and `putright worker` runs it; TASKS_BACKEND=redis uses Redis (REDIS_URL) with RQ.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
TASKS: dict[str, dict[str, object]]
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise SettingError("TASKS_BACKEND", f"TASKS_BACKEND must be database, redis or immediate, not {TASKS_BACKEND!r}")

# The measures of closed periods (putright.insight.cache): kept in each process's memory, or shared by every
# process in Redis when REDIS_URL is set in the environment. The default cache stays in memory either way.
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "insight": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "TIMEOUT": 24 * 60 * 60}
        if "REDIS_URL" in os.environ
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "insight",
            "TIMEOUT": 24 * 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    ),
}

# Where `putright workdays refresh` keeps the bank holidays it downloads from GOV.UK; until that
# file exists, the copy shipped with the govuk-bank-holidays package is used.
BANK_HOLIDAYS_FILE = Path(env_str("BANK_HOLIDAYS_FILE") or VAR_DIR / "bank-holidays.json")
BANK_HOLIDAYS_URL = env_str("BANK_HOLIDAYS_URL", "https://www.gov.uk/bank-holidays.json")

# The staff workspace: GOV.UK form layouts, its sign-in page, and a session that ends after 30
# minutes without a request (the workspace renews it as staff work) or when the browser closes.
CRISPY_ALLOWED_TEMPLATE_PACKS = ("gds",)
CRISPY_TEMPLATE_PACK = "gds"
LOGIN_URL = "workspace:sign-in"
LOGIN_REDIRECT_URL = "workspace:my-work"
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Security (docs/security.md). HTTPS is the reverse proxy's or the load balancer's: these say what
# Putright does about it. All are off for `make run` on a laptop and set from the environment in
# production, where `putright check --deploy` reports anything left undone.
# Cookies go only over HTTPS unless DEBUG is on (SECURE_COOKIES=false serves a test rig over plain HTTP).
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Answer http:// with a redirect to https:// (behind a proxy, set SECURE_PROXY_SSL_HEADER too).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Strict-Transport-Security: browsers come back only over HTTPS for this many seconds (a year is
# 31536000). Start small: a browser that has seen it cannot be told to forget it before it ends.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
if SECURE_HSTS_SECONDS < 0:
    raise SettingError("SECURE_HSTS_SECONDS", f"SECURE_HSTS_SECONDS must be 0 or more, not {SECURE_HSTS_SECONDS}")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The header a TLS-terminating proxy sets to say the client used HTTPS, such as X-Forwarded-Proto
# (the proxy must set or overwrite it on every request; never trust one a client could send).
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER")
if _PROXY_SSL_HEADER:
    if not all(part.isalnum() for part in _PROXY_SSL_HEADER.split("-")):
        raise SettingError(
            "SECURE_PROXY_SSL_HEADER",
            f"SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, not {_PROXY_SSL_HEADER!r}",
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# Content-Security-Policy (django-csp): every script, style, font and image comes from Putright
# itself, and no page carries an inline script or style (Swagger UI, on the API's documentation page,
# needs nothing more: it sets styles from its script, which the policy allows).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Limits on what anyone can send (putright.web.middleware): a body larger than these is refused from
# its Content-Length, before any of it is read. Uploads may carry up to 5 files, each at most 50 MB
# for a video (putright/documents/limits.py), with a megabyte for the rest of the form; anything else
# (forms, the API's JSON) is small. The reverse proxy's own limit (nginx's client_max_body_size)
# should match UPLOAD_REQUEST_MAX_BYTES.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 1024 * 1024)
UPLOAD_REQUEST_MAX_BYTES = env_int("UPLOAD_REQUEST_MAX_BYTES", 5 * 50 * 1024 * 1024 + 1024 * 1024)
if not 64 * 1024 <= REQUEST_MAX_BYTES <= UPLOAD_REQUEST_MAX_BYTES:
    raise SettingError(
        "REQUEST_MAX_BYTES",
        "REQUEST_MAX_BYTES must be at least 65536 bytes and no more than UPLOAD_REQUEST_MAX_BYTES, "
        f"not {REQUEST_MAX_BYTES}",
    )
# Django's own limits, once a body is let in: form fields (not files) held in memory, and the size
# above which an uploaded file is written to a temporary file instead of held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A faulty database answers 503 with Retry-After this many seconds (putright.web.middleware).
DATABASE_RETRY_AFTER_SECONDS = 30
# How long an API token works for when `putright token create` is not told (--days); at most 366.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if not 1 <= API_TOKEN_DAYS <= 366:
    raise SettingError("API_TOKEN_DAYS", f"API_TOKEN_DAYS must be from 1 to 366, not {API_TOKEN_DAYS}")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
if LOG_LEVEL.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise SettingError("LOG_LEVEL", f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {LOG_LEVEL!r}")
LOG_LEVEL = LOG_LEVEL.upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
