"""Digest cost against trafilatura's extraction alone, on the same ~2,000-word page, same run.

    .venv/bin/python benchmarks/digest.py [--runs 25]

Prints the median wall time and the peak traced memory (tracemalloc) of
  baseline: trafilatura.bare_extraction(page, ...) with parse_article's options, alone;
  whole:    distributor.sources.article.parse_article(page, url) + build_digest(post);
and their ratios (goal: whole <= 2x baseline). Every module is imported and warmed up first
(language model, YAKE, lxml), so the figures are per post, not per process start.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

import trafilatura

from distributor.content.digest import build_digest
from distributor.sources.article import EXTRACTION_OPTIONS, parse_article

URL = "https://kine.example.be/blog/rugpijn-na-het-sporten"
SENTENCES = [
    "Rugpijn is een van de meest voorkomende klachten die we in de praktijk zien.",
    "De meeste mensen herstellen binnen enkele weken, zeker als ze actief blijven.",
    "Een scan toont vaak slijtage, maar die zegt weinig over de pijn die je voelt.",
    "Slaap, stress en beweging hebben meer invloed op rugpijn dan de meeste mensen denken.",
    "Tillen is niet slecht voor de rug, zolang je de belasting geleidelijk opbouwt.",
    "Een zenuw is een gevoelige structuur en geeft vaak meer pijn dan er schade is.",
    "Wie blijft bewegen, herstelt gemiddeld sneller dan wie lang in bed blijft liggen.",
    "Manuele therapie kan de pijn tijdelijk verlichten, maar lost het probleem zelden op.",
    "Krachttraining maakt de rug sterker en vergroot het vertrouwen in je eigen lichaam.",
    "Overleg met je kinesitherapeut welke oefeningen voor jou haalbaar zijn.",
    "Veel patiënten zijn bang om te bewegen, terwijl bewegen net het herstel versnelt.",
    "De robuustheid van de rug wordt vaak onderschat door patiënten en zorgverleners.",
]
TIPS = [
    "Geen paniek: de meeste rugpijn is onschuldig en gaat vanzelf over.",
    "Blijf bewegen waar mogelijk. Pas je activiteiten aan rond de klacht.",
    "Slaap voldoende en neem tijd om te herstellen na een drukke dag.",
    "Bouw krachttraining geleidelijk op, samen met je kinesitherapeut.",
    "Vraag raad als de pijn na zes weken niet vermindert.",
]


def make_page(target_words: int = 2000, seed: int = 7) -> str:
    """A realistic blog page: head, scripts, navigation, cookie banner, article, sources, footer."""
    rng = random.Random(seed)
    sections: list[str] = []
    words = 0
    while words < target_words:
        heading = f"<h2>{rng.choice(SENTENCES).split(',')[0].rstrip('.')}</h2>"
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            paragraph = " ".join(rng.sample(SENTENCES, rng.randint(3, 6)))
            words += len(paragraph.split())
            paragraphs.append(f"<p>{paragraph}</p>")
        sections.append(heading + "\n" + "\n".join(paragraphs))
    tips = "".join(f"<li>{tip}</li>" for tip in TIPS)
    sections.insert(len(sections) // 2, f"<h2>Wat is dan aan te raden?</h2><ol>{tips}</ol>")
    return f"""<!DOCTYPE html><html lang="nl-BE"><head><meta charset="utf-8">
