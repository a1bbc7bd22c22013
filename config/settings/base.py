"""Settings shared by every environment.

Environment variables (django-environ) override the defaults; see README.md.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("BILGIISLEM_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789"
)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

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
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "bilgiislem.core",
    "bilgiislem.audit",
    "bilgiislem.organization",
    "bilgiislem.registry",
    "bilgiislem.archive",
    "bilgiislem.correspondence",
    "bilgiislem.servicedesk",
    "bilgiislem.assets",
    "bilgiislem.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bilgiislem.core.middleware.TurkishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "bilgiislem.core.middleware.RequestContextMiddleware",
    "bilgiislem.accounts.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organization.Person"

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
                "bilgiislem.accounts.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default: WAL and immediate transactions so that concurrent
# writers queue instead of failing (stack-notes §3). DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bilgiislem.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 5,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first, tuned for a small server (2 cores): ~50 ms per hash instead of the
# library default's memory cost, which is fine for a municipal login rate.
PASSWORD_HASHERS = [
    "bilgiislem.accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock the account *and* the address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor (TOTP). Everyone may enrol; holders of these position kinds must.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="bilgiislem")
BILGIISLEM_2FA_REQUIRED_POSITION_KINDS = env.list(
    "BILGIISLEM_2FA_REQUIRED_POSITION_KINDS", default=[]
)

# Who may read the audit trail; a dotted path because audit may not import organization.
BILGIISLEM_AUDIT_ACCESS = "bilgiislem.organization.permissions.can_view_audit"

# Organisation data file loaded by `manage.py load_organization` (and by `make run`).
BILGIISLEM_ORGANIZATION_FILE = env.str(
    "BILGIISLEM_ORGANIZATION_FILE", default=str(BASE_DIR / "data" / "organization" / "karasu.yaml")
)

LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", "Türkçe"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Istanbul"
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

# Uploaded files (core.storage): size limit in bytes and accepted extensions.
BILGIISLEM_UPLOAD_MAX_BYTES = env.int("BILGIISLEM_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
BILGIISLEM_UPLOAD_EXTENSIONS = env.list(
    "BILGIISLEM_UPLOAD_EXTENSIONS",
    default=[
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
        ".xml",
        ".txt",
        ".eyp",
        ".docx",
        ".xlsx",
        ".odt",
        ".ods",
        ".zip",
    ],
)

# Extra non-working days (idari izin by circular), ISO dates; core.calendar skips them.
BILGIISLEM_EXTRA_HOLIDAYS = env.list("BILGIISLEM_EXTRA_HOLIDAYS", default=[])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "bilgiislem.core.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bilgiislem API",
    "DESCRIPTION": "Bilgi İşlem Müdürlüğü operations system",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The network is closed: Swagger UI is served from the app, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind"; name each choice set after its class, not the field.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "bilgiislem.organization.choices.UnitKind",
        "PositionKindEnum": "bilgiislem.organization.choices.PositionKind",
        "UnitChangeKindEnum": "bilgiislem.organization.choices.UnitChangeKind",
        "RequestStatusEnum": "bilgiislem.organization.choices.RequestStatus",
        "RecipientClassEnum": "bilgiislem.organization.choices.RecipientClass",
        "AnnexKindEnum": "bilgiislem.registry.choices.AnnexKind",
        "CustodyKindEnum": "bilgiislem.registry.choices.CustodyKind",
        "DocumentStatusEnum": "bilgiislem.registry.choices.DocumentStatus",
        "RoutingStatusEnum": "bilgiislem.registry.choices.RoutingStatus",
        "RetrievalKindEnum": "bilgiislem.archive.choices.RetrievalKind",
        "LocationKindEnum": "bilgiislem.archive.choices.LocationKind",
        "DisposalListStateEnum": "bilgiislem.archive.choices.DisposalListState",
        "TicketStateEnum": "bilgiislem.servicedesk.choices.TicketState",
        "CategoryEnum": "bilgiislem.servicedesk.choices.Category",
        "PartnerKindEnum": "bilgiislem.servicedesk.choices.PartnerKind",
        "AssetKindEnum": "bilgiislem.assets.choices.AssetKind",
        "SiteKindEnum": "bilgiislem.assets.choices.SiteKind",
        "NeedKindEnum": "bilgiislem.assets.choices.NeedKind",
        "VifKindEnum": "bilgiislem.assets.choices.VifKind",
    },
}

# Background work (reminders, escalations, sweeps). SQLite storage by default.
HUEY = {
    "huey_class": "huey.SqliteHuey",
    "name": "bilgiislem",
    "filename": str(VAR_DIR / "huey.sqlite3"),
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step, and fontTools each font table it subsets, at INFO.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Document registry (issue 3). Whether registry numbers restart each year is not confirmed
# nationally (standards.md 1.4 [U]): a setting, yearly by default. Numbers are never reused.
BILGIISLEM_REGISTRY_YEARLY = env.bool("BILGIISLEM_REGISTRY_YEARLY", default=True)
BILGIISLEM_EYP_MAX_BYTES = env.int("BILGIISLEM_EYP_MAX_BYTES", default=200 * 1024 * 1024)

# Archive (issue 5): records (archive/services/records.py, fileplan.py).
BILGIISLEM_FILE_PLAN_FILE = env.str(
    "BILGIISLEM_FILE_PLAN_FILE", default=str(BASE_DIR / "data" / "fileplan" / "sdp.yaml")
)
# Tasfiye letters of the plan tables → dispositions (standards.md 3.3 [U] for the meanings).
BILGIISLEM_DISPOSITION_LETTERS = {"A": "transfer", "B": "keep", "C": "evaluate", "D": "destroy"}
# Where a folder's retention counts from: "folder_year" (the year of its last action, the
# folder's year) or "closed_year" (the year it was closed). Not confirmed [U].
BILGIISLEM_RETENTION_START = env.str("BILGIISLEM_RETENTION_START", default="folder_year")
# A done document goes to the unit archive by itself this many days later (RYY art. 13(b)).
BILGIISLEM_ARCHIVE_AFTER_DAYS = env.int("BILGIISLEM_ARCHIVE_AFTER_DAYS", default=30)
# The unit whose archive officer keeps the institutional archive (kurum arşivi).
BILGIISLEM_INSTITUTION_ARCHIVE_UNIT = env.str(
    "BILGIISLEM_INSTITUTION_ARCHIVE_UNIT", default="yazi-isleri"
)
# Fixity (archive/services/fixity.py): every stored file re-hashed at least once in this many
# days, plus a nightly random sample; alerts go to the system's Director and to these
# usernames or e-mail addresses (the usernames also see the fixity page: the sysadmins).
BILGIISLEM_FIXITY_CYCLE_DAYS = env.int("BILGIISLEM_FIXITY_CYCLE_DAYS", default=90)
BILGIISLEM_FIXITY_SAMPLE = env.int("BILGIISLEM_FIXITY_SAMPLE", default=50)
BILGIISLEM_FIXITY_ALERT_TO = env.list("BILGIISLEM_FIXITY_ALERT_TO", default=[])
# Blobs of apps above the archive, checked too ("app_label.Model.field").
BILGIISLEM_FIXITY_REFERENCES = [
    "correspondence.LetterAnnex.sha256",
    "correspondence.SigningPreparation.sha256",
    "correspondence.Dispatch.package_sha256",
    "correspondence.ApprovalStep.signature_sha256",
]

# Official correspondence (issue 4): whether the Chief initials every letter before the
# Director (RYY art. 11 leaves it to the directorate).
BILGIISLEM_CHIEF_PARAF = env.bool("BILGIISLEM_CHIEF_PARAF", default=True)
# Printed in the letter's footer and QR code: where anyone can verify a signed letter.
BILGIISLEM_VERIFY_URL_BASE = env.str(
    "BILGIISLEM_VERIFY_URL_BASE", default="https://ebys.karasu.bel.tr/dogrula"
)
# The server-side signing key (see correspondence/signers.py). The default is the DEMO test
# PKI that `manage.py correspondence_demo_pki` makes: never use it for real letters.
DEMO_PKI_DIR = VAR_DIR / "demo-pki"
BILGIISLEM_SIGNING = {
    "kind": "file",
    "key": str(DEMO_PKI_DIR / "signer.key.pem"),
    "cert": str(DEMO_PKI_DIR / "signer.cert.pem"),
    "chain": [str(DEMO_PKI_DIR / "intermediate.cert.pem")],
}
# PEM files of the roots signatures are verified against (the demo root by default).
BILGIISLEM_TRUST_ROOTS = env.list(
    "BILGIISLEM_TRUST_ROOTS", default=[str(DEMO_PKI_DIR / "root.cert.pem")]
)

# Signature level of server-side signatures: "B-B", "B-T" (needs BILGIISLEM_TSA) or "B-LT"
# (time-stamp plus the chain and CRLs embedded; ADR 0013). CRLs come from files only: the
# system runs on a closed network and fetches nothing at run time.
BILGIISLEM_SIGNING_LEVEL = env.str("BILGIISLEM_SIGNING_LEVEL", default="B-B")
BILGIISLEM_CRL_FILES = env.list("BILGIISLEM_CRL_FILES", default=[])
# Paraf is an "elektronik onay" by default; True makes each paraf a detached CMS signature too.
BILGIISLEM_PARAF_ESIGNATURE = env.bool("BILGIISLEM_PARAF_ESIGNATURE", default=False)
# Waiting approvals: reminded after, escalated to the superior after, this many business days.
BILGIISLEM_APPROVAL_REMIND_DAYS = env.int("BILGIISLEM_APPROVAL_REMIND_DAYS", default=2)
BILGIISLEM_APPROVAL_ESCALATE_DAYS = env.int("BILGIISLEM_APPROVAL_ESCALATE_DAYS", default=4)
# Severity per rule code of the letter rule checker (correspondence/rules.py), e.g.
# {"subject.capitalization": "error"}; rules not named keep their default.
BILGIISLEM_LETTER_RULES: dict[str, str] = {}

# Archive retrieval: a paper original is lent for this many business days (RYY art. 13(c)).
BILGIISLEM_LOAN_DAYS = env.int("BILGIISLEM_LOAN_DAYS", default=10)
# Who else may open a registered document's files than the registry's own visibility allows:
# dotted paths of functions (person, document) -> bool. The archive grants electronic
# retrieval access for a period this way; the registry cannot import the archive (layers).
BILGIISLEM_EXTRA_DOCUMENT_ACCESS = ["bilgiislem.archive.services.loans.has_retrieval_access"]

# Disposal (archive/disposal_access.py): the kinds of post whose holder, in the line above the
# unit keeping the institutional archive, approves disposal lists and appoints the commission
# (the "authorised superior" [U]); lists and minutes are kept this many years (art. 21/7).
BILGIISLEM_DISPOSAL_APPROVER_KINDS = env.list(
    "BILGIISLEM_DISPOSAL_APPROVER_KINDS", default=["mudur", "baskan_yardimcisi", "baskan"]
)
BILGIISLEM_DISPOSAL_KEEP_YEARS = env.int("BILGIISLEM_DISPOSAL_KEEP_YEARS", default=10)

# Service desk public form (issue 6): how long a confirmation link stays valid, how many
# requests one address may send per hour, and the file plan code of a reply letter started
# from a request when the request's letter has none.
BILGIISLEM_SERVICEDESK_CONFIRM_DAYS = env.int("BILGIISLEM_SERVICEDESK_CONFIRM_DAYS", default=7)
BILGIISLEM_SERVICEDESK_PUBLIC_RATE = (  # (requests, seconds) per address
    env.int("BILGIISLEM_SERVICEDESK_PUBLIC_RATE", default=5),
    3600,
)
BILGIISLEM_SERVICEDESK_REPLY_SDP = env.str("BILGIISLEM_SERVICEDESK_REPLY_SDP", default="700.02")
# SLA (servicedesk/services/escalation.py): warn when this share of a target has passed; a
# breach goes to the Chief at once and to the Director this many working minutes later.
BILGIISLEM_SLA_WARN_PERCENT = env.int("BILGIISLEM_SLA_WARN_PERCENT", default=80)
BILGIISLEM_SLA_DIRECTOR_AFTER_MINUTES = env.int(
    "BILGIISLEM_SLA_DIRECTOR_AFTER_MINUTES", default=240
)
# A resolved request the requester neither confirms nor reopens closes after this many days;
# requests of a category no queue names land in this unit's queue.
BILGIISLEM_SERVICEDESK_CLOSE_AFTER_DAYS = env.int(
    "BILGIISLEM_SERVICEDESK_CLOSE_AFTER_DAYS", default=5
)
BILGIISLEM_SERVICEDESK_DEFAULT_QUEUE = env.str(
    "BILGIISLEM_SERVICEDESK_DEFAULT_QUEUE", default="bilgi-islem-teknik-destek"
)

# Outgoing mail (public-form confirmations, notices, fixity alerts): the municipality's relay.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bilgiislem@localhost")
# The service desk's queues, made by `manage.py servicedesk_setup`:
# {unit code: (queue name, [categories])}. None: the three Karasu Bilgi İşlem units.
BILGIISLEM_SERVICEDESK_QUEUES: dict | None = None

# Assets (issue 7): the taşınır kontrol yetkilisi (usernames named by the Director; never the
# person who signs a VİF), how early endings are warned of, and monitored devices.
BILGIISLEM_ASSET_CONTROL_USERNAMES = env.list("BILGIISLEM_ASSET_CONTROL_USERNAMES", default=["sef"])
BILGIISLEM_ASSET_EXPIRY_WARN_DAYS = env.int("BILGIISLEM_ASSET_EXPIRY_WARN_DAYS", default=60)
BILGIISLEM_DEVICE_OFFLINE_MINUTES = env.int("BILGIISLEM_DEVICE_OFFLINE_MINUTES", default=15)
BILGIISLEM_DEVICE_TOKEN_DAYS = env.int("BILGIISLEM_DEVICE_TOKEN_DAYS", default=365)
# Printed on the VİF and the other asset documents (Taşınır Mal Yönetmeliği art. 38): the
# harcama birimi's budget institutional code and the muhasebe birimi (name and code) its
# vouchers go to. [U] Each municipality's own values; empty prints a blank to fill in.
BILGIISLEM_ASSET_SPENDING_UNIT_CODE = env.str("BILGIISLEM_ASSET_SPENDING_UNIT_CODE", default="")
BILGIISLEM_ASSET_ACCOUNTING_UNIT = env.str("BILGIISLEM_ASSET_ACCOUNTING_UNIT", default="")
