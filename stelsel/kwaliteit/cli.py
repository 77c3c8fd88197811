"""CLI commands of the kwaliteit domain."""

import typer

kwaliteit_app = typer.Typer(help="Kwaliteit.", no_args_is_help=True)
