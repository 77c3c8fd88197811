"""Self-referral: an entrepreneur sends their own question, from the wegwijzer, to one
aanbieder ("Neem contact met mij op").

It makes the same records an adviser's intake and referral make, so the case then travels the
same lifecycle, consent, audit and outbox: a hulpvraag with the entrepreneur's consent bound to
that one recipient (channel `zelf`, recorded by nobody: the entrepreneur gave it themself), a
referral in status `verzonden` resting on that consent, its history row, the receiver's
message (inbox, webhook or the desk link) and the entrepreneur's confirmation with their
private link when they agreed to e-mail.

There is no adviser and no sending provider. The sender is `ZELF`, a fixed id that is no
aanbieder and no user: the case's `aanbieder_id`, `aangemaakt_door` and the referral's
`van_aanbieder_id`. No adviser belongs to it, so only the receiver (while it holds the case,
toegang.houdt) and the entrepreneur (private link) ever see the data; messages meant for the
sender go nowhere. Audit entries have no actor ("anoniem", like the private page).
"""

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.doorverwijzingen import ONTVANGER_SOORTEN
from stelsel.doorverwijzing.models import (
    CONTACT,
    Doorverwijzing,
    Gebeurtenis,
    Hulpvraag,
    Toestemming,
)
from stelsel.doorverwijzing.toegang import (
    CONTACT_DOEL,
    CONTACT_WAT,
    ZELF,
    _hash,
    _now,
    delen_met,
    telefoon_geldig,
)
from stelsel.errors import Ongeldig
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer

ZELF_NAAM = "de ondernemer zelf (via de wegwijzer)"
KANAAL = "zelf"  # toestemming.kanaal: given by the entrepreneur on the self-referral form
TEKST_VERSIE = "2026-12-zelf-v1"
MAX_VRAAG = 2000

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
KVK = re.compile(r"\d{8}")


def aanbieder_naam(*, session: Session, aanbieder_id: uuid.UUID | None) -> str:
    """The name of an aanbieder, or '' when unknown; for the sender of a self-referral: the
    entrepreneur (exported by service.py in place of doorverwijzingen.aanbieder_naam, so every
    page and answer that names the parties names this one too)."""
    if aanbieder_id == ZELF:
        return ZELF_NAAM
    return berichten.register_naam(session, aanbieder_id)


@dataclass(frozen=True)
class ZelfOntvanger:
    """An aanbieder as the self-referral form shows it: who, and whether it can take one."""

    id: uuid.UUID
    slug: str
    naam: str
    bereikbaar: str  # berichten.INBOX | EMAIL | GEEN
    partner: bool  # a public, semi-public or non-profit partner (no market party)
    website: str = ""
    telefoon: str = ""
    email: str = ""

    @property
    def mogelijk(self) -> bool:
        return self.partner and self.bereikbaar != berichten.GEEN


def ontvanger(*, session: Session, aanbieder_id: str) -> ZelfOntvanger | None:
    """The aanbieder (UUID or slug) as a self-referral target, or None when it does not exist."""
    a = register.get_aanbieder(session=session, aanbieder_id=aanbieder_id)
    if a is None:
        return None
    hoe = berichten.bereik_van(session=session, aanbieder_id=a.id, desk_email=a.email).hoe
    return ZelfOntvanger(
        a.id, a.slug, a.naam, hoe, a.soort in ONTVANGER_SOORTEN, a.website, a.telefoon, a.email
    )


def mogelijk_bij(*, session: Session, aanbieder_ids: Iterable[str]) -> set[str]:
    """Which of these aanbieders (UUIDs as text) can take a self-referral: partners that a
    referral reaches. For the wegwijzer's cards: two queries for who has users or a linked
    system, then one lookup by id per card (so the cost does not grow with the register)."""
    ids = list(dict.fromkeys(aanbieder_ids))
    if not ids:
        return set()
    hoe = berichten.bereikbaarheden(session=session)
    uit = set()
    for i in ids:
        a = register.get_aanbieder(session=session, aanbieder_id=i)
        if a is not None and a.soort in ONTVANGER_SOORTEN and hoe(a.id, a.email) != berichten.GEEN:
            uit.add(i)
    return uit


@dataclass
class NieuweZelfverwijzing:
    """What the entrepreneur filled in. `toestemming`: they ticked the consent for this one
    recipient; `berichten`: they may be e-mailed about the case."""

    naar_aanbieder: str
    naam: str
    vraag: str
    email: str = ""
    telefoon: str = ""
    kvk_nummer: str = ""
    gemeente: str = ""
    dienst: str | None = None
    toestemming: bool = False
    berichten: bool = False
    # the id of the form as it was shown (FORMULIER): sending it twice makes one case
    formulier: str = ""


FORMULIER = re.compile(r"[A-Za-z0-9_-]{16,64}")


def nieuw_formulier() -> str:
    """The id a new form carries, so a double tap on "Verstuur" sends one question."""
    return secrets.token_urlsafe(16)


