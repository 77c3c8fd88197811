"""`stelsel demo [--omvang N] [--verwijder]`: a seeded, realistic population of hulpvragen,
referrals, invitations, responses and feedback, so a newcomer sees a living dashboard.

Drawn from the 2021 baseline (data/kwaliteit/baseline_2021.json): CSAT and CES near 6.1 and 3
at the start, the resolution shares of 2021, the provincial differences of 2021, and a steady
improvement over the 24 months up to today (satisfaction about +1, effort about +0.4, more
cases solved by the first aanbieder). Cases are spread over the gemeenten by population, and
referred to real diensten of the register that serve the case's thema and area.

Every row written is listed in `kwaliteit_demo_rij` (and demo responses have bron `demo`), so
`--verwijder` removes exactly that and nothing else. The cases carry no personal data: they
are written as already anonymised, so no e-mail or invitation ever goes out for them.
"""

import hashlib
import json
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from stelsel.config import get_settings
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.errors import Ongeldig
from stelsel.geo import service as geo
from stelsel.kwaliteit.enquete import herbouw_rollup
from stelsel.kwaliteit.models import (
    BRON_DEMO,
    OPGELOST,
    SEGMENTEN,
    DemoRij,
    EnqueteAntwoord,
    EnqueteAntwoordThema,
    EnqueteUitnodiging,
    EnqueteUitnodigingThema,
    Feedback,
)
from stelsel.register import service as register

STANDAARD_OMVANG = 6000
SEED = 2021
MAANDEN = 24
PER_KEER = 2000
ONTVANGER_SOORTEN = frozenset({"publiek", "semipubliek", "non-profit"})
THEMA_GEWICHT = {
    "financiering": 30,
    "personeel": 15,
    "zwaar-weer": 12,
    "wet-en-regelgeving": 15,
    "internationalisering": 7,
    "innovatie": 10,
    "bedrijfsvoering": 11,
}
SEGMENT_GEWICHT = dict(zip(SEGMENTEN, (8, 6, 2, 1, 14, 35, 25, 9), strict=True))
OPMERKINGEN = (
    "Ik werd snel teruggebeld en wist daarna wat ik moest doen.",
    "Het duurde lang voordat iemand contact opnam.",
    "Ik moest mijn verhaal niet opnieuw vertellen, dat was fijn.",
    "De informatie op de website was lastig te vinden.",
    "Goed geholpen, maar de regeling paste niet bij mijn bedrijf.",
    "Ik ben van het kastje naar de muur gestuurd.",
)
# the tables demo rows live in, removed in this order
TABELLEN = (
    (EnqueteAntwoordThema, "antwoord_id", "enquete_antwoord"),
    (EnqueteAntwoord, "id", "enquete_antwoord"),
    (EnqueteUitnodigingThema, "uitnodiging_id", "enquete_uitnodiging"),
    (EnqueteUitnodiging, "id", "enquete_uitnodiging"),
    (Feedback, "id", "feedback"),
)


def aanwezig(*, session: Session) -> bool:
    """Whether `stelsel demo` data is present (one indexed lookup)."""
    return session.scalar(select(DemoRij.rij_id).limit(1)) is not None


@cache
def basislijn(pad: Path | None = None) -> dict:
    """The 2021 figures the demo population is drawn from."""
    pad = pad or get_settings().data_dir / "kwaliteit" / "baseline_2021.json"
    return json.loads(pad.read_text(encoding="utf-8"))


@dataclass
class Telling:
    hulpvragen: int = 0
    doorverwijzingen: int = 0
    uitnodigingen: int = 0
    antwoorden: int = 0
    feedback: int = 0


