"""Settings for Alternance Q&A, read from the environment.

Unset variables give the embedded default (SQLite, in-memory channel layer,
console email) so that a fresh clone runs with one command. Production and CI
set DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG.
"""

import os
import re
import warnings
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.client_switch import app_client_only

BASE_DIR = Path(__file__).resolve().parent.parent


# Every variable is read through one of these helpers: a bad value stops the
# process at start with the variable's name, never a request later. Each
# default lives here only; code reads `settings.X`, never a default of its own.


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str, *, choices: Iterable[str] | None = None) -> str:
    value = _raw(name)
    if value is None:
        return default
    if choices is not None and value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, got {value!r}")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# DRF's format ("10/min"); DRF itself only reads the first letter of the
# period and raises on the first request that meets a bad rate.
_RATE = re.compile(r"^[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    value = env_str(name, default)
    if not _RATE.match(value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 30/min (per s, min, hour or day), got {value!r}")
    return value


def env_url(name: str, default: str, *, schemes: Iterable[str]) -> str:
    value = env_str(name, default)
    parts = urlsplit(value)
    if value and (parts.scheme not in schemes or not (parts.netloc or parts.path)):
        raise ImproperlyConfigured(f"{name} must be a {' or '.join(sorted(schemes))} URL, got {value!r}")
    return value


def env_month_days(name: str, default: list[str]) -> tuple[tuple[int, int], ...]:
    """Days of the year as MM-DD ("01-01,07-01"), sorted. February 29 is
    refused: a day that most years lack would leave those years without it."""
    days = set()
    for item in env_list(name, default):
        match = re.fullmatch(r"(\d{2})-(\d{2})", item)
        try:
            if not match or (int(match[1]), int(match[2])) == (2, 29):
                raise ValueError
            date(2001, int(match[1]), int(match[2]))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be days as MM-DD separated by commas, got {item!r}") from None
        days.add((int(match[1]), int(match[2])))
    if not days:
        raise ImproperlyConfigured(f"{name} must name at least one day (MM-DD)")
    return tuple(sorted(days))


def env_date(name: str) -> date | None:
    value = _raw(name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


# Writable data (the embedded SQLite database, the test outbox). Created by
# the commands that write there (manage.py, ./dev), not at import.
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
# A built-in key only with DEBUG on: anything else (production, a forgotten
# variable, an entrypoint whose `check --deploy` was skipped) must bring its
# own. ./dev and the test settings (tests/settings.py) pass a development key.
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (50+ random characters, docs/operations.md), "
            "or DEBUG=1 for local development only."
        )
    SECRET_KEY = "django-insecure-debug-only-key"
# Rotating the key (docs/operations.md, "Rotate secrets"): the previous keys,
# comma-separated, still verify what they signed (sessions, reset links,
# unsubscribe links) while everything new is signed with SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Absolute links in emails sent outside a request (cron jobs such as expire_badges).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes={"http", "https"}).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "frontend.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The site's name in allauth's emails ("Alternance Q&A", not the host): forum migration 0006.
    "django.contrib.sites",
    # SearchVectorField (forum.models.search); inert on SQLite.
    "django.contrib.postgres",
    # sitemap.xml and its sections (frontend/sitemaps.py); its templates only, no models.
    "django.contrib.sitemaps",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    # Before allauth: its templates override allauth's layout and form elements.
    "frontend",
    "allauth",
    "allauth.account",
    # The mobile app's account lifecycle (sign up, verify, log in, reset):
    # /_allauth/app/v1/..., see api/headless.py and docs/api.md.
    "allauth.headless",
    "forum",
    "api",
    # The database task backend and its worker (notification emails, fan-out).
    "django_tasks_db",
]

# --- Tasks ------------------------------------------------------------------
# django.tasks with django-tasks-db: tasks are rows, run by
# `manage.py notifications_worker` (./dev serve starts one; production runs it
# as its own process, docs/operations.md). The tests run them in-process.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MIDDLEWARE = [
    # First: they time and name the whole request, middleware included
    # (docs/operations.md, "Observability").
    "config.metrics.MetricsMiddleware",
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, plus ?lang=<code> so that the English pages have crawlable addresses.
    "frontend.middleware.QueryLanguageLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the member read with the session (config/session_store.py).
    "config.session_store.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # {{ csp_nonce }} for the rare <script> that must be inline.
                "django.template.context_processors.csp",
                "frontend.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL dj-database-url knows: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Browser tests run the real server in another process, so the
            # test database must be a file both processes can open.
            "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web server, websockets and a
        # management command share the file without "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool: under ASGI each request may run on another thread, so
    # persistent per-thread connections would pile up; the pool shares them.
    from config.db_pool import check_connection

    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("DB_POOL_MAX", 10, minimum=1),
        # How long a request waits for a connection before a 503 (config/unavailable.py).
        "timeout": env_int("DB_POOL_TIMEOUT", 10, minimum=1),
        # After a PostgreSQL restart every idle pooled connection is dead: test
        # one as it is handed out (a round trip, at most once a second per
        # connection: config/db_pool.py) so that a request gets a live one and
        # the pool refills itself, with no process restart.
        "check": check_connection,
    }
    # Values sent apart from the SQL, and a query run 5 times on a connection
    # prepared there: PostgreSQL then plans it once per connection instead of
    # on every request (planning cost more than running most of the hot
    # queries: docs/performance.md). Off behind a pooler that cannot keep
    # prepared statements (PgBouncer in transaction mode before 1.21).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels ---------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes={"redis", "rediss", "unix"})
