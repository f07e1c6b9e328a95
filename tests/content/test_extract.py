import pytest

from distributor.content.blocks import MAX_BLOCKS, Block
from distributor.content.extract import extract_blocks


def kinds(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in blocks]


def test_markdown_headings_paragraphs_and_lists_become_blocks():
    body = "# Title\n\nSome *soft* [text](http://x)\nwrapped.\n\n3. one\n4. two\n\n- loose\n"
    blocks = extract_blocks(body, "markdown")
    assert kinds(blocks) == [
        ("heading", "Title"),
        ("paragraph", "Some soft text wrapped."),
        ("item", "one"),
        ("item", "two"),
        ("item", "loose"),
    ]
    assert (blocks[2].ordered, blocks[2].number, blocks[3].number) == (True, 3, 4)
    assert blocks[2].list_id == blocks[3].list_id != blocks[4].list_id


def test_markdown_raw_html_blocks_are_read_as_html():
    blocks = extract_blocks(
        "Intro line.\n\n<div><script>x()</script><p>Inner</p></div>\n", "markdown"
    )
    assert kinds(blocks) == [("paragraph", "Intro line."), ("paragraph", "Inner")]


def test_html_lists_keep_their_numbers_and_nested_lists_their_own_id():
    body = "<ol start=2><li><p>one</p><p>more</p></li><li>two<ul><li>sub</li></ul></li></ol>"
    blocks = extract_blocks(body, "html")
    assert kinds(blocks) == [("item", "one more"), ("item", "two"), ("item", "sub")]
    assert [b.number for b in blocks] == [2, 3, None]
    assert blocks[0].list_id == blocks[1].list_id != blocks[2].list_id


def test_html_drops_scripts_styles_noscript_navigation_captions_and_hidden_text():
    body = (
        "<style>p{}</style><nav>Menu</nav><p>Kept <script>evil()</script>text</p>"
        "<noscript>Enable JS</noscript><figure><figcaption>a caption</figcaption></figure>"
        "<p hidden>secret</p><p style='display: none'>also secret</p><h2>Next</h2>"
    )
    assert kinds(extract_blocks(body, "html")) == [("paragraph", "Kept text"), ("heading", "Next")]


def test_html_deeply_nested_ten_thousand_levels_still_gives_its_text():
    body = "<div>" * 10_000 + "<p>Deep text here.</p>" + "</div>" * 10_000 + "<p>After.</p>"
    texts = [b.text for b in extract_blocks(body, "html")]
    assert "Deep text here." in texts
    assert "After." in texts


def test_html_of_five_megabytes_in_tiny_paragraphs_is_read_up_to_the_block_limit():
    paragraph = "<p>Bewegen is goed voor de rug, ook als het even pijn doet.</p>\n"
    body = "<html><body>" + paragraph * (5_000_000 // len(paragraph)) + "</body></html>"
    blocks = extract_blocks(body, "html")
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1].text == "Bewegen is goed voor de rug, ook als het even pijn doet."


@pytest.mark.parametrize("body_format", ["markdown", "text"])
def test_markdown_and_text_are_cut_at_the_block_limit_too(body_format):
    blocks = extract_blocks("Een korte alinea.\n\n" * (MAX_BLOCKS + 10), body_format)
    assert len(blocks) == MAX_BLOCKS


def test_html_unclosed_tags_and_stray_bytes_do_not_break_extraction():
    blocks = extract_blocks("<p>First <b>bold<p>Second \x00 para<li>item</ul></div>", "html")
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "item"]


def test_text_splits_paragraphs_on_blank_lines_and_finds_items_and_headings():
    body = (
        "A title line\n\nFirst paragraph that is long enough to be a sentence.\n\n"
        "  1. First tip: do it.\n  2. Second tip.\n\n- dash item\n• bullet item\n"
    )
    blocks = extract_blocks(body, "text")
    assert kinds(blocks) == [
        ("heading", "A title line"),
        ("paragraph", "First paragraph that is long enough to be a sentence."),
        ("item", "First tip: do it."),
        ("item", "Second tip."),
        ("item", "dash item"),
        ("item", "bullet item"),
    ]
    assert blocks[2].list_id == blocks[3].list_id != blocks[4].list_id


def test_text_joins_hard_wrapped_lines_into_one_paragraph():
    body = (
        "This paragraph was wrapped by an editor at a fixed width so\n"
        "that it spans several lines without any blank line between\n"
        "them."
    )
    assert [b.kind for b in extract_blocks(body, "text")] == ["paragraph"]


@pytest.mark.parametrize("body_format", ["html", "markdown", "text"])
def test_an_empty_body_gives_no_blocks(body_format):
    assert extract_blocks("  \n\n ", body_format) == []


def test_html_paragraphs_numbered_by_hand_are_read_as_a_list():
    body = "<p>Intro.</p><p>1. Geen paniek: het gaat over.</p><p>2. Blijf bewegen.</p><p>Slot.</p>"
    blocks = extract_blocks(body, "html")
    assert kinds(blocks) == [
        ("paragraph", "Intro."),
        ("item", "Geen paniek: het gaat over."),
        ("item", "Blijf bewegen."),
        ("paragraph", "Slot."),
    ]
    assert [b.number for b in blocks[1:3]] == [1, 2]


def test_a_single_paragraph_starting_with_a_number_stays_a_paragraph():
    body = "<p>2015. Dat jaar begon mijn rugpijn.</p><p>Daarna werd het beter.</p>"
    assert [b.kind for b in extract_blocks(body, "html")] == ["paragraph", "paragraph"]


def test_br_separated_numbered_lines_in_one_paragraph_become_list_items():
    body = "<p>1. Geen paniek: het gaat over.<br>2. Blijf bewegen.<br/>3. Slaap genoeg.</p>"
    blocks = extract_blocks(body, "html")
    assert [(b.kind, b.number) for b in blocks] == [("item", 1), ("item", 2), ("item", 3)]


def test_br_separated_short_meta_lines_become_separate_blocks():
    blocks = extract_blocks("<p>Geschreven door Elias<br>11/09/24</p>", "html")
    assert kinds(blocks) == [("paragraph", "Geschreven door Elias"), ("paragraph", "11/09/24")]


def test_a_soft_line_break_inside_a_long_paragraph_is_a_space():
    long = "Dit is een lange zin die gewoon doorloopt en niet eindigt op deze regel maar"
    blocks = extract_blocks(f"<p>{long}<br>verder gaat op de volgende regel.</p>", "html")
    assert kinds(blocks) == [("paragraph", f"{long} verder gaat op de volgende regel.")]


def test_markdown_tables_are_data_not_article_text():
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\nEen echte zin over rugpijn en bewegen."
    assert kinds(extract_blocks(body, "markdown")) == [
        ("paragraph", "Een echte zin over rugpijn en bewegen.")
    ]
