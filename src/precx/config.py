"""Settings from the environment (PRECX_*): the only place that reads it."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from precx.kit.files import DEFAULT_ATTACHMENT_MAX_BYTES

DEFAULT_DATABASE_URL = "sqlite:///./var/precx.db"


class Settings(BaseSettings):
    """Every setting of a precx process; each is documented in docs/operating.md."""

    model_config = SettingsConfigDict(env_prefix="PRECX_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the database: sqlite:///path (embedded default) or "
        "postgresql+psycopg://user@host/db (production).",
    )
    host: str = Field("127.0.0.1", description="Address `precx serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `precx serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="Worker processes for `precx serve`.")
    demo: bool = Field(
        True,
        description="Demo mode: `make run` loads fictional demo data into a new database and the "
        "login page lists the demo accounts. Switch off in production.",
    )
    cookie_secure: bool = Field(
        False,
        description="Mark session cookies Secure (HTTPS only). Switch on behind TLS.",
    )
    session_hours: int = Field(
        12, ge=1, le=24 * 30, description="Lifetime of a web session since its last use, in hours."
    )
    token_days: int = Field(
        90, ge=1, le=3650, description="Default lifetime of a new API token, in days."
    )
    login_max_failures: int = Field(
        5, ge=1, le=100, description="Failed logins for one account or address before lock-out."
    )
    login_lockout_minutes: int = Field(
        15, ge=1, le=24 * 60, description="How long a lock-out after failed logins lasts."
    )
    invite_days: int = Field(7, ge=1, le=60, description="How long an invitation link is valid.")
    dispatcher_enabled: bool = Field(
        True, description="Run the outbox dispatcher inside the app process."
    )
    dispatcher_poll_seconds: float = Field(
        1.0,
        gt=0,
        le=3600,
        description="Outbox polling interval; on PostgreSQL LISTEN/NOTIFY wakes it sooner.",
    )
    default_locale: str = Field("en", description="Language of the web pages until a user chooses.")
    log_level: str = Field("info", description="Log level of the server (debug, info, warning).")
    verify_rate_per_minute: int = Field(
        60,
        ge=1,
        le=100_000,
        description="Licence verifications one organisation may make per minute (API, web and "
        "CLI together); beyond it the answer is 429.",
    )
    map_tile_url: str = Field(
        "",
        max_length=500,
        description="Tile URL template of a map tile server for the incident map, e.g. "
        "https://tiles.example.org/{z}/{x}/{y}.png. Empty (default): the map draws country "
        "outlines from shipped data and loads nothing from outside.",
    )
    pen_reply_days: int = Field(
        15,
        ge=1,
        le=90,
        description="Default reply period of a pre-export notification in days, for importing "
        "countries that set none of their own.",
    )
    pen_sweep_seconds: float = Field(
        300.0,
        gt=0,
        le=86_400,
        description="How often the app checks notification reply deadlines (reminders, "
        "no response); `precx notifications sweep` does the same once.",
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are trusted (`*` trusts all). Behind a load balancer, set it "
        "to the balancer's address so lock-out counts the real client address.",
    )

    attachment_max_bytes: int = Field(
        DEFAULT_ATTACHMENT_MAX_BYTES,
        ge=1024,
        le=200 * 2**20,
        description=(
            "Largest file that may be attached to a report or an incident, in bytes "
            "(default 10 MB)."
        ),
    )
    report_ack_working_days: int = Field(
        2,
        ge=1,
        le=60,
        description="Working days (Monday to Friday) within which an authority should acknowledge "
        "a report, unless the authority's own routing settings say otherwise.",
    )
    public_url: str = Field(
        "",
        description="The address users reach this platform at (e.g. https://precx.example.org); "
        "webhook URLs pointing at it are refused.",
    )
    event_retry_base_seconds: float = Field(
        5.0, gt=0, le=3600, description="First wait before an outbox event that failed is retried."
    )
    event_retry_max_seconds: float = Field(
        900.0,
        gt=0,
        le=86400,
        description="Longest wait between retries of a failing outbox event (backoff doubles).",
    )
    webhook_retry_base_seconds: float = Field(
        10.0,
        gt=0,
        le=86400,
        description="First wait before a failed webhook call or e-mail is retried; it doubles.",
    )
    webhook_max_attempts: int = Field(
        8,
        ge=1,
        le=100,
        description="Attempts at a webhook call or e-mail before it goes to the dead-letter list.",
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="How long a webhook receiver has to answer."
    )
    sse_heartbeat_seconds: float = Field(
        15.0, gt=0, le=300, description="Interval of keep-alive comments on idle event streams."
    )
    sse_buffer_events: int = Field(
        256,
        ge=1,
        le=100_000,
        description="Events held for one stream client; a client that falls this far behind is "
        "disconnected (it resumes with Last-Event-ID).",
    )
    sse_send_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=300,
        description="How long a write to a stream client may block before it is disconnected.",
    )
    sse_max_connection_seconds: float = Field(
        600.0,
        gt=0,
        le=86400,
        description="An event stream ends after this long; the browser reconnects with "
        "Last-Event-ID (caps memory and lets shutdown finish).",
    )
    smtp_host: str = Field("", description="SMTP server for e-mail delivery; empty: no e-mail.")
    smtp_port: int = Field(25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str = Field("", description="SMTP login name (empty: no login).")
    smtp_password: str = Field("", description="SMTP password.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_from: str = Field(
        "precx@localhost", description="Sender address of e-mails the platform sends."
    )

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