if REDIS_URL:
    # The pub/sub layer costs one Redis message per process, not per watcher,
    # and was measured well ahead of RedisChannelLayer for fan-out (docs/known-traps.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                # Pub/sub channels are global to a Redis server, whatever the
                # database number: name them after it, so that two deployments
                # (or two test runs) on one Redis with different databases
                # never hear each other's events.
                "prefix": "asgi" + (urlsplit(REDIS_URL).path.strip("/") or "0"),
            },
        }
    }
    # Redis down must not mean 500s (docs/operations.md, "Failure modes"):
    # the shared cache fails open (pages are computed), the API throttles
    # count in each process meanwhile. Short socket timeouts so that a Redis
    # that stopped answering costs a request at most about a second, then the
    # backend's breaker skips it for CACHE_RETRY_SECONDS.
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.retry import Retry

    _redis_cache_options = {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 1,
        # redis-py 8 retries a timed-out command 3 times with backoff (up to
        # 7 s of a request with a hung Redis): retry only a broken connection,
        # once (a pooled connection left over from before a Redis restart).
        "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        "RETRY_SECONDS": env_int("CACHE_RETRY_SECONDS", 2, minimum=1),
    }
    CACHES = {
        "default": {
            "BACKEND": "config.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # forum.page_versions.GENERATION_KEY: a bump lost in the outage
            # must not leave older pages current.
            "OPTIONS": {**_redis_cache_options, "FALLBACK": "open", "FORGET_ON_RECOVERY": ["pages:generation"]},
        },
        "throttles": {
            "BACKEND": "config.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {**_redis_cache_options, "FALLBACK": "local"},
        },
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # The same store as "default" (LocMemCache shares it by LOCATION):
        # clearing the cache resets the throttles, as it does on Redis.
        "throttles": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# Shared cache of anonymous pages (docs/architecture.md, "Caching"). Entries are
# keyed by exact versions, so the lifetime only bounds what no event announces:
# view counts and relative times ("il y a 3 minutes") in a cached page.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=1)
# The HTTP cache in front (Varnish, deploy/varnish/; docs/operations.md, "The
# HTTP cache"): where bans go, as URLs of its private listener, and how long it
# may keep a page no ban reached (the bound on staleness if a process dies
# between a commit and its ban). Empty: no HTTP cache (the embedded default).
HTTP_CACHE_BAN_URLS = env_list("HTTP_CACHE_BAN_URLS", [])
HTTP_CACHE_SECONDS = env_int("HTTP_CACHE_SECONDS", 60, minimum=1)
# Each ban is sent again this long after the first, for a page rendered from the
# data before the change that reached the cache after the first ban: longer than
# a slow render (forum/http_cache.py). The tests' one-page renders take less.
HTTP_CACHE_REBAN_MS = env_int("HTTP_CACHE_REBAN_MS", 2000, minimum=100)

# Audit-log entries are kept this many days, then purged (the privacy policy
# states it; forum/services/audit_retention.py, `manage.py purge_audit_log`).
AUDIT_LOG_RETENTION_DAYS = env_int("AUDIT_LOG_RETENTION_DAYS", 365, minimum=1)
# Who runs this instance, shown by the legal notice and the privacy policy
# (frontend/templates/frontend/pages/legal_*.html, privacy_*.html): every
# operator sets their own.
LEGAL_PUBLISHER = env_str("LEGAL_PUBLISHER", "Alternance Q&A (démonstration)")
LEGAL_ADDRESS = env_str("LEGAL_ADDRESS", "")
LEGAL_PUBLICATION_DIRECTOR = env_str("LEGAL_PUBLICATION_DIRECTOR", "")
LEGAL_HOST = env_str("LEGAL_HOST", "")
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@alternance-qa.fr")
# The deployed code's name (e.g. the image tag) in every cache key and ETag;
# empty: a digest of the code's files, computed once per process.
PAGE_CACHE_RELEASE = env_str("PAGE_CACHE_RELEASE", "")

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "forum.User"
# Django's and allauth's, reading the member with compiled SQL (forum/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "forum.auth_backends.ModelBackend",
    "forum.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "frontend:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "frontend:home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "frontend.forms.SignupProfileForm"
ACCOUNT_USERNAME_BLACKLIST = ["admin", "moderateur", "moderator", "staff", "support"]
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alternance Q&A] "
ACCOUNT_ADAPTER = "frontend.adapter.AccountAdapter"
# Codes (typed on a phone) for the app, links for the web: allauth reads these
# once per use, and `app_client_only` is true only while a headless "app"
# request is being served (docs/known-traps.md).
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = app_client_only
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = app_client_only
# allauth headless for the mobile app only (the web keeps its pages): its
# finished logins issue a device token (api.headless.DeviceTokenStrategy).
HEADLESS_CLIENTS = ("app",)
HEADLESS_TOKEN_STRATEGY = "api.headless.DeviceTokenStrategy"
# The OpenAPI description of /_allauth/app/v1/: allauth's views are shadowed
# by api.headless.AccountsSpecView at /_allauth/openapi.json (and .yaml),
# listed beside ours in /api/docs/ (allauth's own cannot serialise our form's
# lazy labels, and its Redoc page loads from a CDN).
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None
# allauth's own failed-login limit stays per address only; the per-account
# limit is forum.services.login_limits, shared with the API and atomic.
ACCOUNT_RATE_LIMITS: dict | bool = {"login_failed": env_str("LOGIN_FAILED_PER_ADDRESS", "10/m/ip")}
SITE_ID = 1
if env_bool("DISABLE_ACCOUNT_RATE_LIMITS", False):
    # Browser tests sign up many accounts from one address in a minute.
    ACCOUNT_RATE_LIMITS = False
