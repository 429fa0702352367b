"""Putright's one settings module, configured from environment variables.

Every variable is documented in the README. A value that cannot be understood stops the
process at start-up with a message naming the variable, rather than running half-configured.
"""

import os
import secrets
import uuid
from datetime import time
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

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
    raise ImproperlyConfigured(f"{name} must be true or false (or 1/0, yes/no, on/off), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or set DEBUG=true "
            "on a development machine to use a generated key."
        )
    # A development key, generated once and kept under var/ so that sessions survive restarts.
    key_file = VAR_DIR / "development-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
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
    "putright.documents",
    "putright.workspace",
    "crispy_forms",
    "crispy_forms_gds",
    "putright.api",
    "putright.insight",
    "putright.portal",
    "putright.correspondence",
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
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Putright understands: {error}") from None
    engine = str(config.get("ENGINE", ""))
    if engine == "django.db.backends.sqlite3":
        if str(config.get("NAME", "")).startswith(str(VAR_DIR)):
            VAR_DIR.mkdir(parents=True, exist_ok=True)
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock at
        # the start of a transaction, so two writers queue instead of failing half-way through.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// URL")
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
STATICFILES_DIRS = [BASE_DIR / "putright" / "static", ("govuk", GOVUK_FRONTEND_DIR)]
# GOV.UK Frontend's compiled stylesheet asks for its fonts and images at /assets/.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Email: SMTP unless EMAIL_BACKEND says otherwise; the console in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "complaints@putright.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies come back to when a landlord has not set its own complaints mailbox. Each complaint
# gets its own address on it after a plus sign (complaints+token@...), so replies find their complaint.
COMPLAINTS_MAILBOX = env_str("COMPLAINTS_MAILBOX", DEFAULT_FROM_EMAIL)
# Seconds to wait for the mail server: a server that never answers must not hold the worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_TIMEOUT < 1:
    raise ImproperlyConfigured(f"EMAIL_TIMEOUT must be at least 1 second, not {EMAIL_TIMEOUT}")

# GOV.UK Notify, when EMAIL_BACKEND is putright.correspondence.notify.NotifyEmailBackend. Its email
# template has the placeholders ((subject)) and ((body)); the file template also has ((link_to_file)),
# for letters sent with their PDF. The API key is the one Notify shows, name and all.
NOTIFY_BACKEND = "putright.correspondence.notify.NotifyEmailBackend"
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY")
NOTIFY_TEMPLATE_ID = env_str("NOTIFY_TEMPLATE_ID")
NOTIFY_FILE_TEMPLATE_ID = env_str("NOTIFY_FILE_TEMPLATE_ID")
NOTIFY_REPLY_TO_ID = env_str("NOTIFY_REPLY_TO_ID")
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")


def _uuid(name: str, value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a GOV.UK Notify id such as 0a1b2c3d-..., not {value!r}") from None


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
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is GOV.UK Notify, so set {' and '.join(missing)} (from Notify's API integration "
            "and Templates pages)"
        )
    # A Notify key ends with the service id and the secret, two UUIDs: anything else cannot sign a request.
    _uuid("NOTIFY_API_KEY (its service id part)", NOTIFY_API_KEY[-73:-37])
    _uuid("NOTIFY_API_KEY (its secret part)", NOTIFY_API_KEY[-36:])
    NOTIFY_TEMPLATE_ID = _uuid("NOTIFY_TEMPLATE_ID", NOTIFY_TEMPLATE_ID)
    NOTIFY_FILE_TEMPLATE_ID = _uuid("NOTIFY_FILE_TEMPLATE_ID", NOTIFY_FILE_TEMPLATE_ID)
    if NOTIFY_REPLY_TO_ID:
        NOTIFY_REPLY_TO_ID = _uuid("NOTIFY_REPLY_TO_ID", NOTIFY_REPLY_TO_ID)
    if not NOTIFY_BASE_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"NOTIFY_BASE_URL must be an http(s):// address, not {NOTIFY_BASE_URL!r}")

# The outbox: a message that cannot be sent is tried again after 1, 2, 4 ... minutes (at most an
# hour apart); after this many attempts it waits for a person to retry it.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
if not 1 <= OUTBOX_MAX_ATTEMPTS <= 50:
    raise ImproperlyConfigured(f"OUTBOX_MAX_ATTEMPTS must be between 1 and 50, not {OUTBOX_MAX_ATTEMPTS}")

# Reminders to staff are queued only on a landlord's working days, between these times (UK time).
WORKING_HOURS = env_str("WORKING_HOURS", "09:00-17:00")


def _working_hours(value: str) -> tuple[time, time]:
    start, _, end = value.partition("-")
    try:
        opens, closes = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ImproperlyConfigured(f"WORKING_HOURS must be two times such as 09:00-17:00, not {value!r}") from None
    if opens >= closes:
        raise ImproperlyConfigured(f"WORKING_HOURS must start before it ends, not {value!r}")
    return opens, closes


WORKING_HOURS_OPEN, WORKING_HOURS_CLOSE = _working_hours(WORKING_HOURS)

# The address staff and residents reach Putright at, for links in email (https://complaints.example.org).
SITE_URL = env_str("SITE_URL").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// (or http://), not {SITE_URL!r}")

# Email in (`putright mail fetch` and `listen`): a message larger than this is refused by the SMTP
# listener, and fetched only as far as its headers; an attachment larger than its limit is kept only
# inside the raw message.
INBOUND_MAX_BYTES = env_int("INBOUND_MAX_BYTES", 25 * 1024 * 1024)
INBOUND_ATTACHMENT_MAX_BYTES = env_int("INBOUND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
if INBOUND_MAX_BYTES < 1024 or INBOUND_ATTACHMENT_MAX_BYTES < 1024:
    raise ImproperlyConfigured("INBOUND_MAX_BYTES and INBOUND_ATTACHMENT_MAX_BYTES must be at least 1024 bytes")

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
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database, redis or immediate, not {TASKS_BACKEND!r}")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
