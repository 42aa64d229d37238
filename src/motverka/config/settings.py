"""Settings for Motverka, read from the environment.

Every deployment-specific value comes from an environment variable so the same code runs
on a laptop (SQLite under ``var/``) and in production (PostgreSQL via ``DATABASE_URL``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("MOTVERKA_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("MOTVERKA_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise generate one once and keep it in var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "motverka.config.admin.MotverkaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "motverka.audit",
    "motverka.reference",
    "motverka.accounts",
    "motverka.people",
    "motverka.cases",
    "motverka.workflow",
    "motverka.letters",
    "motverka.housing",
    "motverka.reporting",
    "motverka.history",
    "motverka.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motverka.audit.middleware.RequestOriginMiddleware",
    "motverka.config.errors.AccessErrorMiddleware",
]

ROOT_URLCONF = "motverka.config.urls"
WSGI_APPLICATION = "motverka.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motverka.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'motverka.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # A file per test process: live-server and threaded tests need a real file, and
    # parallel runs must not share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif _env_bool("MOTVERKA_TESTING"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_motverka_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SRC_DIR / "locale"]
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FORMAT_MODULE_PATH = ["motverka.config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not _env_bool("MOTVERKA_TESTING")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", not DEBUG and _env_bool("HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = _env_bool("HTTPS")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Only for a domain whose every subdomain is served over HTTPS (an operator decision).
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
USE_X_FORWARDED_HOST = _env_bool("BEHIND_PROXY")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motverka@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "motverka.audit.logging.RedactIdentityNumbersFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Motverka ---------------------------------------------------------------------------
MOTVERKA_MUNICIPALITY = os.environ.get("MOTVERKA_MUNICIPALITY", "1430")
MOTVERKA_REFERENCE_PREFIX = os.environ.get("MOTVERKA_REFERENCE_PREFIX", "SN")
MOTVERKA_PAGE_SIZE = int(os.environ.get("MOTVERKA_PAGE_SIZE", "25"))
# Deadline rules (bevakningar): kind -> (unit, amount). Units: working_days, months, days.
MOTVERKA_DEADLINE_RULES: dict[str, tuple[str, int]] = {
    "contact_sending_municipality": ("working_days", 2),
    "official_letter": ("working_days", 10),
    "transfer_answer": ("months", 1),
    "rent_end_follow_up": ("days", 0),
    "ivo_decision_expected": ("months", 3),
}
# How many days before the due date a deadline counts as due (and a reminder goes out).
MOTVERKA_DEADLINE_LEAD_DAYS = int(os.environ.get("MOTVERKA_DEADLINE_LEAD_DAYS", "2"))
MOTVERKA_LANDLORD_SIGNAL_CASES = int(os.environ.get("MOTVERKA_LANDLORD_SIGNAL_CASES", "3"))
MOTVERKA_LANDLORD_SIGNAL_MONTHS = int(os.environ.get("MOTVERKA_LANDLORD_SIGNAL_MONTHS", "12"))
# Rendered panels other apps contribute to the start page and the case page, in order.
MOTVERKA_START_PANELS = ["motverka.workflow.panels.start_page_panels"]
MOTVERKA_CASE_PANELS = [
    "motverka.workflow.panels.case_page_panels",
    "motverka.housing.panels.case_page_panels",
    "motverka.letters.panels.case_page_panels",
    "motverka.history.panels.case_page_panels",
]
# Where letters look up a person's addresses to refuse leaking a protected one.
MOTVERKA_KNOWN_ADDRESS_PROVIDERS = ["motverka.housing.selectors.known_addresses"]
