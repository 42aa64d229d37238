"""Settings for Motverka, read from the environment.

Every deployment-specific value comes from an environment variable so the same code runs
on a laptop (SQLite under ``var/``) and in production (PostgreSQL via ``DATABASE_URL``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from motverka.config.database import postgresql_options
from motverka.integrity import limits

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
    "csp",
    "ninja",  # the API docs page uses the package's own Swagger UI files, not a CDN
    "django_tasks",
    "motverka.operations.tasks_app.TasksDatabaseConfig",  # django_tasks_db, named in Swedish
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "motverka.audit",
    "motverka.reference",
    "motverka.accounts",
    "motverka.people",
    "motverka.cases",
    "motverka.workflow",
    "motverka.letters",
    "motverka.housing",
    "motverka.reporting",
    "motverka.reception",
    "motverka.review",
    "motverka.history",
    "motverka.api",
    "motverka.sso",
    "djangosaml2",
    "motverka.operations",
    "motverka.integrity",
    "motverka.archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motverka.integrity.guard.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motverka.config.headers.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motverka.audit.middleware.RequestOriginMiddleware",
    # Session lifetime first (an idle session is over before anything else is decided),
    # then the gate that keeps a password-only session away from every other page.
    "motverka.accounts.middleware.SessionLifetimeMiddleware",
    "motverka.accounts.middleware.StrongAuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",
    "motverka.integrity.middleware.OnceOnlyMiddleware",
    "motverka.config.errors.AccessErrorMiddleware",
    "motverka.sso.middleware.PasswordLoginSwitchMiddleware",
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
                "motverka.sso.context_processors.login_methods",
                "motverka.accounts.context_processors.authentication",
            ],
            # {% submission_token %} in every creating form without a {% load %}.
            "builtins": ["motverka.integrity.templatetags.integrity"],
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
else:
    # A hung or unreachable database answers within seconds (a 503 page), instead of
    # holding the request until the proxy gives up.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )
    # Bound on the server, and prepared once run often (decision 0027): PostgreSQL spent
    # longer planning the lists' queries than running them. Each connection starts with a
    # statement timeout and without parallel workers per query (decision 0028).
    connection_options = postgresql_options(os.environ, testing=_env_bool("MOTVERKA_TESTING"))
    for option, value in connection_options.items():
        DATABASES["default"]["OPTIONS"].setdefault(option, value)
    if _env_bool("MOTVERKA_TESTING"):
        DATABASES["default"]["TEST"] = {"NAME": f"test_motverka_{os.getpid()}"}
# A connection the database dropped is noticed before the next request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Larger bodies are refused with a Swedish 413 by the input guard before Django reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.MAX_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.MAX_FIELDS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
# Password login first; the single sign-on backends answer only their own callbacks.
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked account or address is refused before any backend runs.
    "axes.backends.AxesStandaloneBackend",
    "motverka.sso.backends.PasswordBackend",
    "motverka.sso.saml.SamlBackend",
    "motverka.sso.oidc.OidcBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("MOTVERKA_PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "motverka.accounts.passwords.SwedishPasswordValidator"},
]
# django-axes first: it refuses a locked-out account or address before any password check.

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
# Sessions live in the database (django.contrib.sessions' default engine). The idle
# timeout and the absolute lifetime are enforced by accounts.middleware; the cookie and
# the database row never outlive the absolute lifetime either.
MOTVERKA_SESSION_IDLE_MINUTES = int(os.environ.get("MOTVERKA_SESSION_IDLE_MINUTES", "30"))
MOTVERKA_SESSION_MAX_HOURS = int(os.environ.get("MOTVERKA_SESSION_MAX_HOURS", "10"))
# The idle warning shows this many seconds before the session ends.
MOTVERKA_SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = MOTVERKA_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", not DEBUG and _env_bool("HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # __Host- cookies are only accepted over HTTPS, for this host and path "/" — a
    # subdomain or a plain-HTTP page cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = _env_bool("HTTPS")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# Only for a domain whose every subdomain is served over HTTPS (an operator decision).
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: behaviour lives in static files (decision 0011).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
USE_X_FORWARDED_HOST = _env_bool("BEHIND_PROXY")

# Background work (reminder e-mails) runs on django-tasks' database backend: `motverka
# db_worker` processes take the queued tasks (docs/operations.md, decision 0014).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motverka@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a test installation).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

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
        # Both log whole assertions (attributes, NameID) below ERROR: keep them out.
        "djangosaml2": {"level": "ERROR"},
        "saml2": {"level": "ERROR"},
        "mozilla_django_oidc": {"level": "ERROR"},
        # Says at INFO that the XSD meta-schema is loaded, once per process.
        "xmlschema": {"level": "WARNING"},
        # One line per trigger after every migrate (and test flush) is noise.
        "pgtrigger": {"level": "WARNING"},
        # Axes logs every login at INFO; the audit log already has them.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Authentication ---------------------------------------------------------------------
# "required": no page with personal data after the password alone; "off": the demo.
MOTVERKA_MFA = os.environ.get("MOTVERKA_MFA", "required").strip().lower()
OTP_TOTP_ISSUER = os.environ.get("MOTVERKA_MFA_ISSUER", "Motverka")
MOTVERKA_MFA_BACKUP_CODES = 10
# Brute force (django-axes, attempts in the database): a lockout per account and per
# client address after this many failures (password or one-time code), for the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTVERKA_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MOTVERKA_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = _env_list("MOTVERKA_LOCKOUT_PARAMETERS", "username,ip_address")
AXES_CLIENT_IP_CALLABLE = "motverka.audit.middleware.client_address"
AXES_LOCKOUT_CALLABLE = "motverka.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # a right password must not reset the count of wrong codes
# A lockout ends when its cool-off has passed, however often someone tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # Motverka's audit log records every login and logout
AXES_ENABLE_ADMIN = False  # unlocking goes through the audited admin action
AXES_VERBOSE = False
# Invalid bearer tokens: after this many from one address within the window, 429.
MOTVERKA_API_TOKEN_FAILURES = int(os.environ.get("MOTVERKA_API_TOKEN_FAILURES", "10"))
MOTVERKA_API_TOKEN_WINDOW_MINUTES = int(os.environ.get("MOTVERKA_API_TOKEN_WINDOW_MINUTES", "15"))
MOTVERKA_API_TOKEN_DAYS = int(os.environ.get("MOTVERKA_API_TOKEN_DAYS", "90"))

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
# Delivery of reminder e-mails: a failed attempt is retried after
# MOTVERKA_REMINDER_RETRY_SECONDS * 2**(attempts - 1), at most MOTVERKA_REMINDER_MAX_ATTEMPTS
# times; a worker that claims a reminder owns it for MOTVERKA_REMINDER_CLAIM_SECONDS.
MOTVERKA_REMINDER_RETRY_SECONDS = int(os.environ.get("MOTVERKA_REMINDER_RETRY_SECONDS", "60"))
MOTVERKA_REMINDER_MAX_ATTEMPTS = int(os.environ.get("MOTVERKA_REMINDER_MAX_ATTEMPTS", "10"))
MOTVERKA_REMINDER_CLAIM_SECONDS = int(os.environ.get("MOTVERKA_REMINDER_CLAIM_SECONDS", "300"))
MOTVERKA_LANDLORD_SIGNAL_CASES = int(os.environ.get("MOTVERKA_LANDLORD_SIGNAL_CASES", "3"))
MOTVERKA_LANDLORD_SIGNAL_MONTHS = int(os.environ.get("MOTVERKA_LANDLORD_SIGNAL_MONTHS", "12"))
# Rendered panels other apps contribute to the start page and the case page, in order:
# the case page's header, and per section of the case page (motverka.cases.case_page).
MOTVERKA_START_PANELS = ["motverka.workflow.panels.start_page_panels"]
MOTVERKA_CASE_HEADER_PANELS = ["motverka.workflow.panels.case_header_panels"]
MOTVERKA_CASE_SECTIONS = {
    "atgarder": ["motverka.workflow.panels.case_page_panels"],
    "skrivelser": [
        "motverka.letters.panels.case_page_panels",
        "motverka.workflow.panels.letter_step_panels",
    ],
    "boende": ["motverka.housing.panels.housing_panels"],
    "berattelse": ["motverka.housing.panels.account_panels"],
    "historik": [
        "motverka.history.panels.case_page_panels",
        "motverka.archive.panels.case_page_panels",
    ],
}
# Where letters look up a person's addresses to refuse leaking a protected one.
#: Log review (loggranskning): office hours and the thresholds of the systematic checks.
MOTVERKA_LOG_REVIEW = {
    "office_start_hour": int(os.environ.get("MOTVERKA_OFFICE_START_HOUR", "7")),
    "office_end_hour": int(os.environ.get("MOTVERKA_OFFICE_END_HOUR", "18")),
    "burst_persons": int(os.environ.get("MOTVERKA_REVIEW_BURST_PERSONS", "20")),
    "burst_minutes": int(os.environ.get("MOTVERKA_REVIEW_BURST_MINUTES", "10")),
    "sample_size": int(os.environ.get("MOTVERKA_REVIEW_SAMPLE_SIZE", "10")),
}
MOTVERKA_KNOWN_ADDRESS_PROVIDERS = ["motverka.housing.selectors.known_addresses"]

# --- Single sign-on (motverka.sso; docs/operations.md "Single sign-on") ------------------
# Password login: "on" (default) or "off" — off only makes sense with SSO configured.
MOTVERKA_PASSWORD_LOGIN = os.environ.get("MOTVERKA_PASSWORD_LOGIN", "on").strip().lower() != "off"
MOTVERKA_SSO_BASE_URL = os.environ.get("MOTVERKA_SSO_BASE_URL", "").rstrip("/")
# SAML 2.0 service provider: on when the identity provider's metadata file is given.
MOTVERKA_SAML: dict[str, object] | None = None
if os.environ.get("MOTVERKA_SAML_IDP_METADATA"):
    MOTVERKA_SAML = {
        "idp_metadata": os.environ["MOTVERKA_SAML_IDP_METADATA"],
        "entity_id": os.environ.get("MOTVERKA_SAML_ENTITY_ID", ""),
        "key_file": os.environ.get("MOTVERKA_SAML_KEY_FILE", ""),
        "cert_file": os.environ.get("MOTVERKA_SAML_CERT_FILE", ""),
        # employeeHsaId (the HSA-id of a SITHS identity) by default. Not
        # urn:oid:1.2.752.29.4.13: that is personalIdentityNumber, which Motverka does
        # not keep on its users.
        "match_attribute": os.environ.get(
            "MOTVERKA_SAML_MATCH_ATTRIBUTE", "urn:oid:1.2.752.29.6.2.1"
        ),
        "user_field": os.environ.get("MOTVERKA_SAML_USER_FIELD", "sso_subject"),
        "strong_contexts": _env_list("MOTVERKA_SAML_STRONG_CONTEXTS"),
        "requested_contexts": _env_list("MOTVERKA_SAML_REQUESTED_CONTEXTS"),
        "label": os.environ.get("MOTVERKA_SAML_LABEL", "Logga in med e-tjänstekort (SITHS)"),
        "xmlsec_binary": os.environ.get("MOTVERKA_SAML_XMLSEC_BINARY", "/usr/bin/xmlsec1"),
    }
SAML_CONFIG_LOADER = "motverka.sso.saml.sp_config"
# Never create users, never copy attributes onto them (motverka.sso.saml.SamlBackend
# matches on its own setting, MOTVERKA_SAML["match_attribute"]).
SAML_CREATE_UNKNOWN_USER = False
SAML_ATTRIBUTE_MAPPING: dict[str, tuple[str, ...]] = {}
SAML_SESSION_COOKIE_NAME = "__Host-saml_session" if SESSION_COOKIE_SECURE else "saml_session"
# The provider posts its answer from another site: only a Secure cookie may be SameSite=None.
SAML_SESSION_COOKIE_SAMESITE = "None" if SESSION_COOKIE_SECURE else "Lax"
SAML_IGNORE_AUTHENTICATED_USERS_ON_LOGIN = True
SAML_CSP_HANDLER = ""  # the page headers are set by the reverse proxy
# OpenID Connect relying party (mozilla-django-oidc): on when client id and endpoints are given.
MOTVERKA_OIDC: dict[str, object] | None = None
if os.environ.get("MOTVERKA_OIDC_CLIENT_ID"):
    MOTVERKA_OIDC = {
        "match_claim": os.environ.get("MOTVERKA_OIDC_MATCH_CLAIM", "email"),
        "user_field": os.environ.get("MOTVERKA_OIDC_USER_FIELD", "email"),
        "strong_acr": _env_list("MOTVERKA_OIDC_STRONG_ACR"),
        "strong_amr": _env_list("MOTVERKA_OIDC_STRONG_AMR"),
        "label": os.environ.get("MOTVERKA_OIDC_LABEL", "Logga in med Freja eID+"),
    }
    OIDC_RP_CLIENT_ID = os.environ["MOTVERKA_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("MOTVERKA_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MOTVERKA_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTVERKA_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("MOTVERKA_OIDC_USERINFO_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTVERKA_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("MOTVERKA_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("MOTVERKA_OIDC_SCOPES", "openid email")
    if acr_values := os.environ.get("MOTVERKA_OIDC_ACR_VALUES"):
        OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": acr_values}
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_oidc_callback"
# The audit log's anchors (docs/operations.md): an append-only JSON-lines file, and who
# also gets each anchor by e-mail (comma-separated; empty: no e-mail).
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl"))
AUDIT_ANCHOR_EMAIL = _env_list("AUDIT_ANCHOR_EMAIL")
# django-pgtrigger: the append-only triggers are compiled from the current models and
# installed after every migrate, on both databases (decision 0008).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

# Retention and the e-archive (docs/archive.md). The archive plan's keep rules: a closed
# case meeting one is delivered to the e-archive instead of being disposed of. Each entry:
# code, label, and the case outcomes and/or target groups it keeps.
MOTVERKA_ARCHIVE_PLAN: list[dict[str, object]] = [
    {
        "code": "ivo_decision",
        "label": "Ärenden som avgjorts genom beslut av IVO",
        "outcomes": ["transferred_by_ivo"],
        "target_groups": [],
    },
]
#: Where delivery packages (FGS Paketstruktur, one ZIP per case) are written.
MOTVERKA_ARCHIVE_PACKAGE_DIR = os.environ.get(
    "MOTVERKA_ARCHIVE_PACKAGE_DIR", str(VAR_DIR / "archive")
)
#: The archive creator (arkivbildare) named in the delivery packages.
MOTVERKA_ARCHIVE_CREATOR = os.environ.get("MOTVERKA_ARCHIVE_CREATOR", "Socialnämnden")