# Reverse proxies in front of the app that append to X-Forwarded-For. One
# number for every reader of the client address: allauth's per-address
# limits, DRF's throttles, and (through the entrypoint's FORWARDED_ALLOW_IPS
# check) uvicorn's access log. 0: clients connect directly, X-Forwarded-For
# is ignored. With N, the address is the Nth entry from the right, the one
# the outermost trusted proxy saw; entries to its left are client-chosen.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be between 0 and 5, got {TRUSTED_PROXY_COUNT}")
if "*" in env_list("FORWARDED_ALLOW_IPS", []):
    # uvicorn then takes a client-chosen X-Forwarded-For entry as REMOTE_ADDR
    # and as the address in its access log (docs/known-traps.md): name the proxy.
    raise ImproperlyConfigured(
        "FORWARDED_ALLOW_IPS=* trusts addresses chosen by clients: set it to your proxy's address(es)."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Email ------------------------------------------------------------------
# Console by default; EMAIL_BACKEND=smtp (with EMAIL_HOST...) in production;
# the browser tests use the file backend as an outbox they can read.
_email_backend = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if _email_backend == "smtp":
    _email_backend = "django.core.mail.backends.smtp.EmailBackend"
_email_options: dict = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
elif _email_backend.endswith("filebased.EmailBackend"):
    _email_options = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "outbox"))}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alternance Q&A <no-reply@alternance-qa.fr>")

