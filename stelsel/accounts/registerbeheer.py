"""Who may edit the register, and the audit of every edit (registerbeheer).

The register keeps the data and the workflow (register.service: drafts, review, publication,
history); it lies below accounts, so the roles and the audit log are applied here, the one
place both the write API and the beheer pages call.

- A *redacteur* belongs to one aanbieder and edits that aanbieder and its diensten: drafts,
  submitting for review, archiving and restoring are proposals; it never publishes.
- A *registerbeheerder* edits every entry, reviews, publishes and rejects.
- Everyone else (and a redacteur of another aanbieder) is refused (403), audited.
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.errors import NietGevonden, Verboden
from stelsel.register import service as register

BEWERKERS = (rollen.REDACTEUR, rollen.REGISTERBEHEERDER)


def is_bewerker(actor: Actor | None) -> bool:
    return actor is not None and actor.rol in BEWERKERS


def mag_bewerken(actor: Actor, aanbieder_slug: str) -> bool:
    """The rule (pure): a registerbeheerder edits all, a redacteur its own aanbieder's entries."""
    if actor.rol == rollen.REGISTERBEHEERDER:
        return True
    return (
        actor.rol == rollen.REDACTEUR
        and actor.aanbieder_id is not None
        and bool(aanbieder_slug)
        and actor.aanbieder_id == register.aanbieder_uuid(aanbieder_slug)
    )


def _weiger(session: Session, actor: Actor, actie: str, soort: str, slug: str, reden: str):
    accounts.audit(
        session=session,
        actor=actor,
        actie=actie,
        object_type=soort,
        object_id=str(register.entry_uuid(soort, slug)) if slug else None,
        doel="registerbeheer",
        toegestaan=False,
    )
    return Verboden(reden, bewaar=True)


def _eis(session: Session, actor: Actor, actie: str, soort: str, slug: str, *eigenaars: str):
    """Refuse (403, audited) unless the actor may edit entries of every one of these aanbieders."""
    if actor.rol not in BEWERKERS:
        raise _weiger(
            session, actor, actie, soort, slug, "Alleen redacteuren en registerbeheerders bewerken."
        )
    for e in eigenaars:
        if not mag_bewerken(actor, e):
            raise _weiger(
                session,
                actor,
                actie,
                soort,
                slug,
                "Een redacteur bewerkt alleen de gegevens van de eigen aanbieder.",
            )


def _eis_beheerder(session: Session, actor: Actor, actie: str, soort: str, slug: str) -> None:
    if actor.rol != rollen.REGISTERBEHEERDER:
        raise _weiger(
            session,
            actor,
            actie,
            soort,
            slug,
            "Alleen een registerbeheerder publiceert of wijst af.",
        )


def _log(session: Session, actor: Actor, actie: str, v: register.Versie) -> None:
    accounts.audit(
        session=session,
        actor=actor,
        actie=actie,
        object_type=v.soort,
        object_id=str(register.entry_uuid(v.soort, v.slug)),
        doel=f"registerbeheer: versie {v.nummer} ({v.status})",
    )


def _bestaand_eigenaar(session: Session, actor: Actor, actie: str, soort: str, slug: str) -> str:
    eigen = register.eigenaar(session=session, soort=soort, slug=slug)
    if eigen is None:
        # not known: a bewerker learns it, anyone else is refused first
        _eis(session, actor, actie, soort, slug)
        raise NietGevonden(f"{soort.capitalize()} '{slug}'")
    return eigen


def werkversie(*, session: Session, actor: Actor, soort: str, slug: str) -> register.Werkversie:
    """The entry with its open draft, for someone who may edit it."""
    eigen = _bestaand_eigenaar(session, actor, "lezen", soort, slug)
    _eis(session, actor, "lezen", soort, slug, eigen)
    return register.werkversie(session=session, soort=soort, slug=slug)


def mag_aanmaken(*, session: Session, actor: Actor, soort: str, gegevens: dict[str, str]) -> None:
    """Refuse (403, audited) a new entry the actor may not propose (before its input is judged)."""
    slug = gegevens.get("id", "")
    if soort == "aanbieder":
        if actor.rol != rollen.REGISTERBEHEERDER:
            raise _weiger(
                session,
                actor,
                "aanmaken",
                soort,
                slug,
                "Alleen een registerbeheerder neemt een nieuwe aanbieder op.",
            )
    else:
        _eis(session, actor, "aanmaken", soort, slug, gegevens.get("aanbieder", ""))


