"""Delivery channels, listed explicitly by name (no discovery by scanning).

Each entry maps a channel name to its class, which implements `channels.base.Channel`.
Modules add their own line here as they are written.
"""

from __future__ import annotations

from distributor.channels.bluesky import Bluesky
from distributor.channels.linkedin import LinkedIn
from distributor.channels.mastodon import Mastodon
from distributor.channels.outbox import EmailOutbox
from distributor.channels.smtp import SmtpChannel
from distributor.channels.webhook import Webhook
from distributor.channels.x import X

CHANNELS: dict[str, type] = {}
CHANNELS.update(x=X, mastodon=Mastodon, bluesky=Bluesky, linkedin=LinkedIn, webhook=Webhook)
CHANNELS.update(smtp=SmtpChannel, outbox=EmailOutbox)
