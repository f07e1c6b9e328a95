"""Delivery channels, listed explicitly by name (no discovery by scanning).

Each entry maps a channel name to its class, which implements `channels.base.Channel`.
Modules add their own line here as they are written.
"""

from __future__ import annotations

CHANNELS: dict[str, type] = {}
