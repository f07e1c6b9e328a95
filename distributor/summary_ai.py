"""The optional AI summary: two sentences asked from an OpenAI-compatible chat-completions API.

Off unless DISTRIBUTOR_SUMMARY_API_URL and DISTRIBUTOR_SUMMARY_MODEL are set (the key is
optional, for a local Ollama). The request carries the versioned prompt (prompts/summary_v1.txt)
and the post's cleaned body only. Any failure — no answer within the timeout, an HTTP error, a
body that is not the expected JSON, an answer that is not a short summary — keeps the extractive
summary; the digest's `summary_source` says which one it holds.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from distributor.config import Settings
from distributor.content.article_text import article_text
from distributor.content.blocks import normalise_space
from distributor.content.digest import build_digest
from distributor.content.sentences import split_sentences
from distributor.model import Digest, Post

log = logging.getLogger(__name__)
PROMPT_FILE = Path(__file__).parent / "prompts" / "summary_v1.txt"
MAX_BODY_CHARS = 12_000  # the body sent is cut here (at a paragraph) to bound tokens and cost
MAX_RESPONSE_BYTES = 256_000
MAX_SUMMARY_CHARS = 700
MAX_SUMMARY_SENTENCES = 4
LANGUAGE_NAMES = {
    "nl": "Dutch",
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
}


class SummaryUnavailable(Exception):
    """The endpoint gave no usable summary (the extractive one stays)."""


@dataclass(frozen=True)
class SummaryApi:
    """Where and how to ask for a summary."""

    url: str
    model: str
    key: str | None
    timeout: float


def summary_api(settings: Settings) -> SummaryApi | None:
    """The configured endpoint, or None when the AI summary is off."""
    if not settings.summary_api_url or not settings.summary_model:
        return None
    url = settings.summary_api_url.rstrip("/")
    if not url.endswith("/chat/completions"):
        url += "/chat/completions"
    key = settings.summary_api_key.get_secret_value() if settings.summary_api_key else None
    return SummaryApi(url, settings.summary_model, key or None, settings.summary_api_timeout_s)


def prompt(language: str) -> str:
    """The system prompt for a post in this language."""
    name = LANGUAGE_NAMES.get(language, language)
    return PROMPT_FILE.read_text(encoding="utf-8").strip().replace("{language}", name)


def request_body(api: SummaryApi, text: str, language: str) -> dict[str, object]:
    """The chat-completions request: the prompt as system message, the body as user message."""
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS].rsplit("\n", 1)[0]
    return {
        "model": api.model,
        "messages": [
            {"role": "system", "content": prompt(language)},
            {"role": "user", "content": text},
        ],
        "temperature": 0.2,
        "stream": False,
    }


def ask_summary(api: SummaryApi, text: str, language: str, client: httpx.Client) -> str:
    """The endpoint's summary of `text`, checked; SummaryUnavailable on any failure."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if api.key:
        headers["Authorization"] = f"Bearer {api.key}"
    try:
        raw = _post(client, api, headers, request_body(api, text, language))
        answer = json.loads(raw)["choices"][0]["message"]["content"]
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SummaryUnavailable(f"{type(exc).__name__}: {exc}") from None
    return checked_summary(answer)


def _post(
    client: httpx.Client, api: SummaryApi, headers: dict[str, str], body: dict[str, object]
) -> bytes:
    """POST and read the answer within one overall deadline and a size cap."""
    deadline = time.monotonic() + api.timeout
    with client.stream("POST", api.url, json=body, headers=headers, timeout=api.timeout) as reply:
        if reply.status_code != 200:
            raise SummaryUnavailable(f"HTTP {reply.status_code}")
        chunks, size = [], 0
        for chunk in reply.iter_bytes():
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise SummaryUnavailable(f"answer larger than {MAX_RESPONSE_BYTES} bytes")
            if time.monotonic() > deadline:
                raise SummaryUnavailable(f"no complete answer within {api.timeout:g} s")
            chunks.append(chunk)
    return b"".join(chunks)


def checked_summary(answer: object) -> str:
    """The answer as one paragraph, if it is a short summary (else SummaryUnavailable)."""
    if not isinstance(answer, str):
        raise SummaryUnavailable("the answer holds no text")
    text = normalise_space(answer).strip("\"'“”«» ")
    if not text or len(text) > MAX_SUMMARY_CHARS or not any(c.isalpha() for c in text):
        raise SummaryUnavailable(f"not a short summary ({len(text)} characters)")
    if text[:1] in "{[<#*-" or len(split_sentences(text, "any")) > MAX_SUMMARY_SENTENCES:
        raise SummaryUnavailable("the answer is not two plain sentences")
    return text


def with_ai_summary(
    digest: Digest, text: str, api: SummaryApi | None, client: httpx.Client
) -> Digest:
    """The digest with the endpoint's summary, or unchanged (extractive) on any failure."""
    if api is None:
        return digest
    try:
        summary = ask_summary(api, text, digest.language, client)
    except SummaryUnavailable as exc:
        log.warning("AI summary unavailable for %r, extractive kept: %s", digest.title, exc)
        return digest
    return replace(digest, summary=summary, summary_source="ai")


def digest_builder(settings: Settings) -> Callable[[Post], Digest] | None:
    """Post -> Digest asking the configured endpoint for the summary; None when it is off."""
    api = summary_api(settings)
    if api is None:
        return None

    def build(post: Post) -> Digest:
        digest, text = build_digest(post), article_text(post)
        with httpx.Client(timeout=api.timeout, follow_redirects=False) as client:
            return with_ai_summary(digest, text, api, client)

    return build


def summarised_digest(post: Post, settings: Settings) -> Digest:
    """The post's digest, with the AI summary when it is configured and answers."""
    build = digest_builder(settings)
    return build(post) if build else build_digest(post)
