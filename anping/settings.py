"""Settings for Anping, read from the environment (django-environ).

With no environment at all the portal runs on an embedded SQLite file with Celery tasks executed
in process, so `make run` needs no service. Every variable is documented in `.env.example`.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    # Only a development run may fall back to a fixed key; production must set its own.
    default="insecure-development-key-only-for-make-run" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Shared apps first: the project's own commands (makemessages) override Django's.
    "anping.web",
    "anping.regions",
    "anping.orgs",
    "anping.accounts",
    "anping.workdays",
    "anping.uploads",
    "anping.notifications",
    "anping.history",
    "deputies",
    "stations",
    "proposals",
    "livelihood",
    "legislation",
    "opinions",
    "anping.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session and any view: a NUL byte anywhere in the request is a 400 page.
    "anping.web.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a signed-in person are never kept by a browser or proxy (personal data).
    "anping.web.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anping.urls"
WSGI_APPLICATION = "anping.wsgi.application"

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
                "anping.web.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'anping.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the development server read while a task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# The portal's own error page for a refused form (templates/403_csrf.html), as Django's default
# view renders it: named here so that a test asserts it.
CSRF_FAILURE_VIEW = "django.views.csrf.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins lock the *account*, not the address: a whole congress hall shares one
# NAT address, and one deputy's typos must not lock out the others.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 warns that the address is not part of the lockout key. That is deliberate: during a
# session hundreds of deputies reach the portal from the hall's single address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["anping.formats"]  # ISO dates first: see anping/formats/zh_Hans
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Uploaded files are never served as static files: each download goes through a view that
# checks who may see the object it belongs to.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=20_000)  # rows one roster import reads

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve from the finders in development and tests, so no collectstatic step is needed there.
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery. With no broker configured, tasks run in process (eagerly), so nothing else is needed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran, and given back to the queue if its worker dies: every
# task is written to be harmless when it runs twice (see docs/architecture.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # How often a worker sweeps Redis for messages a dead worker took and never acknowledged:
    # every interval × throttle seconds (kombu's defaults: 10 × 10).
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", 10),
}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="anping")

# Email and SMS. Development writes both to the console.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="anping@localhost")
SMS_BACKEND = env.str("SMS_BACKEND", default="anping.notifications.sms.ConsoleBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_FILE_PATH = env.path("SMS_FILE_PATH", default=BASE_DIR / "var" / "sms.log")

# The law's clock. Local rules differ, so every period is a setting (see DOMAIN.md).
ANPING_CLOCK = {
    "ANSWER_MONTHS": env.int("CLOCK_ANSWER_MONTHS", default=3),
    "MAX_TOTAL_MONTHS": env.int("CLOCK_MAX_TOTAL_MONTHS", default=6),
    "SEND_BACK_WORKING_DAYS": env.int("CLOCK_SEND_BACK_WORKING_DAYS", default=10),
    "CO_UNIT_WORKING_DAYS": env.int("CLOCK_CO_UNIT_WORKING_DAYS", default=22),
    "RECESS_ASSIGN_WORKING_DAYS": env.int("CLOCK_RECESS_ASSIGN_WORKING_DAYS", default=5),
    "REHANDLE_MONTHS": env.int("CLOCK_REHANDLE_MONTHS", default=1),
    "REMIND_DAYS_BEFORE": env.list("CLOCK_REMIND_DAYS_BEFORE", cast=int, default=[15, 7, 1]),
}

# Residents' opinions (the closed loop): the unit's time to answer and to send back, in working
# days from the dispatch; the days a resident has to confirm before the case closes as "not
# confirmed"; the one-time SMS code; the limits of the public page per mobile number (strict)
# and per address (generous: a hall or a village may share one address).
OPINIONS = {
    "ANSWER_WORKDAYS": env.int("OPINION_ANSWER_WORKDAYS", default=15),
    "SEND_BACK_WORKDAYS": env.int("OPINION_SEND_BACK_WORKDAYS", default=3),
    "REMIND_WORKDAYS_BEFORE": env.int("OPINION_REMIND_WORKDAYS_BEFORE", default=3),
    "CONFIRM_DAYS": env.int("OPINION_CONFIRM_DAYS", default=15),
    "CODE_MINUTES": env.int("OPINION_CODE_MINUTES", default=10),
    "PER_PHONE_PER_HOUR": env.int("OPINION_PER_PHONE_PER_HOUR", default=3),
    "PER_ADDRESS_PER_HOUR": env.int("OPINION_PER_ADDRESS_PER_HOUR", default=60),
    "MAX_PHOTOS": 3,
    "PHOTO_MAX_BYTES": env.int("OPINION_PHOTO_MAX_BYTES", default=5 * 1024 * 1024),
}

# Production hardening. DEBUG off turns all of it on; `manage.py check --deploy` passes clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and forms from the
# portal itself only (no CDN on a government intranet), no frames, no plugins. No template
# holds an inline <script> or <style> element, nor an on* handler (static/web/portal.js reads
# data-confirm and data-print instead). `style-src-attr 'unsafe-inline'` lets the remaining
# style="…" attributes of the apps' templates and django-import-export's pages through: an
# attribute cannot load or run anything; remove it once they are classes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_FORMATS = [
    "import_export.formats.base_formats.XLSX",
    "import_export.formats.base_formats.CSV",
]
