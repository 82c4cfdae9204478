"""Yuntu settings: one module, driven by the environment (production differs only by variables)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="yuntu-insecure-demo-key-change-me-in-production-0123456789")
# Key for personal data at rest (ID numbers, mobiles); a Fernet key or any long secret.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default=SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "treebeard",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "yuntu.core",
    "yuntu.accounts",
    "yuntu.orgs",
    "yuntu.ledger",
    "yuntu.voices",
    "yuntu.indicators",
    "yuntu.security",
    "yuntu.operations",
    "yuntu.dashboard",
    "yuntu.briefings",
    "yuntu.campaigns",
    "yuntu.grassroots",
    "yuntu.venues",
    "yuntu.lectures",
    "yuntu.claims",
    "yuntu.inbox",
    "yuntu.portal",
    "yuntu.publicity",
    "yuntu.orglife",
    "yuntu.assessment",
    "yuntu.api",
    "yuntu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yuntu.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yuntu.security.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "yuntu.security.middleware.PasswordExpiryMiddleware",
    "yuntu.security.middleware.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "yuntu.security.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yuntu.accounts.backends.MobileOrUsernameBackend",
    "yuntu.portal.backends.MobileCodeBackend",
]

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
                "yuntu.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'yuntu.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yuntu.security.passwords.ComplexityValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "yuntu.security.passwords.PasswordAgeRecorder"},
]
# Staff passwords expire (0 turns expiry off); see docs/security.md for the 等保 mapping.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "var" / "vendor"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Uploads on local disk (MEDIA_ROOT) or, with MEDIA_STORAGE=s3, on S3-compatible storage (MinIO, OSS, COS…)
# through django-storages, configured by the AWS_* variables below. One setting switches them.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"} if MEDIA_STORAGE == "local" else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default="yuntu-media"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    },
    # Production: STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage (docs/deploy.md).
    "staticfiles": {"BACKEND": env("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orgs:tree"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)  # idle sessions end after 30 minutes
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
CSRF_COOKIE_HTTPONLY = env.bool("CSRF_COOKIE_HTTPONLY", default=False)

# Transport and headers. Behind nginx with TLS set SECURE_SSL_REDIRECT, the cookie flags and HSTS
# (deploy/yuntu.env.example); the plain-HTTP demo and tests keep them off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)"
# No 'unsafe-inline' anywhere: scripts and styles come from our own static files only
# (yuntu/security/tests/test_templates.py keeps templates free of inline code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
OTP_TOTP_ISSUER = "云图 Yuntu"
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=False)

# Failed logins: lock the username+address pair after five failures for fifteen minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed sign-in is kept (8.1.4.3 a), not only the counter

TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# A RUNNING task whose worker's heartbeat is older than this is re-queued (yuntu/operations/recovery.py).
TASK_WORKER_LOST_AFTER = env.int("TASK_WORKER_LOST_AFTER", default=60)
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)

REST_FRAMEWORK = {
    # Token first: a request without credentials is then answered 401 (WWW-Authenticate: Token), not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "yuntu.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["yuntu.api.renderers.UnicodeJSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "EXCEPTION_HANDLER": "yuntu.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "云图 Yuntu API",
    "DESCRIPTION": "党建引领基层治理平台接口 / Yuntu REST API。错误一律为 JSON：{code, message（中文）, fields?}。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" with different choices; name each enum after its choice class.
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "yuntu.orgs.models.MemberStatus",
        "ProblemStatusEnum": "yuntu.ledger.workflow.ProblemStatus",
        "MeasureStatusEnum": "yuntu.ledger.workflow.MeasureStatus",
        "ContactKindEnum": "yuntu.grassroots.workflow.ContactKind",
        "OrgKindEnum": "yuntu.orgs.models.Kind",
        "MeetingKindEnum": "yuntu.orglife.workflow.MeetingKind",
        "MeetingStatusEnum": "yuntu.orglife.workflow.MeetingStatus",
        "AttendanceStatusEnum": "yuntu.orglife.workflow.AttendanceStatus",
        "AlertStatusEnum": "yuntu.assessment.workflow.AlertStatus",
        "ProblemCategoryEnum": "yuntu.ledger.models.Category",
        "NeedKindEnum": "yuntu.claims.models.NeedKind",
        "NeedCategoryEnum": "yuntu.claims.models.NeedCategory",
        "NeedStatusEnum": "yuntu.claims.workflow.NeedStatus",
        "ClaimStatusEnum": "yuntu.claims.workflow.ClaimStatus",
        "ReportKindEnum": "yuntu.claims.models.ReportKind",
        "ServiceKindEnum": "yuntu.claims.models.ServiceKind",
    },
    "TAGS": [
        {"name": "auth", "description": "登录令牌"},
        {"name": "me", "description": "当前用户"},
        {"name": "orgs", "description": "党组织"},
        {"name": "members", "description": "党员（个人信息仅脱敏显示）"},
        {"name": "ledger", "description": "整改台账"},
    ],
    # Swagger UI is served from our own static files (npm's swagger-ui-dist, copied by the build to
    # var/vendor/swagger-ui/, which STATICFILES_DIRS serves under STATIC_URL) — never from a CDN.
    "SWAGGER_UI_DIST": STATIC_URL + "swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "swagger-ui/favicon-32x32.png",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Venues: the 15-minute circle (walking speed, detour over the straight line) and the map's tiles.
# No tile URL = offline: the map shows venues, the circle and org outlines on a plain background.
# VENUES_TILE_CRS: "gcj02" for domestic tiles (AutoNavi, Tencent), "wgs84" for OpenStreetMap-style tiles.
VENUES_CIRCLE_MINUTES = env.int("VENUES_CIRCLE_MINUTES", default=15)
VENUES_WALKING_METRES_PER_MINUTE = env.float("VENUES_WALKING_METRES_PER_MINUTE", default=75.0)
VENUES_DETOUR_FACTOR = env.float("VENUES_DETOUR_FACTOR", default=1.3)
VENUES_TILE_URL = env("VENUES_TILE_URL", default="")
VENUES_TILE_CRS = env("VENUES_TILE_CRS", default="gcj02")
VENUES_TILE_ATTRIBUTION = env("VENUES_TILE_ATTRIBUTION", default="")
