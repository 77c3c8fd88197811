"""Who hears what about a referral: every message goes through the outbox (meldingen), in the
transaction of the change it announces, and never carries the question or other personal data
of the entrepreneur (only links, names of organisations, statuses and dates)."""

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.config import get_settings
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import AanbiederLink, Doorverwijzing, Hulpvraag
from stelsel.doorverwijzing.toegang import _hash, _now
from stelsel.meldingen import service as meldingen
from stelsel.register import service as register

INBOX, EMAIL, GEEN = "inbox", "email", "geen"
ONDERNEMER = "ondernemer:"  # key prefix of every message to an entrepreneur


def _basis() -> str:
    return get_settings().base_url.rstrip("/")


@dataclass(frozen=True)
class Bereik:
    """How a referral reaches an aanbieder, with what that took to find out: its users'
    addresses and whether it linked its own system (so the messages need not ask again)."""

    hoe: str  # INBOX | EMAIL | GEEN
    emails: list[str]
    webhook: bool


def _hoe(inbox: bool, desk_email: str) -> str:
    """The reach rule: users or a linked system first, else the register's desk address."""
    if inbox:
        return INBOX
    return EMAIL if desk_email.strip() else GEEN


def bereik_van(
    *, session: Session, aanbieder_id: uuid.UUID, desk_email: str | None = None
) -> Bereik:
    """`bereikbaarheid` with its parts; `desk_email` is the register's address when the caller
    already loaded the aanbieder (saves a query)."""
    emails = accounts.emails_van_aanbieder(session=session, aanbieder_id=aanbieder_id)
    webhook = meldingen.heeft_koppeling(session=session, aanbieder_id=aanbieder_id)
    if desk_email is None and not (emails or webhook):
        a = register.get_aanbieder(session=session, aanbieder_id=str(aanbieder_id))
        desk_email = a.email if a is not None else ""
    return Bereik(_hoe(bool(emails or webhook), desk_email or ""), emails, webhook)


def bereikbaarheid(*, session: Session, aanbieder_id: uuid.UUID) -> str:
    """How a referral reaches this aanbieder: its users' inbox (plus e-mail or webhook), an
    e-mail with a link to the desk address in the register, or not at all."""
    return bereik_van(session=session, aanbieder_id=aanbieder_id).hoe


def bereikbaarheden(*, session: Session) -> Callable[[uuid.UUID, str], str]:
    """`bereikbaarheid` for many aanbieders at once: two queries, then (id, e-mail) → reach."""
    met_inbox = accounts.aanbieders_met_gebruikers(
        session=session
    ) | meldingen.gekoppelde_aanbieders(session=session)
    return lambda aanbieder_id, email: _hoe(aanbieder_id in met_inbox, email)


def aan_aanbieder(
    session: Session,
    aanbieder_id: uuid.UUID,
    dv: Doorverwijzing,
    soort: str,
    onderwerp: str,
    gebeurtenis: object,
    extra: dict | None = None,
    bereik: Bereik | None = None,
    direct: bool = False,
) -> None:
    """A message about a referral to a provider's users and its own system (webhook).
    `gebeurtenis` names the event once (its id), so a message is never queued twice.
    `bereik`: this provider's addresses and link when the caller already looked them up;
    `direct`: written at once (meldingen.zet_klaar)."""
    meldingen.zet_klaar(
        session=session,
        soort=f"doorverwijzing.{soort}",
        sleutel=f"{gebeurtenis}:{soort}",
        onderwerp=onderwerp,
        gegevens={
            "doorverwijzing": str(dv.id),
            "hulpvraag": str(dv.hulpvraag_id),
            "status": dv.status,
            "link": f"{_basis()}/doorverwijzingen/{dv.id}",
            **(extra or {}),
        },
        emails=bereik.emails
        if bereik is not None
        else accounts.emails_van_aanbieder(session=session, aanbieder_id=aanbieder_id),
        aanbieder_id=aanbieder_id,
        webhook=bereik.webhook if bereik is not None else None,
        direct=direct,
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="aanbieder-link")


def nieuwe_link(session: Session, dv: Doorverwijzing) -> str:
    """A signed link for one person of the receiving provider; returns its token."""
    link = AanbiederLink(
        id=uuid.uuid4(),
        doorverwijzing_id=dv.id,
        aanbieder_id=dv.naar_aanbieder_id,
        token_hash="",
        verloopt_op=_now() + timedelta(days=get_settings().link_geldig_dagen),
    )
    token = _serializer().dumps(str(link.id))
    link.token_hash = _hash(token)
    session.add(link)
    return token


