"""Settings: the only place that reads the environment (variables named DISTRIBUTOR_*)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable, read once at an entry point and passed down."""

    model_config = SettingsConfigDict(env_prefix="DISTRIBUTOR_", extra="ignore")

    # Where things live
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: sqlite file in data_dir
    broker_url: str | None = None  # Redis URL; None runs everything in-process

    # The practice (sender) and its site
    site_url: str = "http://localhost:8000"  # public site of the blog, for links without a URL
    public_url: str = "http://localhost:8000"  # where this service's web app is reachable
    practice_name: str = "Distributor demo practice"
    practice_address: str = ""
    practice_logo: str | None = None
    newsletter_note: str = ""  # e.g. "General advice, not a diagnosis."
    templates_dir: Path | None = None  # own newsletter templates instead of templates/
    default_language: str = "nl"
    secret_key: SecretStr | None = None

    # Sources and imports
    max_new_posts_per_poll: int = 5  # more new posts than this in one poll become baseline
    import_max_bytes: int = 100_000_000  # largest subscriber CSV `subscribers import` reads

    # Email
    email_channel: Literal["outbox", "smtp"] = "outbox"
    from_email: str = "newsletter@localhost"
    reply_to: str | None = None
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_allow_plaintext_auth: bool = False  # log in without TLS (a relay on loopback only)
    dkim_domain: str | None = None
    dkim_selector: str | None = None
    dkim_private_key: SecretStr | None = None  # PEM text
    dkim_ed25519_selector: str | None = None  # an optional second signature (RFC 8463)
    dkim_ed25519_private_key: SecretStr | None = None  # PEM text (`distributor dkim keygen`)

    # Bounces, complaints and statistics
    bounce_address: str | None = None  # bounces@example.be: VERP return path bounces+<token>@
    bounce_imap_url: SecretStr | None = None  # imaps://user:password@host/INBOX?processed=Done
    track_opens: bool = False  # aggregate open counts only (Apple proxy opens apart)
    track_clicks: bool = True  # links go through {public_url}/r/{token} and are counted

    # Social
    social_channel: Literal["outbox", "live"] = "outbox"
    x_consumer_key: SecretStr | None = None
    x_consumer_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_token_secret: SecretStr | None = None
    x_api_url: str = "https://api.twitter.com"
    mastodon_url: str | None = None
    mastodon_token: SecretStr | None = None
    mastodon_max_chars: int = 500
    bluesky_url: str = "https://bsky.social"
    bluesky_handle: str | None = None
    bluesky_app_password: SecretStr | None = None
    linkedin_url: str = "https://api.linkedin.com"
    linkedin_token: SecretStr | None = None
    linkedin_author: str | None = None  # urn:li:person:… or urn:li:organization:…
    linkedin_version: str = "202510"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None  # whsec_<base64>

    # Optional AI summary: an OpenAI-compatible chat-completions endpoint (off when no URL/model)
    summary_api_url: str | None = None  # e.g. http://localhost:11434/v1/chat/completions
    summary_api_key: SecretStr | None = None
    summary_model: str | None = None
    summary_api_timeout_s: float = 30.0  # the whole exchange; the extractive summary on expiry

    # Delivery: campaigns, workers, retries, rate limits (see pipeline/ and tasks.py)
    send_slot: str = ""  # weekly slot such as "Tuesday 08:00 Europe/Brussels"; empty: at once
    weekly_slot: str = "Monday 08:00 Europe/Brussels"  # when the weekly digest goes out
    campaign_channels: str | None = None  # "email,mastodon"; default: email + configured social
    send_batch_size: int = 200
    lease_s: float = 300.0  # a claimed row returns to pending after this (worker died)
    record_every: int = 10  # outcomes recorded per commit (1: fewest re-sends after a crash)
    tick_s: float = 60.0  # dispatch interval of beat and the embedded runner
    retry_base_s: float = 30.0
    retry_max_attempts: int = 8
    pause_after_failures: int = 25
    rate_limits: dict[str, str] = {"x": "17/d"}  # per channel, e.g. {"email": "50/s"}
    redis_prefix: str = "distributor:"

    # Sign-up on the web (pipeline/signup.py, web/signup.py)
    welcome_email: bool = True  # a welcome email after confirmation
    consent_text_nl: str | None = None  # the practice's own consent text; default per language
    consent_text_en: str | None = None
    consent_text_fr: str | None = None
    signup_rate_per_ip: str = "20/h"  # sign-up and resend requests per client address
    signup_min_fill_s: float = 2.0  # a form sent sooner after it was shown is a bot's

    @property
    def outbox_dir(self) -> Path:
        """Folder of the local outbox (emails as .eml, social requests as .json)."""
        return self.data_dir / "outbox"

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'distributor.db').resolve()}"
