"""Offline language detection restricted to the languages distributor supports.

py3langid ships its model inside the package: nothing is downloaded. The identifier is built
once per process and restricted to SUPPORTED, so short Dutch text is never called Afrikaans.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SUPPORTED = ("nl", "en", "fr", "de", "es", "it")
DEFAULT_LANGUAGE = "en"
# Below this many characters a declared language is trusted over the detector.
TRUST_DETECTION_CHARS = 200
# The detector overrules a declared language only when it is this sure (normalised probability).
OVERRULE_CONFIDENCE = 0.99
_SAMPLE_CHARS = 2000
# With a declared language the detector only checks it: a shorter sample is enough to see that
# a page declared "en" is really Dutch, and costs a third of the time.
_CHECK_SAMPLE_CHARS = 700


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier


def normalise_language(code: str | None) -> str | None:
    """The supported primary language of a tag ("nl-BE" -> "nl"), or None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in SUPPORTED else None


def detect(text: str, sample_chars: int = _SAMPLE_CHARS) -> tuple[str, float]:
    """The most likely supported language of a text, with its probability."""
    sample = text[:sample_chars]
    language, probability = _identifier().classify(sample)
    return str(language), float(probability)


def choose_language(text: str, declared: str | None = None) -> str:
    """The post's language: the declared one unless the text clearly says otherwise."""
    known = normalise_language(declared)
    if len(text.strip()) < TRUST_DETECTION_CHARS:
        if known:
            return known
        return detect(text)[0] if text.strip() else DEFAULT_LANGUAGE
    detected, probability = detect(text, _CHECK_SAMPLE_CHARS if known else _SAMPLE_CHARS)
    if known and detected != known and probability < OVERRULE_CONFIDENCE:
        return known
    return detected