def link_van_token(session: Session, token: str) -> AanbiederLink | None:
    """The link behind a token, if its signature holds, it has not expired or been withdrawn."""
    try:
        link_id = uuid.UUID(
            _serializer().loads(token, max_age=get_settings().link_geldig_dagen * 86400)
        )
    except (BadSignature, ValueError):
        return None
    link = session.get(AanbiederLink, link_id)
    if link is None or link.token_hash != _hash(token) or link.ingetrokken_op is not None:
        return None
    verloopt = link.verloopt_op
    if verloopt.tzinfo is None:  # SQLite gives naive UTC
        verloopt = verloopt.replace(tzinfo=UTC)
    return link if verloopt > _now() else None


def aan_ontvanger(
    session: Session,
    dv: Doorverwijzing,
    soort: str,
    onderwerp: str,
    gebeurtenis: object,
    bereik: Bereik | None = None,
    naar: register.AanbiederWaarde | None = None,
    van_naam: str | None = None,
    direct: bool = False,
) -> str:
    """A message to the receiver: to its users and system, or for a provider without users to
    the desk address in the register with a fresh link. Returns how it was reached.
    A caller that already looked up the receiver's reach, the receiver itself or the sender's
    name passes them (`bereik`, `naar`, `van_naam`), which saves the queries; `direct`: the
    messages are written at once (meldingen.zet_klaar)."""
    if bereik is None:
        bereik = bereik_van(
            session=session,
            aanbieder_id=dv.naar_aanbieder_id,
            desk_email=naar.email if naar is not None else None,
        )
    hoe = bereik.hoe
    if hoe == INBOX:
        aan_aanbieder(
            session,
            dv.naar_aanbieder_id,
            dv,
            soort,
            onderwerp,
            gebeurtenis,
            bereik=bereik,
            direct=direct,
        )
    elif hoe == EMAIL:
        a = naar or register.get_aanbieder(session=session, aanbieder_id=str(dv.naar_aanbieder_id))
        assert a is not None
        token = nieuwe_link(session, dv)
        meldingen.zet_klaar(
            session=session,
            soort="doorverwijzing.link",
            sleutel=f"{gebeurtenis}:{soort}:link",
            onderwerp=onderwerp,
            gegevens={
                "doorverwijzing": str(dv.id),
                "organisatie": a.naam,
                "van": van_naam
                if van_naam is not None
                else register_naam(session, dv.van_aanbieder_id),
                "link": f"{_basis()}/aanbieder-link/{token}",
                "dagen": get_settings().link_geldig_dagen,
                "aanleiding": soort,  # nieuw, herinnering, geannuleerd
                "eerste_contact_voor": dv.eerste_contact_voor.strftime("%d-%m-%Y"),
            },
            emails=[a.email.strip()],
            direct=direct,
        )
    return hoe


# Every aanbieder (archived ones too) by id and by slug, per database and register version:
# names, slugs and kinds change only with a new version (register.versie), so a referral names
# sender and receiver without reading their rows. Contact data (the desk e-mail) is not
# covered by the version: it is always read live (bereik_van, aan_ontvanger).
_AANBIEDERS: dict[str, tuple[str, dict[str, register.AanbiederKort]]] = {}
_AANBIEDERS_MAX = 8  # databases kept (tests use a few; a server one)
_AANBIEDERS_SLOT = threading.Lock()


class Aanbieders:
    """The register's aanbieders as plain values, looked up by UUID or slug."""

    def __init__(self, per_sleutel: dict[str, register.AanbiederKort]) -> None:
        self._per_sleutel = per_sleutel

    def get(self, aanbieder: str | uuid.UUID | None) -> register.AanbiederKort | None:
        """By UUID (object or text) or slug, as register.get_aanbieder finds them."""
        if aanbieder is None:
            return None
        try:
            sleutel = str(uuid.UUID(str(aanbieder)))
        except ValueError:
            sleutel = f"slug:{aanbieder}"
        return self._per_sleutel.get(sleutel)

    def naam(self, aanbieder_id: uuid.UUID | None) -> str:
        a = self.get(aanbieder_id)
        return a.naam if a else ""


def aanbieders(session: Session, versie: str | None = None) -> Aanbieders:
    """Every aanbieder of the register, read once per register version (one primary-key read
    of the version per call, none when the caller read `versie` in this transaction)."""
    if versie is None:
        versie = register.versie(session=session)
    url = str(session.get_bind().engine.url)
    bewaard = _AANBIEDERS.get(url)
    if versie and bewaard is not None and bewaard[0] == versie:
        return Aanbieders(bewaard[1])
    per_sleutel: dict[str, register.AanbiederKort] = {}
    for a in register.aanbieder_keuzes(session=session):
        per_sleutel[str(a.id)] = a
        per_sleutel[f"slug:{a.slug}"] = a
    if versie:  # without a version row nothing says when it changes: not kept
        with _AANBIEDERS_SLOT:
            if url not in _AANBIEDERS and len(_AANBIEDERS) >= _AANBIEDERS_MAX:
                del _AANBIEDERS[next(iter(_AANBIEDERS))]
            _AANBIEDERS[url] = (versie, per_sleutel)
    return Aanbieders(per_sleutel)


