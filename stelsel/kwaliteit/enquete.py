"""Surveys: invitations after a closed case, the single-use signed link, and the response.

An invitation is made only for a case whose entrepreneur gave the `enquete` consent and did not
withdraw it (doorverwijzing.service.gesloten_zaken decides which cases are closed), at most one
per case. The e-mail carries a signed link (itsdangerous, `STELSEL_SECRET_KEY`) valid
`STELSEL_ENQUETE_GELDIG_DAGEN` days; only the token's hash is stored. A response is written
once: the invitation is claimed with one conditional UPDATE, so a second submit, a forged or an
expired link writes nothing.
"""

import hashlib
import importlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Uuid, insert, literal, select, update
from sqlalchemy.orm import Session

from stelsel.config import get_settings
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.errors import NietGevonden, Ongeldig
from stelsel.kwaliteit.models import (
    BRON_ENQUETE,
    FASEN,
    GROOTTES,
    OPGELOST,
    OPMERKING_MAX,
    EnqueteAntwoord,
    EnqueteAntwoordThema,
    EnqueteUitnodiging,
    EnqueteUitnodigingThema,
)
from stelsel.meldingen import service as meldingen

# How far back the cron looks for closed cases: a case closed longer ago is not asked any more.
VENSTER_DAGEN = 60
GEEN_UITNODIGING = "Deze link werkt niet (meer)."

# The labels of the answers, in the order the page shows them (B1 Dutch).
OPGELOST_LABELS = {
    "volledig": "Ja, helemaal",
    "deels": "Voor een deel",
    "nog_niet_verwacht_wel": "Nog niet, maar dat verwacht ik wel",
    "nog_niet_verwacht_niet": "Nee, en dat verwacht ik ook niet",
}
assert tuple(OPGELOST_LABELS) == OPGELOST
# The segment is asked in the questionnaire (two optional questions), not at intake: the
# entrepreneur gives it, the adviser need not (docs/kwaliteit-enquete.md).
FASE_LABELS = {"starter": "Korter dan 5 jaar", "gevestigd": "5 jaar of langer"}
GROOTTE_LABELS = {
    "zzp": "Alleen ikzelf",
    "micro": "2 tot 10 mensen",
    "klein": "10 tot 50 mensen",
    "middel": "50 tot 250 mensen",
}
assert tuple(FASE_LABELS) == FASEN and tuple(GROOTTE_LABELS) == GROOTTES


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="enquete-link")


