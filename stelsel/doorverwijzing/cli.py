"""`stelsel opschonen` and `stelsel termijnen` (the outbox and koppeling commands are in
stelsel/meldingen/cli.py)."""

import typer

from stelsel.db import get_engine, session_scope
from stelsel.doorverwijzing import service


def opschonen() -> None:
    """Remove personal data of closed cases past the retention period (and of cases whose
    referrals stayed open past it plus the grace period: those are closed as verlopen)."""
    engine = get_engine()
    with session_scope(engine) as session:
        n = service.opschonen(session=session)
    typer.echo(f"{n} hulpvra{'ag' if n == 1 else 'gen'} geanonimiseerd.")


def termijnen() -> None:
    """Remind receivers before the first-contact deadline, escalate overdue referrals and
    expire untouched ones (run it every hour, e.g. from cron)."""
    engine = get_engine()
    with session_scope(engine) as session:
        b = service.bewaak(session=session)
    typer.echo(f"{b.herinnerd} herinnerd, {b.geescaleerd} geëscaleerd, {b.verlopen} verlopen.")