def register_naam(session: Session, aanbieder_id: uuid.UUID | None) -> str:
    return aanbieders(session).naam(aanbieder_id) if aanbieder_id else ""


def aan_ondernemer(
    session: Session, h: Hulpvraag, soort: str, onderwerp: str, gegevens: dict, gebeurtenis: object
) -> None:
    """A message to the entrepreneur, only with their consent to be contacted."""
    if not h.mag_berichten() or h.ondernemer_email is None:
        return
    meldingen.zet_klaar(
        session=session,
        soort=f"ondernemer.{soort}",
        sleutel=f"{ONDERNEMER}{h.id}:{gebeurtenis}:{soort}",
        onderwerp=onderwerp,
        gegevens=gegevens,
        emails=[h.ondernemer_email],
    )


def vergeet_ondernemer(session: Session, h: Hulpvraag) -> None:
    """Drop or empty every message to this entrepreneur (with their personal data)."""
    meldingen.vergeet(session=session, sleutel_begin=f"{ONDERNEMER}{h.id}:")


def bij_status(session: Session, dv: Doorverwijzing, h: Hulpvraag, gebeurtenis: object) -> None:
    """The messages after a status change: the other party, the entrepreneur on acceptance,
    first contact and completion, and the original sender when the case resolves or stalls."""
    status = dv.status
    if status == lc.ONTVANGEN:
        return
    onderwerp = f"Doorverwijzing is nu: {status.replace('_', ' ')}"
    if status == lc.GEANNULEERD:
        aan_ontvanger(session, dv, status, onderwerp, gebeurtenis)
        if dv.reden_code == lc.INGETROKKEN:  # the system's step: the sender hears it too
            aan_aanbieder(
                session, dv.van_aanbieder_id, dv, status, onderwerp, f"{gebeurtenis}:verzender"
            )
    else:
        aan_aanbieder(session, dv.van_aanbieder_id, dv, status, onderwerp, gebeurtenis)
    naam = register_naam(session, dv.naar_aanbieder_id)
    link = f"{_basis()}/mijn-hulpvraag"
    teksten = {
        lc.GEACCEPTEERD: (
            f"{naam} helpt u verder",
            f"{naam} neemt uiterlijk {dv.eerste_contact_voor.strftime('%d-%m-%Y')} contact "
            "met u op.",
        ),
        lc.IN_BEHANDELING: (f"{naam} is met uw vraag bezig", f"{naam} is met uw vraag bezig."),
        lc.AFGEROND: ("Uw vraag is afgerond", f"{naam} heeft uw vraag afgerond."),
    }
    if status in teksten and dv.uitkomst != lc.DOORVERWEZEN:
        onderwerp_o, tekst = teksten[status]
        aan_ondernemer(
            session,
            h,
            status,
            onderwerp_o,
            {"doorverwijzing": str(dv.id), "tekst": tekst, "link": link},
            gebeurtenis,
        )
    afgesloten = (status == lc.AFGEROND and dv.uitkomst != lc.DOORVERWEZEN) or status in (
        lc.GEWEIGERD,
        lc.MISLUKT,
    )
    if afgesloten and h.aanbieder_id != dv.van_aanbieder_id:
        wat = "is afgerond" if status == lc.AFGEROND else "loopt vast"
        aan_aanbieder(
            session,
            h.aanbieder_id,
            dv,
            "uitkomst",
            f"Een hulpvraag die u doorverwees {wat}",
            gebeurtenis,
            {"uitkomst": dv.uitkomst or "", "reden_code": dv.reden_code or ""},
        )


def aan_regio(
    session: Session, h: Hulpvraag, dv: Doorverwijzing, onderwerp: str, gebeurtenis: object
) -> None:
    """An escalation to the regional coordinators of the case's region."""
    emails = accounts.emails_van_regio(
        session=session, regio_codes=(h.provincie_code, h.arbeidsmarktregio_code)
    )
    meldingen.zet_klaar(
        session=session,
        soort="doorverwijzing.escalatie",
        sleutel=f"{gebeurtenis}:escalatie:regio",
        onderwerp=onderwerp,
        gegevens={
            "doorverwijzing": str(dv.id),
            "status": dv.status,
            "link": f"{_basis()}/regio",
            "organisatie": register_naam(session, dv.naar_aanbieder_id),
        },
        emails=emails,
    )


def links_van(session: Session, doorverwijzing_id: uuid.UUID) -> list[AanbiederLink]:
    return list(
        session.scalars(
            select(AanbiederLink).where(AanbiederLink.doorverwijzing_id == doorverwijzing_id)
        )
    )
