"""Settings for the Ceasefire Timeline, driven by environment variables.

Local use needs no configuration: SQLite beside manage.py, DEBUG on only when
DJANGO_DEBUG says so. With DEBUG off the app refuses to start without
DJANGO_SECRET_KEY, so production never runs on a default secret.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}.")
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (a long random string) to run with "
            "DEBUG off, or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    # Every change to the timeline's records, with who made it (timeline/history.py).
    "simple_history",
    "timeline",
    "axes",
]

MIDDLEWARE = [
    # First: answers anonymous readers of public pages from the validators and
    # the response cache before the rest of the stack runs (timeline/http_cache.py).
    "timeline.http_cache.PublicPageCacheMiddleware",
    # Compresses pages and JSON; Django's version pads responses against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ceasefire.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's documented place): picks
    # the interface language from the django_language cookie the switcher sets
    # (timeline.views.switch_language), else from Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: the history records which editor made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ceasefire.urls"

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
                "timeline.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ceasefire.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: a write waits up to `timeout` seconds for the
    # other instead of failing with "database is locked". IMMEDIATE takes the
    # write lock when a transaction begins, so a save that reads first cannot
    # be refused halfway (SQLite does not wait for a reader turning writer).
    # WAL lets readers go on while a write is under way; synchronous stays
    # FULL, so a committed save survives a power cut too.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the pages' queries run in milliseconds, and when a
    # cost estimate crosses jit_above_cost, compiling alone took 16 ms of a
    # 100 ms query (a month of one kind's chart at 100,000 events).
    # 16 MB to sort or hash in, not the default 4: three busy actors' 77,000
    # chart entries counted by month sort in memory instead of on disk
    # (60 -> 53 ms). It is per sort or hash step of a query, per connection:
    # a few of each per page, one connection per gunicorn worker.
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c work_mem=16MB",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# The cache: in-process by default, so `make run` needs nothing; Redis, shared
# by every worker and machine, when REDIS_URL (or CACHE_URL) names one. If
# Redis goes away, pages are built from the database and /healthz says so.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must be a redis://, rediss:// or unix:// URL, not {REDIS_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "ceasefire.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ceasefire",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Names this deployment in cache keys and ETags; by default a hash of the
# code, templates and static files (timeline/cache.py, release()).
RELEASE = os.environ.get("RELEASE", "")

# Caching headers of public pages for anonymous readers (timeline/http_cache.py).
# max-age 0: browsers and shared caches revalidate every time, which costs the
# server one version read (a 304), so a correction shows on the next request.
# Raise both behind a CDN to absorb a spike, at the cost of that many seconds.
PUBLIC_CACHE_MAX_AGE = env_seconds("CACHE_MAX_AGE", 0)
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = env_seconds("CACHE_STALE_WHILE_REVALIDATE", 0)
# Should the app be down, a cache may keep serving what it has for this long.
PUBLIC_CACHE_STALE_IF_ERROR = env_seconds("CACHE_STALE_IF_ERROR", 60 * 60 * 24)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes, ceasefire/login_throttle.py): after
# AXES_FAILURE_LIMIT failed logins for one user name, or from one address,
# both are refused (429, a page saying when to retry) until the cool-off has
# passed since the last attempt. Superusers see and lift lock-outs in the
# admin (Axes > Access attempts: delete the row).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# Failures during a lock-out do not restart it: else one wrong password every
# quarter of an hour from anywhere would keep a named editor out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_COOLOFF_TIME = datetime.timedelta(seconds=env_seconds("LOGIN_COOLOFF_SECONDS", 15 * 60))
if not AXES_COOLOFF_TIME:
    # axes reads no cool-off as "locked until an administrator unlocks".
    raise ImproperlyConfigured("LOGIN_COOLOFF_SECONDS must be at least 1.")
AXES_LOCKOUT_CALLABLE = "ceasefire.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ceasefire.login_throttle.client_ip"
# The address a request comes from is REMOTE_ADDR. Behind a reverse proxy,
# name the header the proxy sets (X-Forwarded-For, X-Real-IP): only then, as
# a client could send it too and pick its own address.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip()

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# The interface's languages; the content (titles, summaries, quotes) stays as
# entered. English needs no catalogue: the messages are written in it.
LANGUAGES = [
    ("en-gb", "English"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("fr", "Français"),
    ("de", "Deutsch"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice is remembered for a year, not just the browser session.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. HTTPS-only settings follow DJANGO_HTTPS so a plain-HTTP
# local run of the production settings still works.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_seconds("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 30)
    # Covers the subdomains of the host the app is served from, not its parent domain's.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if SECURE_HSTS_PRELOAD and not (
        SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
    ):
        raise ImproperlyConfigured(
            "DJANGO_HSTS_PRELOAD=true needs DJANGO_HSTS_INCLUDE_SUBDOMAINS on and "
            "DJANGO_HSTS_SECONDS of at least 31536000 (a year): the preload list takes no less."
        )
if not (HTTPS and SECURE_HSTS_PRELOAD):
    # security.W021 asks for HSTS preload. Joining the browsers' preload list
    # is the operator's decision, not a default (browsers then refuse plain
    # HTTP to the whole domain, and leaving the list takes months); until
    # DJANGO_HSTS_PRELOAD=true makes it, the warning would only repeat that.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

TIMELINE_TITLE = os.environ.get("TIMELINE_TITLE", "Ceasefire Timeline")

# Who may put /embed/ in an <iframe> (CSP frame-ancestors): any site by
# default, as TimelineJS embeds may be; e.g. "https://news.example.org" to
# allow one newsroom only. Every other page refuses to be framed.
EMBED_FRAME_ANCESTORS = " ".join(env_list("EMBED_FRAME_ANCESTORS", ["*"]))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
