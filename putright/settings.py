"""Putright's one settings module, configured from environment variables.

Every variable is documented in the README. A value that cannot be understood stops the
process at start-up with a message naming the variable (a SettingError, which the `putright`
command prints as one line), rather than running half-configured.
"""

import os
import secrets
import uuid
from datetime import time
from pathlib import Path

import dj_database_url
import django_stubs_ext

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
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
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
    "putright.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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
