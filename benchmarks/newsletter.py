"""Newsletter benchmark: personalised messages per second, memory when streaming, SMTP throughput.

Measures, in one run on this machine:
  1. 10,000 personalised messages (signed tokens + personalise: no network), messages/s, against
     the naive path (Jinja + MJML compile + a fresh EmailMessage per recipient) measured in the
     same run; then every one of the 10,000 messages is parsed back and checked (not timed);
  2. peak memory (max RSS of a fresh process) streaming 10,000 vs 100,000 recipients;
  3. the same with DKIM signing (rsa-sha256, 2048-bit key), messages/s, against the bare RSA-2048
     signing rate of the same library in the same run (goal >= 0.5x); then every signed message
     is verified by dkimpy with a stub DNS (not timed);
  4. 10,000 messages built and sent over ONE reused connection to Postfix's smtp-sink, started
     here on a free loopback port.

Run: .venv/bin/python benchmarks/newsletter.py
"""

from __future__ import annotations

import argparse
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import dkim  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402

from distributor.channels.smtp import SmtpChannel  # noqa: E402
from distributor.dkim_keys import generate_key_pair  # noqa: E402
from distributor.model import Digest, Message, Recipient  # noqa: E402
from distributor.render.dkim_signing import DkimKey  # noqa: E402
from distributor.render.newsletter import (  # noqa: E402
    CompiledNewsletter,
    PracticeInfo,
    compile_newsletter,
    decoded_body,
    filled_bodies,
    personalise,
    recipient_values,
)
from distributor.render.newsletter_templates import environment, templates_directory  # noqa: E402
from distributor.tokens import make_token, preferences_url, unsubscribe_url  # noqa: E402

N = 10_000
NAIVE_N = 300
DKIM_N = 2_000
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
KEY = b"benchmark-signing-key-0123456789abcdef"
PUBLIC = "https://nieuws.praktijk.example"

DIGEST = Digest(
    title="Hoe ik als kinesist mijn eigen rugpijn aanpakte: praktische tips uit eigen ervaring",
    language="nl",
    summary=(
        "Elias Vandendriessche werkt al zes jaar bij de praktijk en worstelde zelf jarenlang met "
        "terugkerende rugpijn en een hernia. Vandaag is zijn pijn volledig verdwenen.\n\n"
        "Hij vertelt hoe hij het aanpakte: begrijpen wat er gebeurt, in beweging blijven, de "
        "belasting stap voor stap opbouwen en zich laten begeleiden."
    ),
    reading_time=5,
    word_count=1180,
    highlights=(
        "Begrijp je pijn: een geïrriteerde zenuw doet vaak meer pijn dan de schade groot is.",
        "Blijf bewegen binnen wat haalbaar is; bedrust vertraagt het herstel.",
        "Bouw je belasting geleidelijk op, met een schema dat bij jou past.",
        "Let op je houding bij lang zitten en wissel vaak van positie.",
        "Laat je begeleiden door een kinesist wanneer de pijn niet afneemt.",
    ),
    keywords=("rugpijn", "hernia", "kinesist"),
    hashtags=("#rugpijn",),
    image="https://praktijk.example/media/rugpijn.jpg",
    url="https://praktijk.example/blog/rugpijn-hernia-kinesist",
    published=datetime(2026, 11, 3, tzinfo=UTC),
    slug="rugpijn-hernia-kinesist",
)
PRACTICE = PracticeInfo(
    name="Kinesitherapie Willems",
    from_email="nieuwsbrief@praktijk.example",
    address="Kerkstraat 12, 8500 Kortrijk",
    logo="https://praktijk.example/media/logo.png",
    reply_to="info@praktijk.example",
    site_url="https://praktijk.example",
    public_url=PUBLIC,
    note="Dit is algemeen advies, geen diagnose.",
)


def recipients(count: int) -> Iterator[Recipient]:
    """Subscribers streamed one by one, never all in memory."""
    for number in range(1, count + 1):
        yield Recipient(f"lezer{number}@example.org", f"Lezer {number}", "nl", number)


def links(recipient: Recipient) -> dict[str, str]:
    sid = recipient.subscriber_id or 0
    return {
        "unsubscribe_url": unsubscribe_url(PUBLIC, make_token(KEY, sid, 7, "unsubscribe")),
        "preferences_url": preferences_url(PUBLIC, make_token(KEY, sid, 7, "preferences")),
    }