def _code(formulier: str) -> str:
    """The private link's code. For a form with an id it follows from that id and the server's
    secret (HMAC), so a second send of the same form names the same case: it is not made
    twice, and the confirmation shows the link of the one that was."""
    if not FORMULIER.fullmatch(formulier):
        return secrets.token_urlsafe(24)
    sleutel = get_settings().secret_key.encode()
    digest = hmac.new(sleutel, b"zelfverwijzing:" + formulier.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def _al_verstuurd(session: Session, code: str) -> "Verstuurd | None":
    """The confirmation of a case already made from this form, or None."""
    h = session.scalar(select(Hulpvraag).where(Hulpvraag.toegangscode_hash == _hash(code)))
    if h is None:
        return None
    dv = session.scalar(select(Doorverwijzing).where(Doorverwijzing.hulpvraag_id == h.id))
    if dv is None:
        return None
    return Verstuurd(
        h.id,
        dv.id,
        code,
        aanbieder_naam(session=session, aanbieder_id=dv.naar_aanbieder_id),
        dv.eerste_contact_voor.strftime("%d-%m-%Y"),
        h.mag_berichten(),
    )


def controleer(data: NieuweZelfverwijzing, naar_naam: str) -> dict[str, str]:
    """Every problem with the form at once, by field, in plain Dutch (empty: all good).
    Pure: the gemeente and the recipient are checked when the case is made."""
    fouten: dict[str, str] = {}
    if not data.naam.strip():
        fouten["naam"] = "Vul uw naam in."
    elif len(data.naam.strip()) > 200:
        fouten["naam"] = "Uw naam is te lang: hooguit 200 tekens."
    email, telefoon = data.email.strip(), data.telefoon.strip()
    if email and (not EMAIL.fullmatch(email) or len(email) > 200):
        fouten["email"] = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
    if telefoon and not telefoon_geldig(telefoon):
        fouten["telefoon"] = "Vul een telefoonnummer in van 10 cijfers, zoals 06 12345678."
    if not email and not telefoon:
        fouten["email"] = "Vul uw e-mailadres of uw telefoonnummer in, zodat men u kan bereiken."
    if data.kvk_nummer.strip() and not KVK.fullmatch(data.kvk_nummer.strip()):
        fouten["kvk_nummer"] = "Een KVK-nummer heeft 8 cijfers. U mag dit veld ook leeg laten."
    if not data.vraag.strip():
        fouten["vraag"] = "Schrijf uw vraag op."
    elif len(data.vraag.strip()) > MAX_VRAAG:
        fouten["vraag"] = f"Uw vraag is te lang: hooguit {MAX_VRAAG} tekens."
    if data.berichten and not email:
        fouten["berichten"] = "Wilt u e-mail van ons? Vul dan ook uw e-mailadres in."
    if not data.toestemming:
        fouten["toestemming"] = (
            f"Zonder uw toestemming kunnen wij uw vraag niet naar {naar_naam} sturen. "
            "Zet een vinkje als u dat goed vindt."
        )
    return fouten


def gemeente_fout(*, session: Session, gemeente: str) -> dict[str, str]:
    """The gemeente field's problem, if any, for showing it with the others at once."""
    if not gemeente.strip():
        return {}
    try:
        wegwijzer.gemeente_van(session=session, tekst=gemeente)
    except Ongeldig as e:
        return {"gemeente": e.reden if e.reden.endswith("?") else e.reden + "."}
    return {}


NIET_MOGELIJK = (
    "{naam} kan via deze website geen vragen ontvangen. Neem zelf contact op met {naam}, "
    "of kies een andere organisatie."
)


@dataclass(frozen=True)
class Verstuurd:
    """The outcome for the confirmation page: the private link's code and what to expect."""

    hulpvraag_id: uuid.UUID
    doorverwijzing_id: uuid.UUID
    code: str
    organisatie: str
    eerste_contact_voor: str  # dd-mm-yyyy
    per_email: bool  # a confirmation with the link was queued


_GEBEURTENIS_INSERT = insert(Gebeurtenis)


def create_zelfverwijzing(*, session: Session, data: NieuweZelfverwijzing) -> Verstuurd:
    """Make the case and its referral to the chosen aanbieder, with the entrepreneur's consent
    for that recipient. Raises Ongeldig (first problem; `controleer` lists them all), or
    Ongeldig('naar_aanbieder') when the aanbieder cannot take a self-referral. Everything is
    checked before anything is written."""
    naar = register.get_aanbieder(session=session, aanbieder_id=data.naar_aanbieder)
    if naar is None:
        raise Ongeldig("naar_aanbieder", "onbekende aanbieder")
    fouten = controleer(data, naar.naam)
    if fouten:
        veld, reden = next(iter(fouten.items()))
        raise Ongeldig(veld, reden)
    bereik = berichten.bereik_van(session=session, aanbieder_id=naar.id, desk_email=naar.email)
    if naar.soort not in ONTVANGER_SOORTEN or bereik.hoe == berichten.GEEN:
        raise Ongeldig("naar_aanbieder", NIET_MOGELIJK.format(naam=naar.naam))
    dienst_id = None
    if data.dienst:
        d = register.get_dienst(session=session, dienst_id=data.dienst)
        if d is None or d.aanbieder_id != naar.id:
            raise Ongeldig("dienst", "onbekende dienst of niet van deze aanbieder")
        dienst_id = d.id
    g = (
        wegwijzer.gemeente_van(session=session, tekst=data.gemeente)
        if data.gemeente.strip()
        else None
    )
    vraag = data.vraag.strip()
    themas = wegwijzer.advies(
        session=session,
        vraag=vraag[: wegwijzer.MAX_VRAAG],
        gemeente=g.code if g else None,
        registreer=False,
    ).themas

    code = _code(data.formulier)
    if (eerder := _al_verstuurd(session, code)) is not None:
        return eerder
    nu = _now()
    email = data.email.strip().lower() or None
    h = Hulpvraag(
        id=uuid.uuid4(),
        aanbieder_id=ZELF,
        aangemaakt_door=ZELF,
        ondernemer_naam=data.naam.strip(),
        ondernemer_email=email,
        ondernemer_telefoon=data.telefoon.strip() or None,
        kvk_nummer=data.kvk_nummer.strip() or None,
        vraag=vraag,
        themas=themas,
        gemeente_code=g.code if g else None,
        provincie_code=g.provincie_code if g else None,
        arbeidsmarktregio_code=g.arbeidsmarktregio_code if g else None,
        urgentie="normaal",
        toegangscode_hash=_hash(code),
    )
    delen = delen_met(
        naar.id,
        naar.naam,
        tekst_versie=TEKST_VERSIE,
        kanaal=KANAAL,
        vastgelegd_door=None,
        gegeven_op=nu,
    )
    h.toestemmingen.append(delen)
    if data.berichten and email:
        h.toestemmingen.append(
            Toestemming(
                id=uuid.uuid4(),
                soort=CONTACT,
                delen_met_ontvanger=True,
                wat=CONTACT_WAT,
                doel=CONTACT_DOEL,
                tekst_versie=TEKST_VERSIE,
                kanaal=KANAAL,
                vastgelegd_door=None,
                gegeven_op=nu,
            )
        )
    try:
        with session.begin_nested():  # the same form sent at the same moment: one wins
            session.add(h)
            session.flush()
    except IntegrityError:
        if (eerder := _al_verstuurd(session, code)) is not None:
            return eerder
        raise
    dv = Doorverwijzing(
        id=uuid.uuid4(),
        hulpvraag_id=h.id,
        van_aanbieder_id=ZELF,
        naar_aanbieder_id=naar.id,
        dienst_id=dienst_id,
        status=lc.VERZONDEN,
        toestemming_id=delen.id,
        aangemaakt_op=nu,
        bijgewerkt_op=nu,
        eerste_contact_voor=lc.plus_werkdagen(nu.date(), get_settings().eerste_contact_werkdagen),
    )
    dv.hulpvraag = h
    session.add(dv)
    session.flush()
    session.connection().execute(
        _GEBEURTENIS_INSERT,
        {
            "id": uuid.uuid4(),
            "doorverwijzing_id": dv.id,
            "naar_status": lc.VERZONDEN,
            "actor_id": None,
            "aanbieder_id": None,
        },
    )
    berichten.aan_ontvanger(
        session,
        dv,
        "nieuw",
        "Een ondernemer vraagt uw organisatie om contact",
        dv.id,
        bereik=bereik,
        naar=naar,
        van_naam=ZELF_NAAM,
    )
    datum = dv.eerste_contact_voor.strftime("%d-%m-%Y")
    berichten.aan_ondernemer(
        session,
        h,
        "zelfverwijzing",
        f"Uw vraag is verstuurd naar {naar.naam}",
        {
            "organisatie": naar.naam,
            "eerste_contact_voor": datum,
            "link": f"{get_settings().base_url.rstrip('/')}/mijn-hulpvraag/{code}",
        },
        h.id,
    )
    for actie, object_type, object_id, doel in (
        ("aanmaken", "hulpvraag", h.id, "zelfverwijzing door ondernemer"),
        ("toestemming_vastleggen", "hulpvraag", h.id, f"toestemming via {KANAAL}"),
        ("doorverwijzen", "doorverwijzing", dv.id, "zelfverwijzing door ondernemer"),
    ):
        accounts.audit(
            session=session,
            actor=None,
            actie=actie,
            object_type=object_type,
            object_id=str(object_id),
            doel=doel,
        )
    session.flush()
    return Verstuurd(h.id, dv.id, code, naar.naam, datum, h.mag_berichten())
