"""Settings turned into the plain values the newsletter renderer and email channels take."""

from __future__ import annotations

from distributor.config import Settings
from distributor.errors import UserError
from distributor.render.dkim_signing import DkimKey
from distributor.render.newsletter import PracticeInfo


def practice_from_settings(settings: Settings) -> PracticeInfo:
    """The practice as the newsletter shows it, from DISTRIBUTOR_PRACTICE_* and friends."""
    return PracticeInfo(
        name=settings.practice_name,
        from_email=settings.sender_email,
        address=settings.practice_address,
        logo=settings.practice_logo,
        reply_to=settings.reply_to,
        site_url=settings.site_url,
        public_url=settings.public_url,
        note=settings.newsletter_note,
    )


def dkim_key_from_settings(settings: Settings) -> DkimKey | None:
    """The DKIM key when domain, selector and private key are all set; None when none is."""
    values = (settings.dkim_domain, settings.dkim_selector, settings.dkim_private_key)
    if not any(values):
        return None
    if not all(values):
        raise UserError(
            "DKIM is only partly configured.",
            "Set DISTRIBUTOR_DKIM_DOMAIN, DISTRIBUTOR_DKIM_SELECTOR and "
            "DISTRIBUTOR_DKIM_PRIVATE_KEY together, or none of them.",
        )
    assert settings.dkim_domain and settings.dkim_selector and settings.dkim_private_key
    pem = settings.dkim_private_key.get_secret_value().replace("\\n", "\n").strip()
    if "PRIVATE KEY-----" not in pem:
        raise UserError(
            "DISTRIBUTOR_DKIM_PRIVATE_KEY is not a PEM private key.",
            "Paste the whole key, from -----BEGIN ... PRIVATE KEY----- to the END line.",
        )
    return DkimKey(
        domain=settings.dkim_domain,
        selector=settings.dkim_selector,
        private_key=pem.encode("ascii") + b"\n",
    )
