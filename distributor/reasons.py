"""A provider's error made fit to store: one short line, with anything token-like masked (pure).

Error bodies of social APIs and SMTP servers end up in `deliveries.error`, the admin pages and
logs; some echo the request, with its bearer token or signature. Keep the reason, not the body.
"""

from __future__ import annotations

import re

MAX_REASON_CHARS = 300
MASK = "[masked]"
# "Bearer abc…" / "Basic abc…"
_SCHEME_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}")
# token=abc, "access_token": "abc", password: abc, Authorization: xyz, …
_NAMED_SECRET = re.compile(
    r"(?i)(\b(?:access_?token|refresh_?token|api_?key|client_?secret|secret|password|passwd|"
    r"token|signature|authorization|jwt|app_?password)[\"']?\s*[:=]\s*[\"']?)"
    r"(?!\[masked\])[^\s\"',;&}]{4,}"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*)?")
_WEBHOOK_SECRET = re.compile(r"\bwhsec_[A-Za-z0-9+/=]{6,}")
_OPAQUE = re.compile(r"[A-Za-z0-9_\-+=]{24,}")  # long keys, signatures, hashes (with digits)


def short_reason(text: str | None, limit: int = MAX_REASON_CHARS) -> str | None:
    """`text` on one line, secrets masked, cut to `limit` characters (None stays None)."""
    if text is None:
        return None
    line = " ".join(text.split())
    line = _SCHEME_CREDENTIAL.sub(lambda m: f"{m.group(1)} {MASK}", line)
    line = _NAMED_SECRET.sub(lambda m: f"{m.group(1)}{MASK}", line)
    line = _JWT.sub(MASK, line)
    line = _WEBHOOK_SECRET.sub(MASK, line)
    line = _OPAQUE.sub(_mask_opaque, line)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _mask_opaque(match: re.Match[str]) -> str:
    value = match.group(0)
    has_digit = any(ch.isdigit() for ch in value)
    has_letter = any(ch.isalpha() for ch in value)
    return MASK if has_digit and has_letter else value
