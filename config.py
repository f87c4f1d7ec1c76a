"""Configuration classes. The only module that reads the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"Environment variable {name} must be a whole number, got {value!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _env_mapping(name: str, default: dict[str, str]) -> dict[str, str]:
    """`key=value,key=value` (e.g. OIDC_ROLE_MAP); unset or empty gives the default."""
    pairs = _env_list(name)
    if not pairs:
        return dict(default)
    mapping = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip() or not value.strip():
            raise RuntimeError(f"Environment variable {name} must be key=value pairs separated by commas, got {pair!r}")
        mapping[key.strip()] = value.strip()
    return mapping


# Entra ID app roles → tracker roles (OIDC_ROLE_MAP overrides it).
DEFAULT_OIDC_ROLE_MAP = {
    "Tracker.Admin": "admin",
    "Tracker.Ledergruppe": "ledergruppe",
    "Tracker.Tiltaksansvarlig": "tiltaksansvarlig",
    "Tracker.Leser": "leser",
}


# The roles of tracker.accounts.models.ROLES (a test keeps the two the same), so a mistyped role
# in a role list fails at start-up rather than quietly locking everyone out.
KNOWN_ROLES = ("admin", "ledergruppe", "tiltaksansvarlig", "leser")


def _env_roles(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    roles = tuple(role.strip() for role in value.split(",") if role.strip())
    unknown = [role for role in roles if role not in KNOWN_ROLES]
    if unknown:
        raise RuntimeError(
            f"Environment variable {name} names unknown roles {unknown}; known: {', '.join(KNOWN_ROLES)}"
        )
    return roles


class Config:
    """Settings shared by every environment; each can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Seconds a SQLite writer waits for the lock before giving up.
    SQLITE_BUSY_TIMEOUT_S = _env_int("SQLITE_BUSY_TIMEOUT_S", 30)
    DEFAULT_PORTFOLIO_PATH = os.environ.get("DEFAULT_PORTFOLIO_PATH", str(BASE_DIR / "data" / "omstilling-2025.json"))

    # Sessions and log-in
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    SESSION_IDLE_TIMEOUT_MIN = _env_int("SESSION_IDLE_TIMEOUT_MIN", 60)
    SESSION_ABSOLUTE_TIMEOUT_MIN = _env_int("SESSION_ABSOLUTE_TIMEOUT_MIN", 12 * 60)
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 10)
    # Failed log-ins from one client address (any usernames) before that address is locked out.
    LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
    LOGIN_FAILURE_WINDOW_MIN = _env_int("LOGIN_FAILURE_WINDOW_MIN", 15)
    LOGIN_LOCKOUT_MIN = _env_int("LOGIN_LOCKOUT_MIN", 15)
    WTF_CSRF_ENABLED = True
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST_KIB = _env_int("ARGON2_MEMORY_COST_KIB", 65536)
    WTF_CSRF_TIME_LIMIT = _env_int("WTF_CSRF_TIME_LIMIT_S", 8 * 3600)
    HSTS_ENABLED = False
    # Number of reverse proxies in front of the tracker whose X-Forwarded-For/-Proto/-Host are trusted.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
    # Password log-in: "on" (everyone), "admins" (break-glass for admins only) or "off" (SSO only).
    LOCAL_LOGIN = os.environ.get("LOCAL_LOGIN", "on").strip().lower()

    # Single sign-on with Microsoft Entra ID (OpenID Connect); off while OIDC_ISSUER is empty.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    # Tenant ids (the token's `tid`) whose users may sign in.
    OIDC_ALLOWED_TENANTS = _env_list("OIDC_ALLOWED_TENANTS")
    OIDC_ROLE_MAP = _env_mapping("OIDC_ROLE_MAP", DEFAULT_OIDC_ROLE_MAP)
    OIDC_TIMEOUT_S = _env_int("OIDC_TIMEOUT_S", 10)

    # Uploads
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    MAX_XLSX_UNCOMPRESSED_BYTES = _env_int("MAX_XLSX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)

    # Benefits rules
    # A quarterly figure or budget take-out cannot be approved by the user who entered it (SYSTEM may).
    FOUR_EYES_APPROVAL = _env_bool("FOUR_EYES_APPROVAL", True)
    DEVIATION_THRESHOLD_PCT = _env_int("DEVIATION_THRESHOLD_PCT", 10)
    DEVIATION_THRESHOLD_MIN_NOK = _env_int("DEVIATION_THRESHOLD_MIN_NOK", 100_000)
    # Accounting (issue 17): reported vs ledger apart by more than both is a deviation.
    ACCOUNTING_DIFFERENCE_PCT = _env_int("ACCOUNTING_DIFFERENCE_PCT", 25)
    ACCOUNTING_DIFFERENCE_MIN_NOK = _env_int("ACCOUNTING_DIFFERENCE_MIN_NOK", 250_000)

    # Follow-up and reports
    REMINDER_DAYS_BEFORE_DEADLINE = _env_int("REMINDER_DAYS_BEFORE_DEADLINE", 7)
    # Organisational-risk load (measures in change weighted lav 1, middels 2, høy 3, unassessed 2)
    # above which a leader or an affected unit is flagged on the risk view and in the work queue.
    RISK_LOAD_THRESHOLD = _env_int("RISK_LOAD_THRESHOLD", 6)
    REPORT_DUE_DAYS_AFTER_QUARTER = _env_int("REPORT_DUE_DAYS_AFTER_QUARTER", 14)
    # A schedule claim without a heartbeat (or an outbox mail left "sending") this long is retaken.
    REPORT_CLAIM_STALE_MIN = _env_int("REPORT_CLAIM_STALE_MIN", 30)
    # A scheduled build still running after this long is failed ("feilet" in the archive, logged).
    REPORT_BUILD_LIMIT_MIN = _env_int("REPORT_BUILD_LIMIT_MIN", 15)
    # Who may read AMU's reports (pages, downloads, the archive list); comma-separated roles.
    AMU_REPORT_ROLES = _env_roles("AMU_REPORT_ROLES", ("admin", "ledergruppe"))

    # Mail (SMTP)
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_STARTTLS = _env_bool("MAIL_USE_STARTTLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "tracker@localhost")
    MAIL_TIMEOUT_S = _env_int("MAIL_TIMEOUT_S", 30)

    # The signature under the report mails, per audience ("\n" starts a new line).
    REPORT_MAIL_SIGNATURE_POLITIKERE = os.environ.get(
        "REPORT_MAIL_SIGNATURE_POLITIKERE", "Med vennlig hilsen\nKommunedirektøren"
    ).replace("\\n", "\n")
    REPORT_MAIL_SIGNATURE_AMU = os.environ.get(
        "REPORT_MAIL_SIGNATURE_AMU", "Med vennlig hilsen\nKommunedirektøren, sekretær for AMU"
    ).replace("\\n", "\n")
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000")


class DevelopmentConfig(Config):
    """The embedded default: a local SQLite file and a generated secret key."""

    DEBUG = False


class TestingConfig(Config):
    """Used by the test suite; the database comes from TEST_DATABASE_URL or a temporary file."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    # Cheaper Argon2id so the suite stays fast; still the same algorithm and code path.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST_KIB = 1024
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Tests that need single sign-on point these at the local OpenID provider themselves.
    LOCAL_LOGIN = "on"
    OIDC_ISSUER = ""
    OIDC_ALLOWED_TENANTS: list[str] = []
    OIDC_ROLE_MAP = dict(DEFAULT_OIDC_ROLE_MAP)


class ProductionConfig(Config):
    """Production: requires SECRET_KEY and DATABASE_URL, secure cookies and HSTS."""

    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    HSTS_ENABLED = True

    # Sessions and CSRF tokens are signed with SECRET_KEY: a short one can be guessed offline.
    MIN_SECRET_KEY_BYTES = 32

    @classmethod
    def check(cls) -> None:
        """Refuse to start without a real secret key (at least 32 bytes) and database URL."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError("Production configuration needs the environment variables: " + ", ".join(missing))
        if len(os.environ["SECRET_KEY"].encode("utf-8")) < cls.MIN_SECRET_KEY_BYTES:
            raise RuntimeError(
                f"SECRET_KEY must be at least {cls.MIN_SECRET_KEY_BYTES} bytes in production; "
                'make one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by TRACKER_ENV (development by default)."""
    name = os.environ.get("TRACKER_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"TRACKER_ENV must be one of {sorted(CONFIGS)}, got {name!r}")
    return CONFIGS[name]
