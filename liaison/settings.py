"""Settings for the 府院联动 portal, read from environment variables.

The defaults give the embedded setup (SQLite, tasks run in-process); production
sets DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The embedded default runs on a developer's laptop; production must set its own key.
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-for-production-000000000000"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Demo accounts share one known password; production refuses it (see liaison/checks.py).
DEMO_PASSWORD = "Demo-2026-fy"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    "axes",
    "liaison",
    "suggestions",
    "cases",
    "indicators",
    "meetings",
]

# Modules the left navigation names before their app is installed: shown greyed (建设中)
# until an installed app registers a nav entry with the same key (liaison.plugins).
# (key, label, order); the installed apps use order 10 (suggestions), 20 (cases).
PORTAL_PLANNED_MODULES = [
    ("meetings", _("会议"), 30),
    ("indicators", _("指标通报"), 40),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "liaison.middleware.ApiBodyLimitMiddleware",
    "liaison.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liaison.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "liaison.middleware.PortalErrorPagesMiddleware",
    # Last: turns a lockout on a path that does not answer it itself (the admin's login) into a page.
    "axes.middleware.AxesMiddleware",
]
# With DEBUG on, the portal still shows its own 404/500 pages; 1 gives Django's technical ones.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES", False)

ROOT_URLCONF = "liaison.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "liaison.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "liaison.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
# Production keeps each worker's PostgreSQL connection for a minute instead of opening one
# per request (~16 ms here, STACK.md pitfall 9); the health check replaces a connection
# the database dropped (say, after a restart) before the next request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes a write transaction take the lock at BEGIN, so concurrent
    # number allocation serialises instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # Tests use an in-memory database unless a file is asked for (a test that
    # starts a separate worker process needs one it can open too).
    if env_str("SQLITE_TEST_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME")}

# Each process's own memory. The one user is the indicators' figures (indicators.selectors.compute),
# keyed by a data version the database keeps, so a process never serves a stale one; sharing them
# (Redis) would only save each gunicorn worker one computation per version, for a network round
# trip on every request and a dependency that fails the page while Redis restarts.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fylink"}}

AUTH_USER_MODEL = "liaison.User"
AUTHENTICATION_BACKENDS = [
    # First: counts every authenticate() call (page, API token, admin) and refuses while locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Lockout (liaison/lockout.py, on django-axes): this many failures for one username lock that
# name for LOCKOUT_MINUTES on every login path. The client address counts only when the reverse
# proxy sets a header naming it (e.g. X-Real-IP); then LOGIN_ADDRESS_MAX_FAILURES from one
# client lock that client. Without the header every user shares the proxy's address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_CLIENT_ADDRESS_HEADER = env_str("LOGIN_CLIENT_ADDRESS_HEADER", "")
LOGIN_ADDRESS_MAX_FAILURES = env_int("LOGIN_ADDRESS_MAX_FAILURES", 4 * LOGIN_MAX_FAILURES)
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "liaison.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "liaison.lockout.client_address"
AXES_HANDLER = "liaison.lockout.PortalAxesHandler"
AXES_LOCKOUT_CALLABLE = "liaison.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt while locked does not extend the lock (the owner retrying is not punished).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful logins are not logged by axes (the audit trail records what users do).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded and generated files live outside the web root and are served only by
# access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Media is never served by URL (downloads go through access-checked views); a host that
# does not exist keeps Django's test servers from serving MEDIA_ROOT either.
MEDIA_URL = "http://media.invalid/"
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Files one letter, suggestion or reply may carry (liaison.uploads.check_count).
ATTACHMENTS_MAX = env_int("ATTACHMENTS_MAX", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# A JSON (or form) body to the API; multipart uploads may be UPLOAD_MAX_BYTES.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 5 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Celery: without REDIS_URL tasks run in-process (eager) and re-raise their errors.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB; WeasyPrint grows in long loops
CELERY_TASK_ROUTES = {"liaison.tasks.render_letter_pdf": {"queue": "pdf"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis puts back a message that was taken but never acknowledged (say its worker was
# killed while the broker was unreachable, so the reject failed) after this many seconds
# (Redis's default is an hour); it must exceed the longest task (CELERY_TASK_TIME_LIMIT).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_TIMEZONE = TIME_ZONE

# E-mail: console in development; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "fylink@localhost")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)

REST_FRAMEWORK = {
    # Token first, so an unauthenticated request answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's inline scripts would break under the CSP.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested too deeply answers 400 (DRF's own parser lets a RecursionError through as 500).
    "DEFAULT_PARSER_CLASSES": [
        "liaison.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.api_errors.exception_handler",
}
# How long an API `Idempotency-Key` answers a retry (liaison.api.idempotency; purged daily).
IDEMPOTENCY_KEY_DAYS = env_int("IDEMPOTENCY_KEY_DAYS", 7)

SPECTACULAR_SETTINGS = {
    "TITLE": "府院联动 API",
    "DESCRIPTION": "一府两院法治共建联动平台接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status") get their own enum names;
    # other apps add theirs here (drf-spectacular warns on a collision, and CI fails on warnings).
    "ENUM_NAME_OVERRIDES": {
        "InstitutionKindEnum": "liaison.models.Institution.Kind",
        "DeliveryKindEnum": "liaison.models.Delivery.Kind",
        "LetterStatusEnum": "liaison.models.Letter.Status",
        "LedgerEntryStatusEnum": "liaison.models.LedgerEntry.Status",
        "SuggestionKindEnum": "suggestions.models.Suggestion.Kind",
        "SuggestionStatusEnum": "suggestions.models.Suggestion.Status",
        "ReplyStatusEnum": "suggestions.models.Reply.Status",
        "ExtensionStatusEnum": "suggestions.models.Extension.Status",
        "FilingKindEnum": "suggestions.models.Filing.Kind",
        "CaseStatusEnum": "cases.models.AdministrativeCase.Status",
        "AppearanceKindEnum": "cases.models.Appearance.Kind",
        "DisputeStatusEnum": "cases.models.Dispute.Status",
        "BulletinStatusEnum": "indicators.models.Bulletin.Status",
        "AnnualReportStatusEnum": "indicators.models.AnnualReport.Status",
        "CoordinationStatusEnum": "cases.models.Coordination.Status",
        "EnforcementStatusEnum": "cases.models.Enforcement.Status",
        "SupervisionStatusEnum": "cases.models.SupervisionApplication.Status",
        "ClueStatusEnum": "cases.models.ClueTransfer.Status",
        "SuggestionCategoryEnum": "suggestions.models.Suggestion.Category",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingKindCategoryEnum": "meetings.models.MeetingKind.Category",
        "LegalReviewStatusEnum": "meetings.models.LegalReview.Status",
        "ResearchStatusEnum": "meetings.models.Research.Status",
        "LawClassStatusEnum": "meetings.models.LawClass.Status",
        "LedgerUnitEnum": "liaison.models.LedgerEntry.Unit",
    },
}

# Content-Security-Policy: every asset is served by the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# SAMEORIGIN on purpose (letter PDFs may be previewed in a same-origin frame; CSP
# frame-ancestors 'self' says the same), so check --deploy's advice to use DENY is silenced.
# axes.W006 asks for the address as a lockout key: on purpose it is not one (see the lockout
# settings above: behind the proxy it would lock everyone); the username key is not bypassed
# by rotating user agents or cookies.
SILENCED_SYSTEM_CHECKS = ["security.W019", "axes.W006"]
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Days before a ledger due date when the owner is reminded.
LEDGER_REMIND_DAYS = env_int("LEDGER_REMIND_DAYS", 3)

# Cases (configurable: RULES.md fixes none of these periods).
# Calendar days after a granted 裁执分离 ruling for the assignee's written feedback to the court.
ENFORCEMENT_FEEDBACK_DAYS = env_int("ENFORCEMENT_FEEDBACK_DAYS", 30)
# Months after receiving an enforcement-supervision application for the procuratorate's decision.
SUPERVISION_DECISION_MONTHS = env_int("SUPERVISION_DECISION_MONTHS", 3)
# Calendar days after a 违法线索移送 for the recipient to handle the clue.
CLUE_HANDLING_DAYS = env_int("CLUE_HANDLING_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