# --- I18n -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without a collectstatic run (tests, development) serve straight from the apps.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
if WHITENOISE_USE_FINDERS:
    # The finders serve the files, so the collectstatic folder (built into the
    # image) need not exist: silence WhiteNoise's warning about it rather than
    # create folders on import.
    warnings.filterwarnings("ignore", message=f"No directory at: {re.escape(str(STATIC_ROOT))}")
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security ---------------------------------------------------------------
# Database sessions with their member's id, read with the member in one query
# of compiled SQL (config/session_store.py, forum.MemberSession).
SESSION_ENGINE = "config.session_store"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Content-Security-Policy (docs/security.md): sanitised member HTML is inserted
# into pages, so a script that slipped through the sanitiser must still not
# run. Scripts come from this site only (static files; an inline one needs
# {{ csp_nonce }}), never inline handlers or eval; nothing loads from a third
# party except organisation logos (https images). The websocket is same-origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The nonce only for the API docs page's one <style> (api/templates/api/swagger_ui.html).
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Off by default (the embedded default runs on plain http://127.0.0.1); the
# Docker image turns the redirect on, and its entrypoint's `check --deploy`
# makes the operator choose an HSTS duration (docs/operations.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers and the container's HEALTHCHECK probe over plain HTTP, and
# a Prometheus scraper on loopback (/metrics, docs/operations.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# For a deliberate exception to `check --deploy`, e.g. security.W021 when the
# domain will not be submitted to the HSTS preload list.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anonymous reads, authenticated writes; the rest is forum.permissions'
    # business, asked by the services.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOnlyUnlessAuthenticated"],
    # JSON only: one content type to document, test and support on the phone.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": "api.metadata.MinimalMetadata",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ReadRateThrottle", "api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon_read": env_rate("THROTTLE_ANON_READ", "120/min"),
        "user_read": env_rate("THROTTLE_USER_READ", "600/min"),
        # Writes without a scope of their own (edits, accepting, profile, tokens).
        "write": env_rate("THROTTLE_WRITE", "30/min"),
        "ask": env_rate("THROTTLE_ASK", "10/hour"),
        "answer": env_rate("THROTTLE_ANSWER", "60/hour"),
        "vote": env_rate("THROTTLE_VOTE", "120/hour"),
        "flag": env_rate("THROTTLE_FLAG", "30/hour"),
        "auth": env_rate("THROTTLE_AUTH", "10/min"),
    },
    # Throttles count per client address: trust X-Forwarded-For only as far as
    # our own proxy (DRF's default trusts any value a client sends).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # A plain DateTimeField renders in TIME_ZONE (Europe/Paris): ISO 8601 keeps
    # its offset right. API serializers use api.v1.common.UtcDateTimeField (Z).
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alternance Q&A API",
    "DESCRIPTION": (
        "Public REST API v1 of Alternance Q&A, used by the mobile app (guide: docs/api.md).\n\n"
        "Authenticate with `Authorization: Bearer <token>` from `POST /api/v1/auth/token/`. "
        "Lists are cursor-paginated (`next`, `previous`, `results`). Every error is "
        '`{"error": {"code", "message", "fields"}}`; 429s carry `Retry-After`. Timestamps are UTC.\n\n'
        "**Accounts** (sign up, confirm the email by code, log in, reset or change the password) are "
        "served by allauth's headless API under `/_allauth/app/v1/`, described by a second schema: "
        "[/_allauth/openapi.json](/_allauth/openapi.json) (YAML: [/_allauth/openapi.yaml](/_allauth/openapi.yaml)). "
        "Its logins end with a device token in `meta.access_token`, the Bearer token of this API."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH inputs declare their own optional fields; a body that PATCH needs stays required.
    "COMPONENT_SPLIT_PATCH": False,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False, "displayOperationId": True},
    # Order and describe the sections of /api/docs/ (later resources add theirs).
    "TAGS": [
        {"name": "auth", "description": "Device tokens: log in, list devices, log out."},
        {"name": "threads", "description": "Questions: list, ask, read, edit, history."},
        {"name": "answers", "description": "Answers, votes, accepted answers, history."},
        {"name": "tags", "description": "Tags and how many threads use them."},
        {"name": "users", "description": "Public profiles."},
        {"name": "me", "description": "The current member's own profile."},
        {"name": "calendar", "description": "The alternance calendar: yearly windows that boost and remind."},
    ],
    "ENUM_NAME_OVERRIDES": {
        # Two "role" and two "status" choice sets: name each one.
        "UserRoleEnum": "forum.models.users.UserRole",
        "BadgeRoleEnum": "forum.models.organisations.BadgeRole",
        "ThreadStatusEnum": "forum.models.posts.Question.Status",
        "VerificationStatusEnum": "forum.models.organisations.VerificationRequest.Status",
        "CalendarWindowKindEnum": "forum.models.calendar.WindowKind",
    },
    # api.v1.urls converters: ids fit a 64-bit column, usernames Django's characters.
    "PATH_CONVERTER_OVERRIDES": {
        "object_id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999},
        "username": {"type": "string", "pattern": r"^[\w.@+-]+$", "maxLength": 150},
    },
}
API_TOKEN_TTL = timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90, minimum=1))