<title>Rugpijn na het sporten | Kinepraktijk</title>
<meta property="og:title" content="Rugpijn na het sporten: wat je zelf kan doen">
<meta property="og:image" content="https://kine.example.be/img/rug.jpg">
<meta property="article:published_time" content="2024-09-11T08:00:00+02:00">
<script>window.dataLayer = [{{"event": "pageview"}}];</script>
<style>body {{ font-family: sans-serif; }}</style></head><body>
<header><nav><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/team">Team</a>
<a href="/contact">Contact</a></nav></header>
<div class="cookies">Wij gebruiken cookies. <button>Alles accepteren</button></div>
<main><article><p><a href="/blog">Terug naar blog</a></p>
<h1>Rugpijn na het sporten: wat je zelf kan doen</h1>
<p class="meta">Geschreven door Elias · 11/09/24 · Leestijd: 9 min</p>
{chr(10).join(sections)}
<h2>Bronnen</h2><p>Brinjikji W, et al. AJNR Am J Neuroradiol. 2015. doi:10.3174/ajnr.A4173.</p>
</article></main>
<aside><h3>Lees ook</h3>
<ul><li><a href="/a">Nekpijn</a></li><li><a href="/b">Knie</a></li></ul></aside>
<footer>© 2024 Kinepraktijk · <a href="/privacy">Privacybeleid</a></footer>
<script>console.log("loaded")</script></body></html>"""


def themed(page: str, seed: int = 11) -> str:
    """The same article inside a typical CMS theme: styles, menus, icons, sidebar, comments."""
    rng = random.Random(seed)
    words = [w.strip(".,") for sentence in SENTENCES for w in sentence.split()]

    def label(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count)).capitalize()

    style = "\n".join(
        f".c{i}{{margin:{i % 9}px {i % 5}em;color:#{i * 2654435 % 0xFFFFFF:06x};"
        f"font:{12 + i % 8}px/1.{i % 9} sans-serif;transition:all .{i % 4}s ease}}"
        for i in range(300)
    )
    icon = (
        '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="'
        + " ".join(
            f"M{rng.randint(0, 24)} {rng.randint(0, 24)}l{rng.randint(-9, 9)} 3" for _ in range(30)
        )
        + '"/></svg>'
    )
    menu = "".join(
        f'<li class="menu-item menu-item-has-children"><a href="/{i}">{icon}{label(2)}</a>'
        f'<ul class="sub-menu">'
        + "".join(f'<li class="menu-item"><a href="/{i}/{j}">{label(3)}</a></li>' for j in range(8))
        + "</ul></li>"
        for i in range(8)
    )
    widgets = "".join(
        f'<section class="widget"><h3 class="widget-title">{label(2)}</h3><ul>'
        + "".join(
            f'<li><a href="/p/{i}/{j}">{label(6)}</a> <span>{j} reacties</span></li>'
            for j in range(12)
        )
        + "</ul></section>"
        for i in range(4)
    )
    comments = "".join(
        f'<li class="comment"><div class="comment-author">{icon}<b>{label(2)}</b></div>'
        f"<p>{label(25)}.</p></li>"
        for _ in range(6)
    )
    footer = "".join(
        f'<div class="footer-col">{icon}<h4>{label(2)}</h4><p>{label(30)}.</p></div>'
        for _ in range(4)
    )
    head = (
        f"<style>{style}</style>"
        + '<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting",'
        + f'"headline":"Rugpijn na het sporten","description":"{label(40)}"}}</script>'
        + "".join(f'<script>window.cfg{i} = {{"k": "{label(60)}"}};</script>' for i in range(6))
    )
    article = page.replace("<p>", '<p class="wp-block-paragraph has-medium-font-size">')
    article = article.replace("</head>", head + "</head>")
    article = article.replace("</nav>", f'<ul class="menu">{menu}</ul></nav>', 1)
    article = article.replace("</main>", f'</main><ol class="comments">{comments}</ol>')
    article = article.replace("</aside>", f"{widgets}</aside>")
    return article.replace("</footer>", f"{footer}</footer>")


def baseline(page: str) -> object:
    """trafilatura's main-content extraction alone, with the options parse_article uses."""
    return trafilatura.bare_extraction(page, url=URL, **EXTRACTION_OPTIONS)


def whole(page: str) -> object:
    """What `distributor digest URL` does after the download: parse the article, digest it."""
    return build_digest(parse_article(page, URL))


def median_seconds(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median wall time of each function; calls interleaved so all see the same machine load."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def peak_bytes(function: Callable[[str], object], page: str) -> int:
    """Peak memory traced by tracemalloc during one call."""
    gc.collect()
    tracemalloc.start()
    function(page)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def measure(name: str, page: str, runs: int) -> None:
    """Measure one page and print its figures."""
    post = parse_article(page, URL)
    digest = build_digest(post)  # warm-up: language model, YAKE, caches, imports
    baseline(page)
    medians = median_seconds(
        {
            "baseline": lambda: baseline(page),
            "whole": lambda: whole(page),
            "parse": lambda: parse_article(page, URL),
            "digest": lambda: build_digest(post),
        },
        runs,
    )
    base, total = medians["baseline"], medians["whole"]
    base_peak = peak_bytes(baseline, page)
    whole_peak = peak_bytes(whole, page)
    print(f"{name} page: {len(page):,} bytes, {digest.word_count:,} words, runs {runs}")
    print(f"  baseline trafilatura : {base * 1000:7.1f} ms  peak {base_peak / 2**20:6.2f} MiB")
    print(f"  parse + build_digest : {total * 1000:7.1f} ms  peak {whole_peak / 2**20:6.2f} MiB")
    print(f"    parse_article      : {medians['parse'] * 1000:7.1f} ms")
    print(f"    build_digest       : {medians['digest'] * 1000:7.1f} ms")
    print(f"  ratio: time {total / base:.2f}x, peak memory {whole_peak / base_peak:.2f}x")


def main() -> None:
    """Measure the lean page and the themed page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    runs = parser.parse_args().runs
    page = make_page()
    measure("lean", page, runs)
    measure("themed", themed(page), runs)


if __name__ == "__main__":
    main()
