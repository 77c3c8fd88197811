"""CLI commands of the analyse domain."""

import typer

analyse_app = typer.Typer(help="Analyse.", no_args_is_help=True)