# --- Forum rules --------------------------------------------------------------
FORUM = {
    "TITLE_MIN": 10,
    "TITLE_MAX": 150,
    "BODY_MIN": 20,
    "BODY_MAX": 20_000,
    "TAGS_MIN": 1,
    "TAGS_MAX": 5,
    "TAG_MAX_LENGTH": 40,
    "PAGE_SIZE": 20,
    # Moderation and anti-spam. An account is "new" for its first
    # NEW_ACCOUNT_DAYS: its first PREMODERATE_FIRST_POSTS posts, and any post
    # of it with a link, wait in the review queue; it posts at most
    # NEW_ACCOUNT_*_PER_DAY per rolling 24 h. 0 disables a rule; a per-day
    # limit of 0 for older accounts means no limit.
    "NEW_ACCOUNT_DAYS": env_int("FORUM_NEW_ACCOUNT_DAYS", 7, minimum=0),
    "PREMODERATE_FIRST_POSTS": env_int("FORUM_PREMODERATE_FIRST_POSTS", 2, minimum=0),
    "PREMODERATE_LINKS": env_bool("FORUM_PREMODERATE_LINKS", True),
    # The composer shows the charter's role-specific hints for a member's first
    # CHARTER_HINT_POSTS published or pending posts (forum.charter.hints_for).
    "CHARTER_HINT_POSTS": env_int("FORUM_CHARTER_HINT_POSTS", 3, minimum=0),
    "NEW_ACCOUNT_QUESTIONS_PER_DAY": env_int("FORUM_NEW_ACCOUNT_QUESTIONS_PER_DAY", 3, minimum=0),
    "NEW_ACCOUNT_ANSWERS_PER_DAY": env_int("FORUM_NEW_ACCOUNT_ANSWERS_PER_DAY", 10, minimum=0),
    "QUESTIONS_PER_DAY": env_int("FORUM_QUESTIONS_PER_DAY", 0, minimum=0),
    "ANSWERS_PER_DAY": env_int("FORUM_ANSWERS_PER_DAY", 0, minimum=0),
    "FLAGS_PER_DAY": env_int("FORUM_FLAGS_PER_DAY", 30, minimum=0),
    # The same text posted twice by one member within this window is refused.
    "DUPLICATE_WINDOW_HOURS": env_int("FORUM_DUPLICATE_WINDOW_HOURS", 24, minimum=0),
    # Password attempts per account, web and API together, from any address
    # (forum.services.login_limits); past it, password login to that account
    # pauses for LOGIN_LOCKOUT_MINUTES (a cool-off, never a permanent lock).
    "LOGIN_ATTEMPTS_PER_ACCOUNT": env_int("FORUM_LOGIN_ATTEMPTS_PER_ACCOUNT", 5, minimum=1),
    "LOGIN_ATTEMPT_WINDOW_MINUTES": env_int("FORUM_LOGIN_ATTEMPT_WINDOW_MINUTES", 15, minimum=1),
    "LOGIN_LOCKOUT_MINUTES": env_int("FORUM_LOGIN_LOCKOUT_MINUTES", 15, minimum=1),
    # Summed flag weight (forum.services.flags.flag_weight) that hides a post pending review.
    "FLAGS_TO_HIDE": env_int("FORUM_FLAGS_TO_HIDE", 3, minimum=1),
}

