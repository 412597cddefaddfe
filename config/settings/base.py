"""The production settings, read from environment variables (wsgi.py, asgi.py and manage.py load
this module).

Safe by default: DEBUG is off unless DEBUG=1 is set, and with DEBUG off the service refuses to
start without a SECRET_KEY of its own. Production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
`manage.py check --deploy` is then clean. Local development uses ``config.settings.dev`` (what
`make run` loads: DEBUG on, SQLite, console e-mail), the tests ``config.settings.test``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
#: Signs sessions and links in local development only (DEBUG on). It is public, so with DEBUG off
#: it is refused like a missing key (check --deploy would reject it too: short, marked insecure).
DEVELOPMENT_SECRET_KEY = "django-insecure-local-demo-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG and SECRET_KEY.strip() in ("", DEVELOPMENT_SECRET_KEY):
    # Refuse to start rather than sign sessions, sign-in and signing links with a known key.
    raise ImproperlyConfigured(
        (
            "SECRET_KEY is the public development key"
            if SECRET_KEY.strip()
            else "SECRET_KEY is not set"
        )
        + " and DEBUG is off, so Eigenwijs does not start. Set SECRET_KEY to a long random "
        "secret of your own, e.g. the output of: python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'. For local development only, set DEBUG=1 instead, or "
        "DJANGO_SETTINGS_MODULE=config.settings.dev as `make run` does."
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm",
    "django_fsm_log",
    "django_filters",
    "django_htmx",
    "sesame",
    "axes",
    "core",
    "notifications",
    "funds",
    "directory",
    "applications",
    "agreements",
    "pools",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "integrations",
    "api",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads request.POST: an oversized body is refused unread.
    "config.limits.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's stored language wins over the switch's cookie.
    "notifications.language.PersonLanguageMiddleware",
    # ...except on the fund's screens, which stay Dutch or English (config/languages.py).
    "config.locale.FundLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a password sign-in that django-axes refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "applications.context_processors.navigation",
                "notifications.context_processors.inbox",
                "notifications.language.languages",  # the switch names each language in itself
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first: volunteers are addressed in Dutch unless they switch.
LANGUAGE_CODE = "nl"
#: The fund's screens and the contracts: Dutch and English.
FUND_LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
#: Every language of the site: the volunteer's journey, its e-mails and the one-minute check also
#: in Turkish and Arabic, among the languages most spoken at home in Dutch cities.
LANGUAGES = [*FUND_LANGUAGES, ("tr", _("Turkish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
# collectstatic's target, which the reverse proxy serves as /static/ (deploy/nginx/eigenwijs.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Eigenwijs <noreply@eigenwijs.local>")
# Used to build absolute links in notification e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # First: refuses a password sign-in (here and in the admin) while it is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
# Magic sign-in links: valid for 30 minutes, once.
SESAME_MAX_AGE = 30 * 60
SESAME_ONE_TIME = True

# --- Sign-in limits (README: "Sign-in limits") -------------------------------------------------
# Passwords, on the sign-in page and in the admin (django-axes): after 10 wrong passwords for one
# account, or from one client address, password sign-in for that account or from that address
# is refused for 15 minutes after the last counted failure. Ten leaves room for a person's typos
# and caps a guesser at about a thousand tries a day per account, however many addresses they
# use; the address limit stops one address trying a password on many accounts. Tries during the
# pause do not extend it, so it always ends. Sign-in links still work while a password is locked:
# they prove the mailbox, not the password. Unlock earlier with `manage.py axes_reset` (all) or
# `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"  # TRUSTED_PROXY_COUNT decides what counts
AXES_LOCKOUT_CALLABLE = "applications.views.accounts.locked_out"  # a page, in the person's language
# Failed tries are kept only until their cool-off has passed; successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "sesame", "token"]
# Sign-in links (applications/services/accounts.py), counted over the last hour. 5 per e-mail
# address: enough to ask again when a mail is slow or lost, too few to flood someone's mailbox.
# 20 per client address: a community centre or an office behind one address can still sign in a
# group, while a script cannot mail a list of addresses. Past either, the page looks the same but
# no mail goes out.
SIGN_IN_LINKS_PER_ADDRESS = 5
SIGN_IN_LINKS_PER_CLIENT = 20

# Throttles (the API's, sign-in links') count in one place for every worker and every host: the
# database cache, on the application database. `migrate` creates its table
# (core/migrations/0002_cache_table.py); the name is fixed there, so keep it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "eigenwijs_cache",
    }
}

# No inline scripts or styles anywhere: every script and style sheet is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}


# Production hardening: on whenever DEBUG is off, each overridable from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# How many reverse proxies we run in front of gunicorn: only then is X-Forwarded-For read, and only
# the hops they added (core/clientip.py). 0, the default, trusts no header: REMOTE_ADDR counts.
# Behind deploy/nginx/eigenwijs.conf alone it is 1; a load balancer in front of that makes it 2.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Request bodies: a report with a few receipts (each at most 10 MB, agreements/uploads.py) fits;
# a larger Content-Length is answered 413 before it is read (config/limits.py). The proxy's
# client_max_body_size in deploy/nginx/eigenwijs.conf is the same 50 MB (a test compares them).
MAX_REQUEST_BODY_SIZE = int(os.environ.get("MAX_REQUEST_BODY_SIZE", str(50 * 1024 * 1024)))
# Django's defaults, stated: form fields and JSON up to 2.5 MB in memory (larger is a 400), and
# uploaded files over 2.5 MB go to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One-time tokens in request lines and URLs are masked before anything is written
    # (core/logmasking.py; gunicorn's access log: config/gunicorn.py).
    "filters": {"mask_tokens": {"()": "core.logmasking.MaskTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's access log, and Django's request warnings and errors.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_tokens"],
        },
        "django.request": {"filters": ["mask_tokens"]},
        # WeasyPrint reports every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
SIGNING_LINK_MAX_AGE = int(
    os.environ.get("SIGNING_LINK_MAX_AGE", str(14 * 24 * 3600))
)  # personal signing links


# REST API (api/). Bearer keys and tokens for back offices and scripts, the session for the browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.ScopeAllowsWrite",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CredentialRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"credential": os.environ.get("API_RATE_LIMIT", "1200/min")},
    "EXCEPTION_HANDLER": "api.errors.problem_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Eigenwijs API",
    "DESCRIPTION": "Stepwise co-drafting between informal networks and funds: applications, "
    "steps, agreements, support pools, webhooks and exports. Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the name "language": a network's (every language of the site) and an
    # agreement's (the funds' languages).
    "ENUM_NAME_OVERRIDES": {
        "NetworkLanguageEnum": LANGUAGES,
        "FundLanguageEnum": FUND_LANGUAGES,
    },
}

# Background work (webhook delivery) runs from the database: no extra server is needed.
# Start a worker with `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "webhooks"],
    },
    # E-mail (notifications/tasks.py): `python manage.py db_worker --backend mail --queue-name mail`.
    "mail": {
        "BACKEND": os.environ.get("MAIL_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["mail"],
    },
}

# --- Notifications (notifications/mailer.py) ----------------------------------------------------
NOTIFICATION_RETRY_BASE = 60  # seconds; the n-th retry waits BASE × 2^(n-1)
NOTIFICATION_RETRY_MAX_DELAY = 6 * 3600
NOTIFICATION_MAX_ATTEMPTS = 10  # about a day and a half of a mail server that keeps refusing
PLACE_LINK_MAX_AGE = 7 * 24 * 3600  # a message's link signs in for its place this long

# --- Webhooks (integrations/webhooks/conf.py documents each) -----------------------------------
# Delivery runs on the "webhooks" queue: `python manage.py db_worker --queue-name webhooks`, and
# `python manage.py deliver_webhooks --sweep` every few minutes catches anything a crash left.
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "10"))  # seconds
WEBHOOK_RETRY_BASE = 30  # seconds; the n-th retry waits up to BASE × 2^(n-1) (full jitter)
WEBHOOK_RETRY_MAX_DELAY = 6 * 3600  # the longest wait between two attempts
WEBHOOK_RETRY_FOR = int(os.environ.get("WEBHOOK_RETRY_FOR", str(24 * 3600)))  # then given up
WEBHOOK_MAX_RETRY_AFTER = 24 * 3600  # a receiver's Retry-After is honoured up to this
WEBHOOK_SWEEP_GRACE = 120  # the sweep leaves younger events and due deliveries to the worker
WEBHOOK_SECRET_OVERLAP = 24 * 3600  # after a rotation the old secret also signs this long
WEBHOOK_MAX_ENDPOINTS_PER_FUND = 10
# --- end of webhooks -----------------------------------------------------------------------------
