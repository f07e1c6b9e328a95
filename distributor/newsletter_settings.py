"""Settings turned into the plain values the newsletter renderer and email channels take."""

from __future__ import annotations

from distributor.config import Settings
from distributor.errors import UserError
from distributor.render.dkim_signing import DkimKey, dkim_key_parses
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
    key = pem.encode("ascii", errors="replace") + b"\n"
    if not dkim_key_parses(key):
        raise UserError(
            "DISTRIBUTOR_DKIM_PRIVATE_KEY is not a readable RSA private key.",
            "Paste the whole PEM key again (every line between BEGIN and END), "
            "or unset the three DISTRIBUTOR_DKIM_* variables.",
        )
    return DkimKey(domain=settings.dkim_domain, selector=settings.dkim_selector, private_key=key)


def dkim_keys_from_settings(settings: Settings) -> tuple[DkimKey, ...]:
    """The RSA key and, when DISTRIBUTOR_DKIM_ED25519_* are set too, the Ed25519 one."""
    main = dkim_key_from_settings(settings)
    selector, secret = settings.dkim_ed25519_selector, settings.dkim_ed25519_private_key
    if not (selector or secret):
        return (main,) if main else ()
    if main is None or not (selector and secret):
        raise UserError(
            "The Ed25519 DKIM key is only partly configured.",
            "Set DISTRIBUTOR_DKIM_ED25519_SELECTOR and DISTRIBUTOR_DKIM_ED25519_PRIVATE_KEY "
            "together, with the RSA key (DISTRIBUTOR_DKIM_*) beside them.",
        )
    pem = secret.get_secret_value().replace("\\n", "\n").strip()
    if "PRIVATE KEY-----" not in pem:
        raise UserError(
            "DISTRIBUTOR_DKIM_ED25519_PRIVATE_KEY is not a PEM private key.",
            "Make one with `distributor dkim keygen --algorithm ed25519`.",
        )
    second = DkimKey(main.domain, selector, pem.encode("ascii", errors="replace") + b"\n")
    if not dkim_key_parses(second.private_key):
        raise UserError(
            "DISTRIBUTOR_DKIM_ED25519_PRIVATE_KEY is not a readable Ed25519 private key.",
            "Make one with `distributor dkim keygen --algorithm ed25519`.",
        )
    return (main, second)
