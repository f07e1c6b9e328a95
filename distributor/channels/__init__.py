"""Delivery channels, listed explicitly by name (no discovery by scanning): the one registry.

Each entry maps a channel name to its class, which implements `channels.base.Channel` and
describes itself (`channels.base.Described`): what it carries, its snippet rules and the
settings it needs. Email is one campaign channel ("email") served by one of the email
classes (SMTP, or the local outbox); every social class is a campaign channel of its own.
Adding a channel is one module and one line here.
"""

from __future__ import annotations

from distributor.channels.base import Described
from distributor.channels.bluesky import Bluesky
from distributor.channels.linkedin import LinkedIn
from distributor.channels.mastodon import Mastodon
from distributor.channels.outbox import EmailOutbox
from distributor.channels.smtp import SmtpChannel
from distributor.channels.webhook import Webhook
from distributor.channels.x import X

CHANNELS: dict[str, type[Described]] = {}
CHANNELS.update(x=X, mastodon=Mastodon, bluesky=Bluesky, linkedin=LinkedIn, webhook=Webhook)
CHANNELS.update(smtp=SmtpChannel, outbox=EmailOutbox)

EMAIL = "email"  # the campaign channel every email class serves


def social_channel_names() -> list[str]:
    """The registered social channels, in registry order."""
    return [name for name, cls in CHANNELS.items() if cls.carries == "social"]


def campaign_channel_names() -> list[str]:
    """Every name a campaign may list: "email" and each social channel."""
    return [EMAIL, *social_channel_names()]


def email_channel_names() -> list[str]:
    """The registered email classes (what DISTRIBUTOR_EMAIL_CHANNEL may choose)."""
    return [name for name, cls in CHANNELS.items() if cls.carries == "email"]
