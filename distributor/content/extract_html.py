"""HTML body -> blocks, with lxml, walking the tree without recursion.

Hostile input stays bounded: script/style and other non-text elements are skipped, the walk
is iterative, and a document nested deeper than libxml2 accepts is flattened and read again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from lxml import etree, html

from distributor.content.blocks import MAX_BLOCKS, Block, BlockKind, normalise_space, word_set

SKIPPED = word_set(
    "script style noscript template svg math iframe object embed canvas video audio nav footer "
    "aside form button select option textarea figcaption head title meta link input"
)
HEADINGS = {f"h{level}": level for level in range(1, 7)}
LISTS = frozenset({"ul", "ol", "menu"})
BLOCKS = word_set(
    "p div section article main header blockquote pre table tr td th dl dt dd figure "
    "address center details summary hr body"
)
_WRAPPERS = re.compile(
    r"</?(?:div|span|section|article|main|font|b|i|em|strong|center|small|big|u|s|mark|"
    r"table|tbody|thead|tr|td|th|a|blockquote|header|figure)\b[^>]*>",
    re.IGNORECASE,
)
_SKIPPED_CONTENT = re.compile(
    r"<(script|style|noscript|template|svg)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")


_LINE_BREAK = "\u2028"  # a <br>, kept until the paragraph is complete
_MARKED_LINE = re.compile(r"^(?:\d{1,2}[.)]|[-•·▪‣◦–])\s+\S")
SHORT_LINE_WORDS = 12


def _separate_lines(lines: list[str]) -> bool:
    """<br>-separated lines are blocks of their own when numbered, bulleted or all short."""
    if len(lines) < 2:
        return False
    marked = sum(bool(_MARKED_LINE.match(line)) for line in lines)
    return marked >= 2 or all(len(line.split()) <= SHORT_LINE_WORDS for line in lines)


@dataclass
class _Context:
    """A block being filled: its kind and the text pieces collected so far."""

    kind: str  # "heading", "paragraph", "item" or "list"
    level: int = 0
    list_id: int = -1
    ordered: bool = False
    number: int | None = None
    next_number: int = 1
    pieces: list[str] = field(default_factory=list)


class _Walker:
    """Turns start/end events of an lxml tree into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[_Context] = [_Context("paragraph")]
        self.lists = 0

    def text(self, value: str | None) -> None:
        """Add text to the innermost open block."""
        if value:
            self.stack[-1].pieces.append(value)

    def flush(self) -> None:
        """Emit the text collected so far as a block (or one block per <br> line)."""
        context = self.stack[-1]
        raw = "".join(context.pieces)
        context.pieces.clear()
        if context.kind == "list":
            return
        if context.kind == "paragraph" and _LINE_BREAK in raw:
            lines = [normalise_space(line) for line in raw.split(_LINE_BREAK)]
            lines = [line for line in lines if line]
            if _separate_lines(lines):
                self.blocks.extend(Block("paragraph", line) for line in lines)
                return
        text = normalise_space(raw.replace(_LINE_BREAK, " "))
        if not text:
            return
        kind: BlockKind = context.kind  # type: ignore[assignment]
        block = Block(kind, text, context.level, context.list_id, context.ordered, context.number)
        self.blocks.append(block)

    def start(self, element: html.HtmlElement, tag: str) -> bool:
        """Open the element's context; False when it only adds inline text."""
        inside_text_block = self.stack[-1].kind in ("heading", "item")
        if tag in HEADINGS:
            self.flush()
            self.stack.append(_Context("heading", level=HEADINGS[tag]))
        elif tag in LISTS:
            self.flush()
            self.lists += 1
            start = _int(element.get("start")) or 1
            self.stack.append(_Context("list", list_id=self.lists, ordered=tag == "ol"))
            self.stack[-1].next_number = start
        elif tag == "li":
            self.flush()
            self.stack.append(self._item(element))
        elif tag in BLOCKS and not inside_text_block:
            self.flush()
            self.stack.append(_Context("paragraph"))
        else:
            if tag == "br":
                self.text(_LINE_BREAK)
            elif tag in BLOCKS:
                self.text(" ")
            return False
        return True

    def _item(self, element: html.HtmlElement) -> _Context:
        parent = self.stack[-1]
        if parent.kind != "list":
            self.lists += 1
            parent = _Context("list", list_id=self.lists)
        number = _int(element.get("value")) or parent.next_number
        parent.next_number = number + 1
        return _Context(
            "item",
            list_id=parent.list_id,
            ordered=parent.ordered,
            number=number if parent.ordered else None,
        )

    def end(self) -> None:
        """Close the innermost block."""
        self.flush()
        if len(self.stack) > 1:
            self.stack.pop()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _hidden(element: html.HtmlElement) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or "display:none" in style
    )


def _parse(markup: str) -> html.HtmlElement | None:
    """The parsed document, or None when libxml2 gave up (nesting too deep)."""
    parser = html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return None
    return root


def _walk(root: html.HtmlElement) -> list[Block]:
    walker = _Walker()
    opened: list[bool] = []
    events = etree.iterwalk(root, events=("start", "end"))
    for event, element in events:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in SKIPPED or _hidden(element):
                events.skip_subtree()
                opened.append(False)
                continue
            opened.append(walker.start(element, tag))
            walker.text(element.text)
        else:
            if opened.pop():
                walker.end()
            walker.text(element.tail)
            if len(walker.blocks) >= MAX_BLOCKS:
                break
    walker.flush()
    return walker.blocks[:MAX_BLOCKS]


def html_blocks(markup: str) -> list[Block]:
    """The headings, paragraphs and list items of an HTML document or fragment."""
    if not markup.strip():
        return []
    root = _parse(markup)
    if root is None:
        root = _parse(_WRAPPERS.sub(" ", markup))
    if root is None:
        from distributor.content.extract_text import text_blocks

        stripped = _TAG.sub("\n", _SKIPPED_CONTENT.sub(" ", markup))
        return text_blocks(unescape(stripped))
    return _walk(root)
