"""`stelsel opschonen` (the outbox and koppeling commands are in stelsel/meldingen/cli.py)."""

import typer

from stelsel.db import get_engine, session_scope
from stelsel.doorverwijzing import service


def opschonen() -> None:
    """Remove personal data of closed cases past the retention period."""
    engine = get_engine()
    with session_scope(engine) as session:
        n = service.opschonen(session=session)
    typer.echo(f"{n} hulpvra{'ag' if n == 1 else 'gen'} geanonimiseerd.")
