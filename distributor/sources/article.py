"""One web page -> a Post: the article's main content (headings and lists kept) and its metadata.

Pure: takes the page text that sources/fetch.py (or a file) produced. Hostile pages stay bounded:
lxml parses in C, libxml2 caps nesting depth (a page nested deeper is flattened and read again),
and every walk over the tree here is iterative.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from distributor.content.reading_time import declared_minutes
from distributor.errors import UserError
from distributor.model import Post
from distributor.sources.entries import safe_post
from distributor.sources.links import web_link

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WRAPPER_TAGS = re.compile(
    r"</?(?:div|span|section|article|main|font|b|i|em|strong|center|small|big|u|s|mark|"
    r"a|header|figure|table|tbody|thead|tr|td|th|blockquote)\b[^>]*>",
    re.I,
)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
_DEPTH_ERROR = "Excessive depth"
MIN_ARTICLE_WORDS = 15  # less than this is a menu or a footer, not an article
VISIBLE_TEXT_LIMIT = 300_000  # characters of page text searched for a declared reading time

# trafilatura's XML vocabulary -> plain HTML the content layer reads
_HTML_TAG = {
    "p": "p",
    "list": "ul",
    "item": "li",
    "quote": "blockquote",
    "table": "table",
    "row": "tr",
    "cell": "td",
    "lb": "br",
    "code": "code",
    "del": "s",
}
_INLINE_STYLE = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code"}
# trafilatura's options: XML output keeps headings, lists and emphasis; dates only from markup.
EXTRACTION_OPTIONS = {
    "with_metadata": True,
    "output_format": "xml",
    "include_formatting": True,
    "include_tables": True,
    "include_images": False,
    "include_comments": False,
    "include_links": False,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


def parse_article(html: str, url: str) -> Post:
    """The article on a page: its main content as simple HTML, its title, date, author, image."""
    tree = load_page(html, url)
    meta = page_meta(tree, url)
    declared = declared_minutes(visible_text(tree))
    document = trafilatura.bare_extraction(tree, url=url, **EXTRACTION_OPTIONS)
    body = document.body if document is not None else None
    if body is None or len("".join(body.itertext()).split()) < MIN_ARTICLE_WORDS:
        raise _no_article(url)
    title = meta.get("title") or document.title or ""
    canonical = web_link(meta.get("canonical")) or web_link(url) or url
    post = Post(
        guid=canonical,
        title=title.strip(),
        body=body_html(body, title),
        body_format="html",
        url=canonical,
        published=meta_date(meta.get("published")) or meta_date(document.date),
        author=meta.get("author") or document.author or None,
        image=web_link(meta.get("image")) or web_link(document.image, url),
        tags=_tags(meta),
        language=meta.get("language") or None,
        declared_reading_time=declared,
        source_ref=url,
    )
    return safe_post(post)


def load_page(html: str, url: str) -> lxml_html.HtmlElement:
    """Parse a page with lxml; flatten layout wrappers when it nests deeper than libxml2 allows."""
    text = _NOT_XML_CHARS.sub("", _XML_DECLARATION.sub("", html, count=1))
    if not text.strip():
        raise _no_article(url)
    tree, too_deep = _parse(text)
    if too_deep:
        tree, _ = _parse(_WRAPPER_TAGS.sub(" ", text))
    if tree is None:
        raise _no_article(url)
    return tree


def _parse(text: str) -> tuple[lxml_html.HtmlElement | None, bool]:
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        tree = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    too_deep = any(_DEPTH_ERROR in entry.message for entry in parser.error_log)
    return tree, too_deep


def page_meta(tree: lxml_html.HtmlElement, url: str) -> dict[str, str]:
    """What the page's head declares: og/article meta, author, canonical link, html lang."""
    found: dict[str, str] = {}
    tags: list[str] = []
    for element in tree.iterfind(".//meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if not value:
            continue
        if key == "article:tag":
            tags.append(value)
        elif key in _META_KEYS and _META_KEYS[key] not in found:
            found[_META_KEYS[key]] = value
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            found.setdefault("canonical", urljoin(url, link.get("href", "").strip()))
    if "canonical" in found:
        found["canonical"] = urljoin(url, found["canonical"])
    if "image" in found:
        found["image"] = urljoin(url, found["image"])
    if found.get("author", "").startswith(("http://", "https://")):
        del found["author"]
    language = (tree.get("lang") or tree.get("xml:lang") or "").strip()
    if language:
        found["language"] = language.replace("_", "-").split("-")[0].lower()
    if tags:
        found["tags"] = "\n".join(tags)
    return found


_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:image": "image",
    "og:image:url": "image",
    "twitter:image": "image",
    "article:published_time": "published",
    "datepublished": "published",
    "date": "published",
    "author": "author",
    "article:author": "author",
    "og:url": "canonical",
}


def _tags(meta: dict[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag for tag in meta.get("tags", "").split("\n") if tag))


def visible_text(tree: lxml_html.HtmlElement, limit: int = VISIBLE_TEXT_LIMIT) -> str:
    """The page's visible text (no scripts, styles or head), up to `limit` characters."""
    parts: list[str] = []
    size = 0
    hidden = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN:
                hidden += 1
            piece = element.text if not hidden and tag else None
        else:
            if tag in _HIDDEN:
                hidden -= 1
            piece = element.tail if not hidden else None
        if piece:
            parts.append(piece)
            size += len(piece)
            if size >= limit:
                break
    return " ".join(parts)[:limit]


def body_html(body: etree._Element, title: str = "") -> str:
    """trafilatura's XML body as simple HTML (h2/h3, p, ul/ol/li, ...), without a repeated title."""
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        rend = element.get("rend", "")
        if element.tag == "head":
            element.tag = rend if re.fullmatch(r"h[1-6]", rend) else "h2"
        elif element.tag == "list":
            element.tag = "ol" if rend == "ol" else "ul"
        elif element.tag == "hi":
            element.tag = _INLINE_STYLE.get(rend, "em")
        elif element.tag == "cell" and element.get("role") == "head":
            element.tag = "th"
        elif element.tag != "body":
            element.tag = _HTML_TAG.get(element.tag, "span")
        element.attrib.clear()
    _drop_repeated_title(body, title)
    parts = [body.text or ""]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in body)
    return "\n".join(part.strip() for part in parts if part.strip())


def _drop_repeated_title(body: etree._Element, title: str) -> None:
    first = body[0] if len(body) else None
    if first is None or first.tag not in ("h1", "h2") or not title:
        return
    if _squash("".join(first.itertext())) == _squash(title):
        tail = first.tail or ""
        body.remove(first)
        body.text = (body.text or "") + tail


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def meta_date(value: str | None) -> datetime | None:
    """An ISO date or date-time from page metadata, as an aware UTC datetime."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _no_article(url: str) -> UserError:
    return UserError(
        f"no article found at {url}",
        "Give the address of one blog post (not a home page, a list of posts or a file).",
    )
