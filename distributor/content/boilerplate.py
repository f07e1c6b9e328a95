"""Recognising lines that are not the article: meta lines, site chrome, references, captions."""

from __future__ import annotations

import re
from datetime import datetime

from distributor.content.blocks import Block, word_set, words
from distributor.content.dates import parse_date_line
from distributor.content.reading_time import declared_minutes

_I = re.IGNORECASE
BACK_TO_BLOG = re.compile(
    r"^(?:[←«<‹]\s*)?(?:terug naar|ga terug|back to|go back|retour (?:au|à la|aux|à l')|"
    r"revenir (?:au|aux)|zurück zu)\b|^(?:vorig|volgend)e? (?:artikel|bericht|blog)|"
    r"^(?:previous|next) (?:post|article|story)|^article (?:précédent|suivant)",
    _I,
)
_EXPLICIT_BYLINE = re.compile(
    r"^(?:geschreven door|written by|posted by|auteur|author|écrit par|rédigé par|publié par|"
    r"geschrieben von|escrito por|scritto da)\s*:?\s+\S",
    _I,
)
_SHORT_BYLINE = re.compile(r"^(?:door|by|par|von|por|di)\s+(?P<name>.+)$", _I)
_NAME_PARTICLES = word_set("van de der den le la du von di da del & and en et")
REFERENCES_HEADING = re.compile(
    r"^(?:bronnen|bron|bronvermelding|referenties|literatuur|literatuurlijst|references|"
    r"reference list|sources|bibliography|bibliographie|références|works cited|quellen|"
    r"literatur|referencias|fuentes|bibliografia|fonti)\s*(?:en referenties|and references)?\s*:?",
    _I,
)
REFERENCE_LINE = re.compile(
    r"\bdoi\s*:?\s*10\.\d{3,}|\bdoi\.org/|\bPMID\s*:?\s*\d|\bPMCID\b|\bet al\.|\bISBN[\s:-]*\d|"
    r"\barXiv:\d",
    _I,
)
CREDIT_LINE = re.compile(
    r"^(?:afbeelding|foto|beeld|bron afbeelding|image|photo|picture|credit|image credit|"
    r"photo credit|crédit photo|crédits?|illustration)\s*(?:\([^)]*\))?\s*:|^https?://\S+$",
    _I,
)
_CHROME = [
    re.compile(p, _I)
    for p in (
        r"\bcookies?\b|\bgdpr\b|\bprivacy ?(?:beleid|policy|verklaring)|"
        r"politique de confidentialité",
        r"\b(?:accepteer|alles accepteren|accept all|tout accepter|j'accepte)\b",
        r"^(?:deel|delen|deel dit|share|share this|partager|partagez)\b.{0,60}$",
        r"\b(?:facebook|twitter|linkedin|whatsapp|pinterest|instagram)\b.*"
        r"\b(?:facebook|twitter|linkedin|whatsapp|pinterest|instagram|e-?mail)\b",
        r"\b(?:nieuwsbrief|newsletter|subscribe|abonneer|abonnez-vous|s'abonner|inschrijven|"
        r"schrijf je in|inscrivez-vous|sign up|meld je aan)\b",
        r"^(?:laat een reactie achter|leave a (?:comment|reply)|laisser un commentaire|"
        r"\d+\s+(?:reacties|comments|commentaires)|reageer|reacties|comments|commentaires)\b",
        r"^(?:lees ook|lees meer|read more|related (?:posts|articles)|gerelateerde|lire aussi|"
        r"à lire aussi|lire la suite|you may also like|vous aimerez aussi|tags?\s*:|"
        r"categorie(?:ën)?\s*:|categor(?:y|ies)\s*:|catégories?\s*:|posted in|geplaatst in)",
        r"^(?:skip to (?:main )?content|naar (?:de )?inhoud (?:gaan|springen)|aller au contenu)|"
        r"\bcopyright\b|©|all rights reserved|alle rechten voorbehouden|tous droits réservés",
    )
]
# A line made only of these words is a navigation bar ("Home Blog Team Contact").
NAV_WORDS = word_set(
    "menu home contact zoeken search rechercher accueil over ons about us à propos inloggen "
    "log in login blog nieuws news actualités team diensten services tarieven prijzen tarifs "
    "afspraak maken rendez-vous praktijk cabinet fr nl en de"
)
NAV_MAX_WORDS = 10
CHROME_MAX_WORDS = 20
CHROME_MAX_CHARS = 240  # longer lines are never chrome: skip counting their words
META_MAX_CHARS = 240
CAPTION_MAX_CHARS = 120
_META_SEPARATORS = re.compile(r"\s*(?:[·|•]|\s[–—-]\s)\s*")