def messages(
    compiled: CompiledNewsletter, count: int, dkim: DkimKey | None = None
) -> Iterator[Message]:
    """The campaign's messages, personalised as a worker would build them."""
    for recipient in recipients(count):
        key = f"d{recipient.subscriber_id}-c7"
        yield personalise(
            compiled,
            recipient,
            **links(recipient),
            message_id=f"<{key}@praktijk.example>",
            now=NOW,
            key=key,
            dkim=dkim,
        )


def naive_message(recipient: Recipient) -> bytes:
    """The naive path: render and compile per recipient, serialise a fresh EmailMessage."""
    from mjml import mjml2html

    from distributor.render.newsletter import _template_context

    env = environment(templates_directory(), "nl")
    url = links(recipient)
    context = _template_context(DIGEST, "nl", PRACTICE)
    query = context["unsubscribe_link"].split("?", 1)[1]
    context |= {
        "greeting": f"Dag {recipient.name},",
        "unsubscribe_link": f"{url['unsubscribe_url']}?{query}",
        "preferences_link": f"{url['preferences_url']}?{query}",
    }
    html = mjml2html(env.get_template("newsletter.mjml.j2").render(context), fonts={})
    text = env.get_template("newsletter.txt.j2").render(context).strip() + "\n"
    email = EmailMessage()
    email["Date"] = format_datetime(NOW)
    email["From"] = f"{PRACTICE.name} <{PRACTICE.from_email}>"
    email["To"] = f"{recipient.name} <{recipient.email}>"
    email["Subject"] = DIGEST.title
    email["Message-ID"] = f"<d{recipient.subscriber_id}-c7@praktijk.example>"
    email["Reply-To"] = PRACTICE.reply_to
    email["List-Unsubscribe"] = f"<{url['unsubscribe_url']}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(text, cte="quoted-printable")
    email.add_alternative(html, subtype="html", cte="quoted-printable")
    return email.as_bytes(policy=policy.SMTP)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def verify_all(compiled: CompiledNewsletter, count: int) -> None:
    """Parse every message back: both parts decode to the template with that reader's values."""
    for recipient, message in zip(recipients(count), messages(compiled, count), strict=True):
        email = message_from_bytes(message.raw, policy=policy.default)
        html, text = filled_bodies(
            compiled, recipient_values(compiled, recipient, **links(recipient))
        )
        assert decoded_body(email.get_body(("html",))) == html, recipient
        assert decoded_body(email.get_body(("plain",))) == text, recipient
        assert email["To"].addresses[0].addr_spec == recipient.email
        assert email["List-Unsubscribe"] == f"<{links(recipient)['unsubscribe_url']}>"


def stream_child(count: int) -> None:
    """(in a fresh process) stream `count` messages and print the peak RSS in KiB."""
    compiled = compile_newsletter(DIGEST, locale="nl", practice=PRACTICE, campaign_id=7)
    total = sum(len(m.raw) for m in messages(compiled, count))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, total)


