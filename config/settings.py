"""Sikumi settings: every value comes from the environment, with safe defaults for the
embedded setup (SQLite, one process, no other service)."""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP

from config.env import envbool, envint, envjson, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("SIKUMI_DATA_DIR", str(BASE_DIR / "var")))
# The database, uploads (NIK, phone numbers), backups and the secret key: owner only.
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
# (A folder another user owns is left as its owner set it.)
with contextlib.suppress(PermissionError):
    DATA_DIR.chmod(0o700)


def _private_file(path: Path) -> None:
    """Create `path` empty, readable by the owner only, unless it exists (then restrict it)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        with contextlib.suppress(PermissionError):
            path.chmod(0o600)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR.

    Never in the repository; a generated key survives restarts so sessions stay valid.
    """
    key = envstr("SIKUMI_SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists() or not path.read_text().strip():
        _private_file(path)
        path.write_text(get_random_secret_key())
    path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("SIKUMI_DEBUG", False)
ALLOWED_HOSTS = envlist("SIKUMI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("SIKUMI_CSRF_TRUSTED_ORIGINS", "")

# The instance serves one kab/kota (Kemendagri code); Depok by default.
SIKUMI_REGION_CODE = envstr("SIKUMI_REGION_CODE", "32.76")
# Capaian predicate bands, highest first: [[minimum %, label], ...]; the last minimum is null.
SIKUMI_PREDICATE_BANDS = [
    (band[0], band[1])
    for band in envjson(
        "SIKUMI_PREDICATE_BANDS",
        [
            [91, "Sangat Tinggi"],
            [76, "Tinggi"],
            [66, "Sedang"],
            [51, "Rendah"],
            [None, "Sangat Rendah"],
        ],
    )
]
SIKUMI_INSTANCE_NAME = envstr("SIKUMI_INSTANCE_NAME", "Dinas Koperasi dan Usaha Mikro Kota Depok")

# Official outputs (E.81, LKjIP, health result, service receipt): the letterhead (kop surat)
# and the place of signing. Empty lines are left out; the logo is a PNG/JPEG/SVG file.
SIKUMI_LETTERHEAD_GOVERNMENT = envstr("SIKUMI_LETTERHEAD_GOVERNMENT", "PEMERINTAH KOTA DEPOK")
SIKUMI_LETTERHEAD_OFFICE = envstr("SIKUMI_LETTERHEAD_OFFICE", "DINAS KOPERASI DAN USAHA MIKRO")
SIKUMI_LETTERHEAD_CITY = envstr("SIKUMI_LETTERHEAD_CITY", "KOTA DEPOK")
SIKUMI_LETTERHEAD_ADDRESS = envstr(
    "SIKUMI_LETTERHEAD_ADDRESS",
    "Gedung Dibaleka II Lantai 5, Jl. Margonda Raya No. 54, Depok 16431",
)
SIKUMI_LETTERHEAD_PHONE = envstr("SIKUMI_LETTERHEAD_PHONE", "")
SIKUMI_LETTERHEAD_EMAIL = envstr("SIKUMI_LETTERHEAD_EMAIL", "")
SIKUMI_LETTERHEAD_WEBSITE = envstr("SIKUMI_LETTERHEAD_WEBSITE", "www.depok.go.id")
SIKUMI_LETTERHEAD_LOGO = envstr(
    "SIKUMI_LETTERHEAD_LOGO", str(BASE_DIR / "static" / "sikumi" / "letterhead-logo.png")
)
SIKUMI_SIGNATURE_PLACE = envstr("SIKUMI_SIGNATURE_PLACE", "Depok")
# Paper of printed outputs: XLSX page setup of the wide exports and the official PDFs
# (A4 or F4, i.e. Folio 8,5 x 13 in).
SIKUMI_PAPER_SIZE = envstr("SIKUMI_PAPER_SIZE", "A4").upper()
# PDFs: cached by content (sikumi.core.pdf), at most this many files kept; WeasyPrint loaded
# when a web worker starts instead of on its first PDF.
SIKUMI_PDF_CACHE = envbool("SIKUMI_PDF_CACHE", True)
SIKUMI_PDF_CACHE_DIR = Path(envstr("SIKUMI_PDF_CACHE_DIR", str(DATA_DIR / "cache" / "pdf")))
SIKUMI_PDF_CACHE_FILES = envint("SIKUMI_PDF_CACHE_FILES", 500)
SIKUMI_PDF_WARM_UP = envbool("SIKUMI_PDF_WARM_UP", True)
# A report page starts rendering its PDF in the background, for the download that follows.
SIKUMI_PDF_PREPARE = envbool("SIKUMI_PDF_PREPARE", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "sikumi.core",
    "sikumi.accounts",
    "sikumi.audit",
    "sikumi.regions",
    "sikumi.documents",
    "sikumi.imports",
    "sikumi.plans",
    "sikumi.monev",
    "sikumi.cooperatives",
    "sikumi.supervision",
    "sikumi.enterprises",
    "sikumi.activities",
    "sikumi.indicators",
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
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sikumi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "sikumi.audit.middleware.AuditContextMiddleware",
    "sikumi.core.errors.ThrottleMiddleware",
    "sikumi.core.middleware.TaskLimitMiddleware",
    "sikumi.core.middleware.QueryNullMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "sikumi.core.context_processors.sikumi",
            ],
        },
    },
]

