"""`distributor dkim keygen`: make a DKIM key and print the DNS record to publish."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from distributor.cli.app import app
from distributor.dkim_keys import generate_key_pair, zone_line
from distributor.errors import UserError
from distributor.wiring import from_environment

dkim_app = typer.Typer(help="DKIM signing keys.", no_args_is_help=True)
app.add_typer(dkim_app, name="dkim")
out = Console(highlight=False, soft_wrap=True)


@dkim_app.command("keygen")
def keygen_command(
    selector: str = typer.Option("distributor", "--selector", help="The DKIM selector (s=)."),
    domain: str | None = typer.Option(
        None, "--domain", help="Signing domain (d=); default: DISTRIBUTOR_FROM_EMAIL's domain."
    ),
    algorithm: str = typer.Option("rsa", "--algorithm", help="rsa (2048 bit) or ed25519."),
    out_file: Path | None = typer.Option(
        None, "--out", help="Where to write the private key; default: data/dkim-SELECTOR.pem."
    ),
) -> None:
    """Write a new private key (mode 0600) and print the TXT record to publish in DNS."""
    settings = from_environment().settings
    if algorithm not in ("rsa", "ed25519"):
        raise UserError(f"unknown algorithm {algorithm!r}", "Use --algorithm rsa or ed25519.")
    if not selector.replace("-", "").replace("_", "").isalnum():
        raise UserError(f"not a DKIM selector: {selector!r}", "Use letters, digits and '-'.")
    domain = domain or settings.from_email.rpartition("@")[2]
    if not domain or domain == "localhost":
        raise UserError("no signing domain", "Pass --domain example.be (your From domain).")
    path = out_file or settings.data_dir / f"dkim-{selector}.pem"
    pair = generate_key_pair(algorithm)  # type: ignore[arg-type]
    _write_secret(path, pair.private_pem)
    prefix = "DKIM_ED25519" if algorithm == "ed25519" else "DKIM"
    out.print(f"private key written to {path} (keep it secret)")
    out.print(f"publish this TXT record at {selector}._domainkey.{domain}:")
    typer.echo(pair.record)
    out.print("as a zone file line:")
    typer.echo(zone_line(selector, domain, pair.record))
    out.print(
        f"then set DISTRIBUTOR_{prefix}_SELECTOR={selector}, DISTRIBUTOR_DKIM_DOMAIN={domain} "
        f"and DISTRIBUTOR_{prefix}_PRIVATE_KEY to the file's contents"
    )


def _write_secret(path: Path, content: bytes) -> None:
    """Create the file readable by its owner only; never replace an existing key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UserError(
            f"{path} already exists", "Choose another --selector or --out; keys are never replaced."
        ) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