def peak_rss(count: int) -> int:
    output = subprocess.run(
        [sys.executable, __file__, "--stream", str(count)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(output[0])


def dkim_key() -> tuple[DkimKey, bytes]:
    """A fresh RSA-2048 key and its DNS TXT record."""
    pair = generate_key_pair("rsa", 2048)
    return DkimKey("praktijk.example", "bench", pair.private_pem), pair.record.encode()


def rsa_sign_seconds(secret: Any, count: int) -> float:
    """Seconds for `count` bare RSA-2048 PKCS#1 v1.5 SHA-256 signatures (DKIM's ceiling)."""
    data = b"x" * 600  # about the size of a newsletter's canonical signed headers
    started = time.perf_counter()
    for _ in range(count):
        secret.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return time.perf_counter() - started


def dkim_run(compiled: CompiledNewsletter, count: int, rounds: int = 10) -> None:
    """DKIM-signed messages/s against bare RSA signing, interleaved in `rounds` on a shared
    machine; then every signature is checked by dkimpy (not timed)."""
    key, record = dkim_key()
    secret = serialization.load_pem_private_key(key.private_key, password=None)
    next(messages(compiled, 1, dkim=key))  # parse the key once, as a worker does
    signed: list[bytes] = []
    bare_seconds = dkim_seconds = 0.0
    per_round = count // rounds
    for _ in range(rounds):
        bare_seconds += rsa_sign_seconds(secret, per_round)
        started = time.perf_counter()
        signed += [m.raw for m in messages(compiled, per_round, dkim=key)]
        dkim_seconds += time.perf_counter() - started
    ceiling, dkim_rate = rate(len(signed), bare_seconds), rate(len(signed), dkim_seconds)
    print(
        f"RSA-2048 signing (cryptography/OpenSSL), same run: {ceiling:,.0f} signatures/s "
        f"({len(signed):,}, interleaved with the DKIM rounds)"
    )
    print(
        f"with DKIM (rsa-sha256, 2048 bit): {dkim_rate:,.0f} personalised messages/s "
        f"({len(signed):,} messages) = {dkim_rate / ceiling:.2f}x the signing rate (goal >= 0.5x)"
    )

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == b"bench._domainkey.praktijk.example." else None

    started = time.perf_counter()
    assert all(dkim.verify(raw, dnsfunc=lookup) for raw in signed)
    print(
        f"verified: all {len(signed):,} DKIM signatures by dkimpy with a stub DNS "
        f"({time.perf_counter() - started:.1f} s, not timed above)"
    )


def smtp_sink_run(compiled: CompiledNewsletter, count: int) -> tuple[float, str]:
    """Build and send `count` messages over one connection to smtp-sink; seconds and counters."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["/usr/sbin/smtp-sink", "-c", "-u", "nobody", f"127.0.0.1:{port}", "64"]
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: the counters would fill a pipe
        sink = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            time.sleep(0.3)
            seconds = send_over_one_connection(compiled, count, port)
            time.sleep(0.3)
        finally:
            sink.terminate()
            sink.wait(timeout=10)
        log.seek(0)
        output = log.read().decode(errors="replace")
    counters = output.replace("\r", "\n").strip().splitlines()[-1]
    return seconds, counters


def send_over_one_connection(compiled: CompiledNewsletter, count: int, port: int) -> float:
    """Seconds to build and send `count` messages through one SmtpChannel; all must succeed."""
    channel = SmtpChannel("127.0.0.1", port)
    started = time.perf_counter()
    receipts = [channel.send(message) for message in messages(compiled, count)]
    channel.close()
    seconds = time.perf_counter() - started
    failed = [r for r in receipts if not r.ok]
    assert not failed, failed[:3]
    return seconds


def main() -> None:
    print("machine: 2 cores (shared), Python", sys.version.split()[0])
    started = time.perf_counter()
    compiled = compile_newsletter(DIGEST, locale="nl", practice=PRACTICE, campaign_id=7)
    compile_ms = (time.perf_counter() - started) * 1000
    sample = next(messages(compiled, 1))
    print(f"compile once (Jinja + MJML + MIME template): {compile_ms:.1f} ms")
    print(f"message size: {len(sample.raw):,} bytes (HTML {len(compiled.html):,} characters)")

    started = time.perf_counter()
    built = sum(1 for _ in messages(compiled, N))
    fast = rate(built, time.perf_counter() - started)
    started = time.perf_counter()
    for recipient in recipients(NAIVE_N):
        naive_message(recipient)
    naive = rate(NAIVE_N, time.perf_counter() - started)
    print(f"personalised, compiled once: {fast:,.0f} messages/s ({N:,} messages, one core)")
    print(f"naive (Jinja + MJML + EmailMessage each): {naive:,.0f} messages/s ({NAIVE_N} messages)")
    print(f"speed-up: {fast / naive:.1f}x (goal >= 20x; goal >= 1,000 messages/s)")

    naive_email = message_from_bytes(naive_message(next(recipients(1))), policy=policy.default)
    fast_email = message_from_bytes(sample.raw, policy=policy.default)
    for part in ("html", "plain"):
        naive_body = decoded_body(naive_email.get_body((part,))).rstrip("\n")
        assert naive_body == decoded_body(fast_email.get_body((part,))).rstrip("\n"), part
    started = time.perf_counter()
    verify_all(compiled, N)
    print(
        f"verified: all {N:,} messages parse back to their bodies and headers "
        f"({time.perf_counter() - started:.1f} s, not timed above); naive and fast bodies equal"
    )

    small, large = peak_rss(N), peak_rss(10 * N)
    print(
        f"peak RSS streaming {N:,}: {small / 1024:.1f} MiB; {10 * N:,}: {large / 1024:.1f} MiB "
        f"(ratio {large / small:.3f}, goal <= 1.2)"
    )

    dkim_run(compiled, DKIM_N)

    seconds, counters = smtp_sink_run(compiled, N)
    print(
        f"smtp-sink: {N:,} built and sent over one connection in {seconds:.1f} s = "
        f"{rate(N, seconds):,.0f} messages/s; sink counters: {counters}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream", type=int, help="(internal) stream N messages, print max RSS")
    arguments = parser.parse_args()
    if arguments.stream:
        stream_child(arguments.stream)
    else:
        main()
