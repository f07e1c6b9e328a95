"""The Typer application every command module registers on."""

import typer

from distributor.wiring import from_environment

app = typer.Typer(
    name="distributor",
    help="Turn a blog's new posts into email newsletters and social posts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def check_settings() -> None:
    """Every command starts by checking the DISTRIBUTOR_* settings (a wrong one: exit 2)."""
    from_environment()