def is_byline(text: str) -> bool:
    """A "Geschreven door Elias" / "Written by …" / "Par Marie Dubois" line."""
    count = len(words(text))
    if _EXPLICIT_BYLINE.match(text):
        return count <= 10
    match = _SHORT_BYLINE.match(text.strip())
    if not match or count > 5:
        return False
    names = match.group("name").strip(" .").split()
    return all(name[:1].isupper() or name.lower() in _NAME_PARTICLES for name in names)


def _meta_segment(segment: str) -> tuple[bool, datetime | None, int | None]:
    """Whether one segment of a line is meta, with the date or minutes it states."""
    if not segment:
        return True, None, None
    date = parse_date_line(segment)
    if date:
        return True, date, None
    minutes = declared_minutes(segment)
    if minutes is not None and len(words(segment)) <= 8:
        return True, None, minutes
    return bool(BACK_TO_BLOG.search(segment) or is_byline(segment)), None, None


def meta_line(text: str) -> tuple[bool, datetime | None, int | None]:
    """Whether a line is only meta (date, reading time, byline, back link), and what it states."""
    if len(text) > META_MAX_CHARS or len(words(text)) > 24:
        return False, None, None
    date: datetime | None = None
    minutes: int | None = None
    for segment in _META_SEPARATORS.split(text.strip()):
        is_meta, found_date, found_minutes = _meta_segment(segment.strip())
        if not is_meta:
            return False, None, None
        date = date or found_date
        minutes = minutes or found_minutes
    return True, date, minutes


def is_chrome(block: Block) -> bool:
    """Site chrome: cookie banners, share and subscribe prompts, navigation, comments."""
    text = block.text.strip()
    if not any(c.isalpha() for c in text[:200]):
        return len(text) < 200
    if len(text) > CHROME_MAX_CHARS:
        return False
    tokens = [w.lower() for w in words(text)]
    if len(tokens) > CHROME_MAX_WORDS:
        return False
    if len(tokens) <= NAV_MAX_WORDS and all(token in NAV_WORDS for token in tokens):
        return True
    return any(pattern.search(text) for pattern in _CHROME)


def is_reference_heading(block: Block) -> bool:
    """A heading or short line opening the references ("Bronnen", "References", "Sources:")."""
    match = REFERENCES_HEADING.match(block.text.strip())
    if not match:
        return False
    rest = block.text.strip()[match.end() :].strip()
    if not rest:
        return True
    return block.kind == "paragraph" and bool(cites(rest) or CREDIT_LINE.match(rest))


def is_reference_or_credit(block: Block) -> bool:
    """A citation (DOI, PMID, "et al.") or an image credit line."""
    return bool(cites(block.text) or CREDIT_LINE.match(block.text.strip()))


_CITATION_MARKS = ("doi", "pmid", "pmcid", "et al.", "isbn", "arxiv")


def cites(text: str) -> bool:
    """True when the text holds a citation mark (DOI, PMID, "et al.", ISBN, arXiv)."""
    lowered = text.lower()
    if not any(mark in lowered for mark in _CITATION_MARKS):
        return False  # the common case, decided without the pattern's scan
    return bool(REFERENCE_LINE.search(text))


def looks_like_caption(block: Block) -> bool:
    """A short lowercase line without final punctuation, like "een wervel met lichte bulging"."""
    text = block.text.strip()
    return (
        block.kind != "item"
        and len(text) <= CAPTION_MAX_CHARS
        and 0 < len(words(text)) <= 12
        and text[:1].isalpha()
        and text[:1].islower()
        and text[-1] not in ".!?:;"
    )
