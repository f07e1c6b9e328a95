"""What the packaged word classes cost a worker: load time and memory per language, and lookups.

    .venv/bin/python benchmarks/lexicon.py

Each language is loaded in a fresh process whose simplemma dictionary for that language is
already loaded (keywords used it before): what is measured is spaCy's lookup index, read from
the installed `spacy-lookups-data` package, as RSS growth after loading and peak RSS growth
while reading. Then the cost of classifying 1,000 distinct unknown words (the slowest case:
every tail of every word is looked up).
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json, os, resource, time
import simplemma
from distributor.content import lexicon
language = {language!r}

def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

simplemma.lemmatize("warmup", lang=language)  # simplemma's own dictionary: used before, too
gc.collect()
before, peak_before = rss_mib(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
lexicon.word_classes("rugpijn", language)
load = time.perf_counter() - start
gc.collect()
after, peak_after = rss_mib(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
words = [f"woord{{i}}" for i in range(1000)]
start = time.perf_counter()
for word in words:
    lexicon.word_classes(word, language)
lookups = time.perf_counter() - start
print(json.dumps({{"load": load, "mib": after - before, "peak": (peak_after - peak_before) / 1024,
                  "lookup_us": lookups * 1000}}))
"""


def probe(language: str) -> dict[str, float]:
    """Load one language in a fresh interpreter and report what it cost."""
    output = subprocess.run(
        [sys.executable, "-c", PROBE.format(language=language)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    """Probe nl, en and fr."""
    for language in ("nl", "en", "fr"):
        figures = probe(language)
        print(
            f"{language}: first use {figures['load'] * 1000:.0f} ms, "
            f"+{figures['mib']:.0f} MiB RSS (peak +{figures['peak']:.0f} MiB while reading), "
            f"1,000 unknown words classified in {figures['lookup_us']:.0f} ms"
        )


if __name__ == "__main__":
    main()
