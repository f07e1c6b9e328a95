"""The Typer application every command module registers on."""

import typer

app = typer.Typer(
    name="distributor",
    help="Turn a blog's new posts into email newsletters and social posts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