def _link(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/enquete/{token}"


# Invitations --------------------------------------------------------------------------------


def uitnodigen(*, session: Session, nu: datetime | None = None) -> int:
    """Invite every closed case with `enquete` consent that has no invitation yet: one e-mail
    per case through the outbox. Idempotent; returns how many were invited."""
    nu = nu or _now()
    zaken = doorverwijzing.gesloten_zaken(
        session=session, sinds=nu - timedelta(VENSTER_DAGEN), nu=nu
    )
    if not zaken:
        return 0
    al: set[uuid.UUID] = set()
    ids = [z.hulpvraag_id for z in zaken]
    for start in range(0, len(ids), 500):
        al.update(
            session.scalars(
                select(EnqueteUitnodiging.hulpvraag_id).where(
                    EnqueteUitnodiging.hulpvraag_id.in_(ids[start : start + 500])
                )
            )
        )
    geldig = get_settings().enquete_geldig_dagen
    aantal = 0
    for z in zaken:
        if z.hulpvraag_id in al:
            continue
        uid = uuid.uuid4()
        token = _serializer().dumps(str(uid))
        session.add(
            EnqueteUitnodiging(
                id=uid,
                hulpvraag_id=z.hulpvraag_id,
                doorverwijzing_id=z.doorverwijzing_id,
                aanbieder_id=z.aanbieder_id,
                token_hash=_hash(token),
                aangemaakt_op=nu,
                verloopt_op=nu + timedelta(days=geldig),
                dienst_id=z.dienst_id,
                gemeente_code=z.gemeente_code,
                arbeidsmarktregio_code=z.arbeidsmarktregio_code,
                corop_code=z.corop_code,
                provincie_code=z.provincie_code,
                eerste_keer_goed=z.eerste_keer_goed,
                aantal_doorverwijzingen=z.aantal_doorverwijzingen,
            )
        )
        session.add_all(EnqueteUitnodigingThema(uitnodiging_id=uid, thema=t) for t in z.themas)
        # keyed under the entrepreneur's prefix: removing the case's data drops it if unsent
        meldingen.zet_klaar(
            session=session,
            soort="ondernemer.enquete",
            sleutel=f"{z.sleutel}enquete",
            onderwerp="Hoe ging het? Een korte vragenlijst",
            gegevens={"link": _link(token), "dagen": geldig},
            emails=[z.email],
        )
        aantal += 1
    session.flush()
    return aantal


# The link -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uitnodiging:
    """What the questionnaire page needs to know about a link."""

    id: uuid.UUID
    beantwoord: bool
    verloopt_op: datetime


def _uitnodiging_id(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(
            _serializer().loads(token, max_age=get_settings().enquete_geldig_dagen * 86400)
        )
    except (BadSignature, ValueError):
        return None


def open_link(*, session: Session, token: str) -> Uitnodiging:
    """The invitation behind a link; NietGevonden when forged, unknown or expired."""
    uid = _uitnodiging_id(token)
    rij = (
        session.execute(
            select(
                EnqueteUitnodiging.id,
                EnqueteUitnodiging.token_hash,
                EnqueteUitnodiging.verloopt_op,
                EnqueteUitnodiging.beantwoord_op,
            ).where(EnqueteUitnodiging.id == uid)
        ).first()
        if uid
        else None
    )
    if rij is None or rij.token_hash != _hash(token):
        raise NietGevonden(GEEN_UITNODIGING)
    if rij.beantwoord_op is None and _utc(rij.verloopt_op) <= _now():
        raise NietGevonden(GEEN_UITNODIGING)
    return Uitnodiging(rij.id, rij.beantwoord_op is not None, _utc(rij.verloopt_op))


# The response -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Antwoorden:
    """The answers as given (form strings); `controleer` turns them into values."""

    csat: str | None = None
    ces: str | None = None
    opgelost: str | None = None
    nps: str | None = None
    aantal_organisaties: str | None = None
    opmerking: str | None = None
    fase: str | None = None
    grootte: str | None = None


@dataclass(frozen=True)
class Waarden:
    csat: int
    ces: int
    opgelost: str
    nps: int
    aantal_organisaties: int | None
    opmerking: str | None
    # '{fase}_{grootte}' when both were answered, else None
    segment: str | None = None


def _getal(tekst: str | None, laag: int, hoog: int) -> int | None:
    try:
        n = int((tekst or "").strip())
    except ValueError:
        return None
    return n if laag <= n <= hoog else None


def controleer(a: Antwoorden) -> tuple[Waarden | None, dict[str, str]]:
    """Check every answer; returns the values, or every problem at once by field (B1 Dutch)."""
    fouten: dict[str, str] = {}
    csat = _getal(a.csat, 1, 10)
    if csat is None:
        fouten["csat"] = "Kies een cijfer van 1 tot en met 10."
    ces = _getal(a.ces, 1, 5)
    if ces is None:
        fouten["ces"] = "Kies hoe gemakkelijk het was, van 1 tot en met 5."
    opgelost = (a.opgelost or "").strip()
    if opgelost not in OPGELOST:
        fouten["opgelost"] = "Kies of uw vraag is opgelost."
    nps = _getal(a.nps, 0, 10)
    if nps is None:
        fouten["nps"] = "Kies een cijfer van 0 tot en met 10."
    aantal: int | None = None
    if (a.aantal_organisaties or "").strip():
        aantal = _getal(a.aantal_organisaties, 0, 50)
        if aantal is None:
            fouten["aantal_organisaties"] = (
                "Vul een getal in van 0 tot en met 50, of laat dit leeg."
            )
    opmerking = (a.opmerking or "").strip() or None
    if opmerking is not None and len(opmerking) > OPMERKING_MAX:
        fouten["opmerking"] = f"Uw opmerking is te lang: hooguit {OPMERKING_MAX} tekens."
    fase = (a.fase or "").strip() or None
    if fase is not None and fase not in FASEN:
        fouten["fase"] = "Kies hoe lang uw bedrijf bestaat, of laat dit leeg."
    grootte = (a.grootte or "").strip() or None
    if grootte is not None and grootte not in GROOTTES:
        fouten["grootte"] = "Kies hoeveel mensen er werken, of laat dit leeg."
    if fouten:
        return None, fouten
    assert csat is not None and ces is not None and nps is not None
    segment = f"{fase}_{grootte}" if fase and grootte else None
    return Waarden(csat, ces, opgelost, nps, aantal, opmerking, segment), {}


class AlBeantwoord(Ongeldig):
    """The invitation was answered before: the stored response stays as it is."""

    def __init__(self) -> None:
        super().__init__("uitnodiging", "deze vragenlijst is al ingevuld")


_DIMENSIES = (
    EnqueteUitnodiging.aanbieder_id,
    EnqueteUitnodiging.dienst_id,
    EnqueteUitnodiging.gemeente_code,
    EnqueteUitnodiging.arbeidsmarktregio_code,
    EnqueteUitnodiging.corop_code,
    EnqueteUitnodiging.provincie_code,
    EnqueteUitnodiging.segment,
    EnqueteUitnodiging.eerste_keer_goed,
    EnqueteUitnodiging.aantal_doorverwijzingen,
)


def beantwoord(*, session: Session, token: str, antwoorden: Antwoorden) -> uuid.UUID:
    """Record the response to an invitation, once. Ongeldig (first problem) on a bad answer,
    AlBeantwoord after an earlier response, NietGevonden for a forged or expired link; in every
    one of those cases nothing is written. Three statements (plus the rollup)."""
    uid = _uitnodiging_id(token)
    if uid is None:
        raise NietGevonden(GEEN_UITNODIGING)
    waarden, fouten = controleer(antwoorden)
    if waarden is None:
        veld, reden = next(iter(fouten.items()))
        raise Ongeldig(veld, reden)
    nu = _now()
    # claim the invitation: of two submits exactly one gets the row back
    rij = session.execute(
        update(EnqueteUitnodiging)
        .where(
            EnqueteUitnodiging.id == uid,
            EnqueteUitnodiging.token_hash == _hash(token),
            EnqueteUitnodiging.beantwoord_op.is_(None),
            EnqueteUitnodiging.verloopt_op > nu,
        )
        .values(beantwoord_op=nu)
        .returning(*_DIMENSIES)
        .execution_options(synchronize_session=False)
    ).first()
    if rij is None:
        if open_link(session=session, token=token).beantwoord:
            raise AlBeantwoord()
        raise NietGevonden(GEEN_UITNODIGING)  # pragma: no cover - open_link raised already
    antwoord_id = uuid.uuid4()
    session.execute(
        insert(EnqueteAntwoord).values(
            id=antwoord_id,
            uitnodiging_id=uid,
            bron=BRON_ENQUETE,
            ontvangen_op=nu,
            csat=waarden.csat,
            ces=waarden.ces,
            opgelost=waarden.opgelost,
            nps=waarden.nps,
            aantal_organisaties=waarden.aantal_organisaties,
            opmerking=waarden.opmerking,
            **{**rij._asdict(), **({"segment": waarden.segment} if waarden.segment else {})},
        )
    )
    session.execute(
        insert(EnqueteAntwoordThema).from_select(
            ["antwoord_id", "thema"],
            select(literal(antwoord_id, Uuid), EnqueteUitnodigingThema.thema).where(
                EnqueteUitnodigingThema.uitnodiging_id == uid
            ),
        )
    )
    tel_op(session, antwoord_id)
    return antwoord_id


def _rollup(naam: str):
    """A function of kwaliteit/rollup.py (the cijfers side), or None while it does not exist."""
    try:
        module = importlib.import_module("stelsel.kwaliteit.rollup")
    except ImportError:
        return None
    return getattr(module, naam, None)


def tel_op(session: Session, antwoord_id: uuid.UUID) -> None:
    """Count a new response in the rollup (kwaliteit/rollup.py `tel_op`, when it exists)."""
    functie = _rollup("tel_op")
    if functie is not None:
        functie(session, antwoord_id)


def herbouw_rollup(session: Session, *, bron: str | None = None) -> None:
    """Rebuild the rollup (of one bron) after a bulk write (import, demo), when rollup.py
    offers it."""
    functie = _rollup("herbouw")
    if functie is not None:
        functie(session, bron=bron)


def opschonen(*, session: Session, nu: datetime | None = None) -> int:
    """Empty the comment of every response older than the retention period
    (STELSEL_BEWAARTERMIJN_DAGEN); the answers stay. Returns how many were emptied."""
    grens = (nu or _now()) - timedelta(days=get_settings().bewaartermijn_dagen)
    return (
        session.execute(
            update(EnqueteAntwoord)
            .where(EnqueteAntwoord.ontvangen_op < grens, EnqueteAntwoord.opmerking.is_not(None))
            .values(opmerking=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        or 0
    )