def bewaar(
    *,
    session: Session,
    actor: Actor,
    soort: str,
    slug: str | None,
    gegevens: dict[str, str],
    verwacht_etag: str | None,
) -> register.Versie:
    """Create (slug None) or change an entry as a draft."""
    actie = "aanmaken" if slug is None else "wijzigen"
    doel_slug = gegevens.get("id", "") if slug is None else slug
    nieuw_eigenaar = doel_slug if soort == "aanbieder" else gegevens.get("aanbieder", "")
    if slug is None:
        mag_aanmaken(session=session, actor=actor, soort=soort, gegevens=gegevens)
    else:
        eigen = _bestaand_eigenaar(session, actor, actie, soort, slug)
        _eis(session, actor, actie, soort, slug, eigen, nieuw_eigenaar or eigen)
    v = register.bewaar(
        session=session,
        soort=soort,
        slug=slug,
        gegevens=gegevens,
        verwacht_etag=verwacht_etag,
        auteur_id=actor.id,
        auteur_rol=actor.rol,
    )
    _log(session, actor, actie, v)
    return v


def archiveer(
    *, session: Session, actor: Actor, soort: str, slug: str, verwacht_etag: str | None
) -> register.Versie:
    """Propose archiving an entry."""
    return _namens(
        session, actor, "archiveren", soort, slug, register.archiveer, verwacht_etag=verwacht_etag
    )


def _namens(
    session: Session,
    actor: Actor,
    actie: str,
    soort: str,
    slug: str,
    stap: Callable[..., register.Versie],
    **invoer: Any,
) -> register.Versie:
    """A step on an existing entry, if the actor may take it: taken in the register with the
    actor as author, then audited."""
    eigen = _bestaand_eigenaar(session, actor, actie, soort, slug)
    _eis(session, actor, actie, soort, slug, eigen)
    v = stap(
        session=session, soort=soort, slug=slug, auteur_id=actor.id, auteur_rol=actor.rol, **invoer
    )
    _log(session, actor, actie, v)
    return v


def herstel(
    *,
    session: Session,
    actor: Actor,
    soort: str,
    slug: str,
    nummer: int,
    verwacht_etag: str | None,
) -> register.Versie:
    """Make an earlier version the draft again."""
    return _namens(
        session,
        actor,
        "herstellen",
        soort,
        slug,
        register.herstel,
        nummer=nummer,
        verwacht_etag=verwacht_etag,
    )


def geschiedenis(*, session: Session, actor: Actor, soort: str, slug: str) -> list[register.Versie]:
    eigen = _bestaand_eigenaar(session, actor, "lezen", soort, slug)
    _eis(session, actor, "lezen", soort, slug, eigen)
    return register.geschiedenis(session=session, soort=soort, slug=slug)


def versie(*, session: Session, actor: Actor, versie_id: uuid.UUID) -> register.Versie:
    """One version, for who may edit its entry."""
    if actor.rol not in BEWERKERS:
        raise _weiger(session, actor, "lezen", "versie", "", "Alleen voor redacteuren.")
    v = register.get_versie(session=session, versie_id=versie_id)
    _eis(session, actor, "lezen", v.soort, v.slug, v.aanbieder_slug)
    return v


def versies(
    *,
    session: Session,
    actor: Actor,
    status: str | None,
    offset: int = 0,
    limit: int | None = 100,
) -> tuple[list[register.Versie], int]:
    """The versions the actor may see: all for a registerbeheerder, its own for a redacteur."""
    _eis(session, actor, "lezen", "versie", "")
    eigen = None
    if actor.rol == rollen.REDACTEUR:
        a = register.get_aanbieder(session=session, aanbieder_id=str(actor.aanbieder_id))
        eigen = a.slug if a is not None else "-"
    return register.versies(
        session=session, status=status, aanbieder_slug=eigen, offset=offset, limit=limit
    )