def verwijder(*, session: Session) -> Telling:
    """Remove every row `stelsel demo` wrote, and nothing else."""
    t = Telling()
    for model, kolom, tabel in TABELLEN:
        ids = select(DemoRij.rij_id).where(DemoRij.tabel == tabel)
        n = session.execute(
            delete(model)
            .where(getattr(model, kolom).in_(ids))
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if model is EnqueteUitnodiging:
            t.uitnodigingen = n
        elif model is EnqueteAntwoord:
            t.antwoorden = n
        elif model is Feedback:
            t.feedback = n
    zaken = list(session.scalars(select(DemoRij.rij_id).where(DemoRij.tabel == "hulpvraag")))
    t.hulpvragen, t.doorverwijzingen = doorverwijzing.verwijder_zaken(
        session=session, hulpvraag_ids=zaken
    )
    session.execute(delete(DemoRij))
    herbouw_rollup(session, bron=BRON_DEMO)
    return t


def _kies(rng: random.Random, gewichten: dict):
    return rng.choices(list(gewichten), weights=list(gewichten.values()))[0]


def _klem(x: float, laag: int, hoog: int) -> int:
    return max(laag, min(hoog, round(x)))


def maak(*, session: Session, omvang: int = STANDAARD_OMVANG, seed: int = SEED) -> Telling:
    """Write a demo population of `omvang` hulpvragen (earlier demo data is replaced)."""
    if omvang < 1 or omvang > 1_000_000:
        raise Ongeldig("omvang", "tussen 1 en 1.000.000")
    if aanwezig(session=session):
        verwijder(session=session)
    rng = random.Random(seed)
    b = basislijn()
    nu = datetime.now(UTC).replace(microsecond=0)
    begin = nu - timedelta(days=round(MAANDEN * 30.44))

    gemeenten = [g for g in geo.get_all(session=session)]
    if not gemeenten:
        raise RuntimeError("geen gemeenten: draai eerst stelsel init")
    gebied = {g.code: geo.gebied(g) for g in gemeenten}
    gemeente_gewicht = {g.code: g.inwoners or 20_000 for g in gemeenten}
    prov_extra = {
        code: (v["gemiddelde"] - b["csat_gemiddelde"]) * 0.8
        for code, v in b["csat_per_provincie"].items()
    }
    aanbieders = {a.slug: a for a in register.aanbieder_keuzes(session=session)}
    if "kvk" not in aanbieders:
        raise RuntimeError("het register is leeg: draai eerst stelsel init")
    gemeente_aanbieder = {
        g.code: aanbieders[s].id
        for g in gemeenten
        if (s := "gemeente-" + geo.normaliseer(g.naam).replace(" ", "-")) in aanbieders
    }
    landelijk_nemers = [
        aanbieders[s].id for s in ("rvo", "ondernemersplein", "uwv", "qredits") if s in aanbieders
    ]
    diensten = [
        d for d in register.zoekdiensten(session=session) if d.aanbieder_soort in ONTVANGER_SOORTEN
    ]
    per_thema: dict[str, list] = {t: [] for t in THEMA_GEWICHT}
    for d in diensten:
        for code in d.themas:
            if code in per_thema:
                per_thema[code].append(d)

    @cache
    def kandidaten(thema: str, gemeente: str) -> tuple:
        gb = gebied[gemeente]
        codes = {gb.gemeente, gb.provincie, gb.corop, gb.arbeidsmarktregio}
        regionaal = tuple(
            d
            for d in per_thema[thema]
            if not d.landelijk and any(c in codes for _, c in d.werkgebied)
        )
        landelijk = tuple(d for d in per_thema[thema] if d.landelijk)
        return regionaal + regionaal + landelijk  # regional diensten twice as likely

    opgelost_basis = b["opgelost_verdeling"]
    csat_per = b["csat_per_opgelost"]
    ces_per_csat = {int(k): v for k, v in b["ces_per_csat"].items()}
    mix = sum(csat_per[k] * opgelost_basis[k] for k in OPGELOST) / sum(opgelost_basis.values())
    csat_correctie = b["csat_gemiddelde"] - mix  # so the first month lands on 6.1

    rijen: dict[str, list[dict]] = {
        k: []
        for k in (
            "hulpvraag",
            "hulpvraag_thema",
            "doorverwijzing",
            "gebeurtenis",
            "uitnodiging",
            "uitnodiging_thema",
            "antwoord",
            "antwoord_thema",
            "feedback",
        )
    }
    demo: list[dict] = []
    codes = list(gemeente_gewicht)
    gewichten = list(gemeente_gewicht.values())
    t = Telling()
    for _ in range(omvang):
        # more cases later on: the stelsel grows
        f = rng.random() ** 0.8
        moment = begin + (nu - begin) * f
        g = rng.choices(codes, weights=gewichten)[0]
        gb = gebied[g]
        themas = [_kies(rng, THEMA_GEWICHT)]
        if rng.random() < 0.3:
            themas.append(_kies(rng, THEMA_GEWICHT))
        themas = list(dict.fromkeys(themas))
        r = rng.random()
        if r < 0.55:
            nemer = aanbieders["kvk"].id
        elif r < 0.8 and g in gemeente_aanbieder:
            nemer = gemeente_aanbieder[g]
        else:
            nemer = rng.choice(landelijk_nemers or [aanbieders["kvk"].id])
        hid = uuid.uuid4()
        rijen["hulpvraag"].append(
            {
                "id": hid,
                "aanbieder_id": nemer,
                "aangemaakt_door": uuid.UUID(int=rng.getrandbits(128)),
                "ondernemer_naam": None,
                "ondernemer_email": None,
                "ondernemer_telefoon": None,
                "kvk_nummer": None,
                "vraag": None,
                "gemeente_code": gb.gemeente,
                "provincie_code": gb.provincie,
                "arbeidsmarktregio_code": gb.arbeidsmarktregio,
                "urgentie": "hoog" if rng.random() < 0.1 else "normaal",
                "toegangscode_hash": hashlib.sha256(f"demo:{hid}".encode()).hexdigest(),
                "aangemaakt_op": moment,
                "geanonimiseerd_op": moment,
                "ingetrokken_op": None,
            }
        )
        rijen["hulpvraag_thema"] += [
            {"hulpvraag_id": hid, "thema": th, "volgorde": i} for i, th in enumerate(themas)
        ]
        demo.append({"tabel": "hulpvraag", "rij_id": hid})
        t.hulpvragen += 1

        # the chain: first time right more often as the stelsel improves
        ftr_kans = 0.45 + 0.2 * f
        eerste_keer_goed = rng.random() < ftr_kans
        hops = 1 if eerste_keer_goed else rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
        leeftijd = (nu - moment).days
        open_ = leeftijd < 21 and rng.random() < (21 - leeftijd) / 21
        van, vorige_id, tijd = nemer, None, moment
        laatste: dict | None = None
        for hop in range(hops):
            keuze = kandidaten(themas[0], g) or tuple(diensten)
            d = rng.choice(keuze)
            naar = d.aanbieder_id if d.aanbieder_id != van else rng.choice(diensten).aanbieder_id
            did = uuid.uuid4()
            ontvangen = tijd + timedelta(hours=rng.uniform(1, 30))
            contact = ontvangen + timedelta(days=rng.uniform(0.5, 6 - 2 * f))
            einde = contact + timedelta(days=rng.uniform(3, 40))
            laatst_hop = hop == hops - 1
            status: str
            uitkomst: str | None
            reden: str | None
            if not laatst_hop:
                status, uitkomst, reden = ("afgerond", "doorverwezen", None)
                if rng.random() < 0.3:
                    status, uitkomst, reden = ("geweigerd", None, "voldoet_niet")
            elif open_:
                status, uitkomst, reden = (rng.choice(("verzonden", "in_behandeling")), None, None)
            elif eerste_keer_goed:
                status, uitkomst, reden = ("afgerond", "opgelost", None)
            else:
                status = "mislukt" if rng.random() < 0.08 else "afgerond"
                uitkomst = (
                    None
                    if status == "mislukt"
                    else rng.choices(
                        ("opgelost", "deels_opgelost", "niet_opgelost"), weights=(4, 4, 2)
                    )[0]
                )
                reden = "niet_bereikbaar" if status == "mislukt" else None
            einde = min(einde, nu)
            bijgewerkt = (
                ontvangen
                if status == "verzonden"
                else min(einde if status in ("afgerond", "geweigerd", "mislukt") else contact, nu)
            )
            rij = {
                "id": did,
                "hulpvraag_id": hid,
                "van_aanbieder_id": van,
                "naar_aanbieder_id": naar,
                "dienst_id": d.id,
                "vorige_id": vorige_id,
                "notitie": None,
                "status": status,
                "reden_code": reden,
                "reden": None,
                "uitkomst": uitkomst,
                "toestemming_id": None,
                "herinnerd_op": None,
                "geescaleerd_op": None,
                "aangemaakt_op": tijd,
                "bijgewerkt_op": bijgewerkt,
                "ontvangen_op": None if status == "verzonden" else min(ontvangen, nu),
                "eerste_contact_voor": (tijd + timedelta(days=4)).date(),
            }
            rijen["doorverwijzing"].append(rij)
            demo.append({"tabel": "doorverwijzing", "rij_id": did})
            stappen: list[tuple[str | None, str, datetime, uuid.UUID]] = [
                (None, "verzonden", tijd, van)
            ]
            if status != "verzonden":
                stappen.append(("verzonden", "ontvangen", min(ontvangen, nu), naar))
            if status in ("afgerond", "in_behandeling", "mislukt"):
                stappen.append(("ontvangen", "geaccepteerd", min(ontvangen, nu), naar))
                stappen.append(("geaccepteerd", "in_behandeling", min(contact, nu), naar))
            if status in ("afgerond", "geweigerd", "mislukt"):
                stappen.append((stappen[-1][1], status, bijgewerkt, naar))
            rijen["gebeurtenis"] += [
                {
                    "id": uuid.uuid4(),
                    "doorverwijzing_id": did,
                    "tijdstip": op,
                    "van_status": vs,
                    "naar_status": ns,
                    "actor_id": None,
                    "aanbieder_id": wie,
                    "soort": "status",
                    "reden_code": reden if ns == status else None,
                    "toelichting": None,
                }
                for vs, ns, op, wie in stappen
            ]
            t.doorverwijzingen += 1
            laatste = rij
            vorige_id = did if status == "afgerond" else vorige_id
            van = naar if status == "afgerond" else van
            tijd = bijgewerkt + timedelta(hours=rng.uniform(1, 48))
            if tijd >= nu:
                break
        assert laatste is not None
        if laatste["status"] not in ("afgerond", "mislukt") or rng.random() > 0.7:
            continue  # still open, or no consent to a questionnaire
        gesloten = laatste["bijgewerkt_op"]
        # as kwaliteit_bron judges: the receiver that completed it, else the sender it came back to
        beoordeeld = laatste[
            "naar_aanbieder_id" if laatste["status"] == "afgerond" else "van_aanbieder_id"
        ]
        uid = uuid.uuid4()
        antwoordt = rng.random() < 0.42 and gesloten + timedelta(days=2) < nu
        ontvangen_op = min(gesloten + timedelta(days=rng.uniform(0.2, 10)), nu)
        aantal = len([r for r in rijen["doorverwijzing"][-hops:] if r["hulpvraag_id"] == hid])
        ftr = aantal == 1 and laatste["uitkomst"] == "opgelost"
        dims = {
            "aanbieder_id": beoordeeld,
            "dienst_id": laatste["dienst_id"],
            "gemeente_code": gb.gemeente,
            "arbeidsmarktregio_code": gb.arbeidsmarktregio,
            "corop_code": gb.corop,
            "provincie_code": gb.provincie,
            "segment": _kies(rng, SEGMENT_GEWICHT),
            "eerste_keer_goed": ftr,
            "aantal_doorverwijzingen": aantal,
        }
        rijen["uitnodiging"].append(
            {
                "id": uid,
                "hulpvraag_id": hid,
                "doorverwijzing_id": laatste["id"],
                "token_hash": hashlib.sha256(f"demo:{uid}".encode()).hexdigest(),
                "aangemaakt_op": gesloten,
                "verloopt_op": gesloten + timedelta(days=30),
                "beantwoord_op": ontvangen_op if antwoordt else None,
                **dims,
            }
        )
        rijen["uitnodiging_thema"] += [{"uitnodiging_id": uid, "thema": th} for th in themas]
        demo.append({"tabel": "enquete_uitnodiging", "rij_id": uid})
        t.uitnodigingen += 1
        if not antwoordt:
            continue
        # the answers, drawn around the 2021 figures, better as time goes on
        opgelost = _opgelost(rng, laatste["uitkomst"], opgelost_basis, f)
        csat = _klem(
            rng.gauss(
                csat_per[opgelost]
                + csat_correctie
                + prov_extra.get(gb.provincie, 0.0)
                + 1.0 * f
                - 0.3 * (aantal - 1),
                1.5,
            ),
            1,
            10,
        )
        ces = _klem(rng.gauss(ces_per_csat[csat] + 0.3 * f, 0.7), 1, 5)
        nps = _klem(rng.gauss(csat - 0.4, 1.2), 0, 10)
        aid = uuid.uuid4()
        rijen["antwoord"].append(
            {
                "id": aid,
                "uitnodiging_id": uid,
                "bron": BRON_DEMO,
                "ontvangen_op": ontvangen_op,
                "csat": csat,
                "ces": ces,
                "opgelost": opgelost,
                "nps": nps,
                "aantal_organisaties": aantal
                + (rng.random() < 0.5 - 0.3 * f)
                + (rng.random() < 0.2),
                "opmerking": rng.choice(OPMERKINGEN) if rng.random() < 0.12 else None,
                **dims,
            }
        )
        rijen["antwoord_thema"] += [{"antwoord_id": aid, "thema": th} for th in themas]
        demo.append({"tabel": "enquete_antwoord", "rij_id": aid})
        t.antwoorden += 1

    # the feedback widget: about one in four visitors answers
    dienst_ids = [d.id for d in diensten]
    for _ in range(max(1, omvang // 4)):
        f = rng.random() ** 0.8
        fid = uuid.uuid4()
        op_dienst = rng.random() < 0.5
        rijen["feedback"].append(
            {
                "id": fid,
                "ontvangen_op": begin + (nu - begin) * f,
                "soort": "dienst" if op_dienst else "wegwijzer",
                "dienst_id": rng.choice(dienst_ids) if op_dienst and dienst_ids else None,
                "thema": None if op_dienst else _kies(rng, THEMA_GEWICHT),
                "gemeente_code": None if op_dienst else rng.choices(codes, weights=gewichten)[0],
                "geholpen": rng.random() < 0.55 + 0.2 * f,
                "waarom": None,
            }
        )
        demo.append({"tabel": "feedback", "rij_id": fid})
        t.feedback += 1

    doorverwijzing.schrijf_zaken(
        session=session,
        hulpvragen=rijen["hulpvraag"],
        themas=rijen["hulpvraag_thema"],
        doorverwijzingen=rijen["doorverwijzing"],
        gebeurtenissen=rijen["gebeurtenis"],
    )
    conn = session.connection()
    for model, sleutel in (
        (EnqueteUitnodiging, "uitnodiging"),
        (EnqueteUitnodigingThema, "uitnodiging_thema"),
        (EnqueteAntwoord, "antwoord"),
        (EnqueteAntwoordThema, "antwoord_thema"),
        (Feedback, "feedback"),
    ):
        _schrijf(conn, model, rijen[sleutel])
    _schrijf(conn, DemoRij, demo)
    herbouw_rollup(session, bron=BRON_DEMO)
    return t


def _schrijf(conn, model, rijen: Iterable[dict]) -> None:
    lijst = list(rijen)
    for start in range(0, len(lijst), PER_KEER):
        conn.execute(insert(model), lijst[start : start + PER_KEER])


def _opgelost(rng: random.Random, uitkomst: str | None, basis: dict, f: float) -> str:
    """The entrepreneur's view of the outcome: mostly in line with the referral's outcome."""
    if uitkomst == "opgelost":
        gewichten = {
            "volledig": 55 + 25 * f,
            "deels": 30 - 10 * f,
            "nog_niet_verwacht_wel": 10,
            "nog_niet_verwacht_niet": 5,
        }
    elif uitkomst == "deels_opgelost":
        gewichten = {
            "volledig": 10,
            "deels": 60,
            "nog_niet_verwacht_wel": 18,
            "nog_niet_verwacht_niet": 12,
        }
    else:
        gewichten = {k: float(v) for k, v in basis.items()}
        gewichten["volledig"] *= 0.3
        gewichten["deels"] *= 0.8
        gewichten["nog_niet_verwacht_niet"] *= 2.5
    return _kies(rng, gewichten)