# Database: SQLite (WAL, IMMEDIATE transactions) by default; DATABASE_URL for PostgreSQL.
_database_url = envstr("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    _sqlite_path = Path(envstr("SIKUMI_SQLITE_PATH", str(DATA_DIR / "sikumi.sqlite3")))
    if _sqlite_path.parent.is_dir():
        # SQLite gives its -wal and -shm files the database file's mode.
        _private_file(_sqlite_path)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; "
                    "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login path while a username or an address is throttled.
    "sikumi.accounts.throttle.ThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: this many failures per username or per address within the window lock
# further attempts until the window has passed.
SIKUMI_LOGIN_MAX_FAILURES = envint("SIKUMI_LOGIN_MAX_FAILURES", 5)
SIKUMI_LOGIN_WINDOW_SECONDS = envint("SIKUMI_LOGIN_WINDOW_SECONDS", 900)

# Searches by a full NIK or phone number (a personal-data access): this many per user within
# the window, then HTTP 429 until it has passed.
SIKUMI_PERSONAL_SEARCH_MAX = envint("SIKUMI_PERSONAL_SEARCH_MAX", 30)
SIKUMI_PERSONAL_SEARCH_WINDOW_SECONDS = envint("SIKUMI_PERSONAL_SEARCH_WINDOW_SECONDS", 3600)

# "Tugas saya": a certificate (competence, product legality) becomes work this many days before
# it expires.
SIKUMI_INBOX_EXPIRY_DAYS = envint("SIKUMI_INBOX_EXPIRY_DAYS", 60)
# The menu badge of "Tugas saya" is recounted at most this often per user (a change to a counted
# record recounts it at once in the process that made it).
SIKUMI_INBOX_BADGE_SECONDS = envint("SIKUMI_INBOX_BADGE_SECONDS", 60)

# i18n: Bahasa Indonesia by default, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# django-filter's empty choice ("---------" by default): a list filter left empty shows all.
FILTERS_EMPTY_CHOICE_LABEL = "Semua"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = envstr("SIKUMI_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Grouping is applied where a number is shown (template filters angka, rupiah, persen), never
# implicitly: a year must stay "2026" and a hidden form value must stay parseable.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("SIKUMI_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SIKUMI_MAX_UPLOAD_MB = envint("SIKUMI_MAX_UPLOAD_MB", 200)
# What one import file may hold (sikumi.imports.reader.Limits).
SIKUMI_IMPORT_MAX_ROWS = envint("SIKUMI_IMPORT_MAX_ROWS", 1_100_000)
SIKUMI_IMPORT_MAX_COLUMNS = envint("SIKUMI_IMPORT_MAX_COLUMNS", 200)
SIKUMI_IMPORT_MAX_SHEET_MB = envint("SIKUMI_IMPORT_MAX_SHEET_MB", 2048)
SIKUMI_IMPORT_MAX_SHARED_STRINGS = envint("SIKUMI_IMPORT_MAX_SHARED_STRINGS", 2_000_000)
SIKUMI_IMPORT_READER_MEMORY_MB = envint("SIKUMI_IMPORT_READER_MEMORY_MB", 1536)
# Uploads carry personal data: readable by the app's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Backups (`manage.py backup`) are encrypted with this Fernet key when it is set.
SIKUMI_BACKUP_KEY = envstr("SIKUMI_BACKUP_KEY", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sikumi",
    }
}

# Background tasks: django.tasks with the database backend; `make run` starts SIKUMI_WORKERS
# worker processes under `manage.py run_workers`, which restarts any that dies. One user may
# have at most SIKUMI_TASKS_PER_USER imports/reports waiting or running (0: no limit).
SIKUMI_WORKERS = max(1, envint("SIKUMI_WORKERS", 2))
SIKUMI_TASKS_PER_USER = envint("SIKUMI_TASKS_PER_USER", 3)
TASKS = {
    "default": {
        "BACKEND": envstr("SIKUMI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security: strict CSP (no inline script or style), CSRF everywhere, secure cookies outside debug.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_secure_cookies = envbool("SIKUMI_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SIKUMI_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SIKUMI_HSTS_SECONDS", 0)
SESSION_COOKIE_AGE = envint("SIKUMI_SESSION_SECONDS", 8 * 3600)

REST_FRAMEWORK = {
    # Token first: DRF answers a missing or invalid token with 401 and a WWW-Authenticate
    # header only when the first class names a scheme (the session has none: it gave 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens are stored hashed (sikumi.accounts.models.ApiToken).
        "sikumi.accounts.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "sikumi.accounts.api_permissions.SikumiPermission",
        # PUT/PATCH of a versioned record must carry the version the client read.
        "sikumi.core.api_permissions.VersionRequired",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sikumi.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sikumi API",
    "DESCRIPTION": "API Sistem Informasi Koperasi dan Usaha Mikro",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation describe every endpoint: for users with a role only.
    "SERVE_PERMISSIONS": ["sikumi.accounts.api_permissions.SikumiPermission"],
    "SERVE_AUTHENTICATION": [
        "sikumi.accounts.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("SIKUMI_LOG_LEVEL", "WARNING")},
}