def dien_in(
    *, session: Session, actor: Actor, versie_id: uuid.UUID, verwacht_etag: str | None = None
) -> register.Versie:
    v = versie(session=session, actor=actor, versie_id=versie_id)
    v = register.dien_in(session=session, versie_id=v.id, verwacht_etag=verwacht_etag)
    _log(session, actor, "indienen", v)
    return v


def publiceer(
    *, session: Session, actor: Actor, versie_id: uuid.UUID, verwacht_etag: str | None = None
) -> register.Versie:
    v = versie(session=session, actor=actor, versie_id=versie_id)
    _eis_beheerder(session, actor, "publiceren", v.soort, v.slug)
    v = register.publiceer(
        session=session, versie_id=v.id, beoordelaar_id=actor.id, verwacht_etag=verwacht_etag
    )
    _log(session, actor, "publiceren", v)
    return v


def wijs_af(
    *,
    session: Session,
    actor: Actor,
    versie_id: uuid.UUID,
    toelichting: str,
    verwacht_etag: str | None = None,
) -> register.Versie:
    v = versie(session=session, actor=actor, versie_id=versie_id)
    _eis_beheerder(session, actor, "afwijzen", v.soort, v.slug)
    v = register.wijs_af(
        session=session,
        versie_id=v.id,
        beoordelaar_id=actor.id,
        toelichting=toelichting,
        verwacht_etag=verwacht_etag,
    )
    _log(session, actor, "afwijzen", v)
    return v


def bevestig(*, session: Session, actor: Actor, aanbieder: str, vandaag: date | None = None) -> int:
    """ "Still correct": the aanbieder and all its diensten checked today, in one step."""
    a = register.get_aanbieder(session=session, aanbieder_id=aanbieder, ook_gearchiveerd=False)
    if a is None:
        _eis(session, actor, "bevestigen", "aanbieder", "")
        raise NietGevonden(f"Aanbieder '{aanbieder}'")
    _eis(session, actor, "bevestigen", "aanbieder", a.slug, a.slug)
    n = register.bevestig(session=session, aanbieder_slug=a.slug, vandaag=vandaag)
    accounts.audit(
        session=session,
        actor=actor,
        actie="bevestigen",
        object_type="aanbieder",
        object_id=str(a.id),
        doel=f"registerbeheer: nog juist ({n} items gecontroleerd)",
    )
    return n


# --- reminders --------------------------------------------------------------------------------


def stuur_herinneringen(*, session: Session, vandaag: date | None = None) -> dict[str, int]:
    """Queue a reminder to the redacteuren of every aanbieder with diensten not checked for a
    year: at most one per aanbieder per month, so a daily cron job is safe to rerun. Returns
    counts: verstuurd (aanbieders reminded now), al_verstuurd, zonder_redacteur."""
    from stelsel.meldingen import service as meldingen

    dag = vandaag or date.today()
    periode = dag.strftime("%Y-%m")
    uit = {"verstuurd": 0, "al_verstuurd": 0, "zonder_redacteur": 0}
    redacteuren = accounts.emails_met_rol_per_aanbieder(session=session, rol=rollen.REDACTEUR)
    for slug, naam, aantal in register.aanbieders_met_verouderd(session=session, vandaag=dag):
        emails = redacteuren.get(register.aanbieder_uuid(slug), [])
        if not emails:
            uit["zonder_redacteur"] += 1
            continue
        if not register.herinnering_nieuw(
            session=session, aanbieder_slug=slug, periode=periode, aantal=aantal
        ):
            uit["al_verstuurd"] += 1
            continue
        meldingen.zet_klaar(
            session=session,
            soort="register.herinnering",
            sleutel=f"register-herinnering:{slug}:{periode}",
            onderwerp=f"{aantal} dienst(en) van {naam} zijn een jaar niet gecontroleerd",
            gegevens={
                "aanbieder": slug,
                "aanbieder_naam": naam,
                "aantal": aantal,
                "link": f"{get_settings().base_url.rstrip('/')}/beheer/aanbieders/{slug}",
            },
            emails=emails,
            webhook=False,
        )
        uit["verstuurd"] += 1
    session.flush()
    return uit