# --- Dated legal answers (issue 17; forum/legal_dates.py, docs/legal-dates.md) -------
# Answers on threads with one of these tags show "to check" once the validity
# date is older than the latest reference day (Europe/Paris): pay and aid
# figures change on these days.
LEGAL_ANSWER_TAGS = frozenset(env_list("LEGAL_ANSWER_TAGS", ["remuneration", "salaire", "aides"]))
LEGAL_ANSWER_REFERENCE_DAYS = env_month_days("LEGAL_ANSWER_REFERENCE_DAYS", ["01-01"])
# Source links to these domains (and their subdomains) get the "official source" mark.
OFFICIAL_SOURCE_DOMAINS = tuple(
    domain.lower().lstrip(".")
    for domain in env_list(
        "OFFICIAL_SOURCE_DOMAINS",
        [
            "service-public.fr",
            "travail-emploi.gouv.fr",
            "legifrance.gouv.fr",
            "urssaf.fr",
            "alternance.emploi.gouv.fr",
            "francecompetences.fr",
        ],
    )
)
# "Today" for the rule, in place of the clock (YYYY-MM-DD): for demonstrations
# and the browser test of the day after the reference date. Empty in production.
LEGAL_ANSWERS_TODAY = env_date("LEGAL_ANSWERS_TODAY")

_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
# One JSON object per line with the request id (docs/operations.md,
# "Observability"); "text" for reading in a terminal (the default with DEBUG).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json", choices={"json", "text"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "forbidden_one_line": {"()": "config.log_filters.ForbiddenWithoutTraceback"},
        "request_id": {"()": "config.json_logs.RequestIdFilter"},
        "unavailable_as_warning": {"()": "config.log_filters.UnavailableAsWarning"},
    },
    "formatters": {
        "json": {"()": "config.json_logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "access": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING", choices=_LOG_LEVELS)},
    "loggers": {
        # Every 403 in one line, without PermissionDenied's traceback.
        "django.request": {"filters": ["forbidden_one_line", "unavailable_as_warning"]},
        # The HTTP processes' access log (config/access_log.py), whatever LOG_LEVEL says, as uvicorn's.
        "http.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}

# --- Observability ------------------------------------------------------------
# /metrics (Prometheus): with METRICS_TOKEN set, for `Authorization: Bearer
# <token>` only; without, for direct loopback requests only (none that came
# through a proxy). Several worker processes share their counts through
# PROMETHEUS_MULTIPROC_DIR (read by prometheus-client itself; docs/operations.md).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
