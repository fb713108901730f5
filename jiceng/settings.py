"""Django settings for Jiceng. Every deployment-specific value comes from the environment.

Environment:
    DATABASE_URL         database (default: SQLite file in the data dir)
    JICENG_DATA_DIR      where the SQLite file, the generated secret key, uploads and demo logins live
    SECRET_KEY / SECRET_KEY_FILE   generated and kept in the data dir when absent
    ALLOWED_HOSTS        comma-separated (default: localhost names)
    JICENG_DEBUG         0 or 1 (default 0)
    JICENG_SESSION_IDLE_MINUTES   session timeout on inactivity (default 30)
    JICENG_TASKS_BACKEND "database" (default: tasks wait in the database for `jiceng worker`) or "immediate"
    JICENG_REMINDER_RETRY_MINUTES   a reminder claimed but still unsent after this long is enqueued again (30)
    JICENG_SMS_GATEWAY   dotted path of the SMS gateway class (default: console); empty turns SMS off
    JICENG_SITE_URL      e.g. https://jiceng.example.gov.cn, to put absolute links in e-mails (default: none)
    JICENG_BEHIND_PROXY  1 behind a TLS-terminating proxy that sets X-Forwarded-Proto (deploy/nginx.conf)
    JICENG_ATTACHMENT_MAX_BYTES   largest disclosure attachment (default 10 MB)
    JICENG_FEEDBACK_PER_HOUR      public feedback messages one address may send per hour (default 10)
    JICENG_CACHE_URL     redis://… shared by every app process (default: process memory)
    JICENG_LOG_LEVEL     root log level (default INFO)
    JICENG_LOG_FORMAT    "text" (default) or "json": one JSON object per line, personal data masked
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD / _FILE, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
                         SMTP for notifications; without EMAIL_HOST e-mails are printed to the console
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "1" if default else "0")
    if raw not in {"0", "1"}:
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}")
    return raw == "1"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    return [part.strip() for part in raw.split(",") if part.strip()] if raw else default


DATA_DIR = Path(os.environ.get("JICENG_DATA_DIR", Path.home() / ".local" / "share" / "jiceng")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if key_file := os.environ.get("SECRET_KEY_FILE"):
        return Path(key_file).read_text().strip()
    kept = DATA_DIR / "secret_key"
    if not kept.exists():
        # Created once with owner-only permissions, then reused, so sessions survive restarts.
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return kept.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("JICENG_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jiceng.core",
    "jiceng.audit",
    "jiceng.rules",
    "jiceng.orgs",
    "jiceng.accounts",
    "jiceng.meetings",
    "jiceng.notify",
    "jiceng.archives",
    "jiceng.disclosure",
    "jiceng.decisions",
    "jiceng.accountability",
    "jiceng.orglife",
    "jiceng.finance",
    "jiceng.party",
    "jiceng.office",
    "jiceng.zongzhi",
    "jiceng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files come from the app itself: government intranets have no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiceng.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiceng.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jiceng.urls"
WSGI_APPLICATION = "jiceng.wsgi.application"

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
                "jiceng.notify.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiceng.sqlite3'}"),
        conn_max_age=env_int("JICENG_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so concurrent
    # writers queue on the busy timeout instead of failing later with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # A file, not memory, so that tests exercise WAL and a threaded server sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

# A shared cache (Redis) when several app processes serve one city: import progress and cached public pages
# must be seen by every process. Alone on a laptop, process memory is enough.
_cache_url = os.environ.get("JICENG_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
    # Sessions are read from Redis and written through to the database, so a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif _cache_url:
    raise ImproperlyConfigured(f"JICENG_CACHE_URL must be a redis:// URL, not {_cache_url!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password policy for a 等保 level 2-3 system: length, not a common or numeric password,
# and characters from at least three classes.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiceng.accounts.passwords.CharacterClassValidator"},
]

# Lockout after repeated failures (django-axes): 5 failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = env_int("JICENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("JICENG_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# Lock by username, not by address: a street office sits behind one NAT address, and locking that
# would lock out the whole office after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = env_int("JICENG_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request, i.e. inactivity
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("JICENG_SECURE_COOKIES", False)
# Behind a TLS-terminating proxy (deploy/nginx.conf) the scheme arrives in X-Forwarded-Proto; trusted only when
# the deployment says a proxy sets it.
JICENG_BEHIND_PROXY = env_bool("JICENG_BEHIND_PROXY", False)
if JICENG_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without a collectstatic run (demo, tests) WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
JICENG_ATTACHMENT_MAX_BYTES = env_int("JICENG_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# The public feedback box (R-PDISC-03) takes no account; these bound what one address may send per hour.
JICENG_FEEDBACK_PER_HOUR = env_int("JICENG_FEEDBACK_PER_HOUR", 10)

_log_format = os.environ.get("JICENG_LOG_FORMAT", "text")
if _log_format not in ("text", "json"):
    raise ImproperlyConfigured(f"JICENG_LOG_FORMAT must be text or json, not {_log_format!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "jiceng.core.masking.PersonalDataLogFilter"}},
    "formatters": {"json": {"()": "jiceng.core.logformat.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"],
                    **({"formatter": "json"} if _log_format == "json" else {})},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("JICENG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The development server's request log goes through the masking handler too: ballot codes and
        # personal data can sit in a URL.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Time-driven work (ARCHITECTURE §8): tasks wait in the database until `jiceng worker` runs them, so any
# number of workers on any machine share one queue. "immediate" runs a task inside the process that
# enqueues it (a demo without a worker; the tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("JICENG_TASKS_BACKEND", "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"JICENG_TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {_tasks_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}
JICENG_REMINDER_RETRY_MINUTES = env_int("JICENG_REMINDER_RETRY_MINUTES", 30)

# Notifications: in-app always; e-mail to users with an address; SMS through the gateway class named here.
JICENG_SMS_GATEWAY = os.environ.get("JICENG_SMS_GATEWAY", "jiceng.notify.sms.ConsoleSmsGateway")
JICENG_SITE_URL = os.environ.get("JICENG_SITE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jiceng@localhost")
if EMAIL_HOST := os.environ.get("EMAIL_HOST", ""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    if _password_file := os.environ.get("EMAIL_HOST_PASSWORD_FILE"):
        EMAIL_HOST_PASSWORD = Path(_password_file).read_text().strip()
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
