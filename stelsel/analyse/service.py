"""The public face of the analyse domain: the consistentietoets, the ecosysteemscan and vraag
versus aanbod. Plain functions taking a session and returning plain values.

The analyses work on an in-memory Index of the register (index.py), built once per register
version and database (register.versie: one primary-key read per call) and shared by all
requests of the process.
"""

import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts.rollen import Actor
from stelsel.analyse import overlap as ov
from stelsel.analyse import scan as sc
from stelsel.analyse.index import GEBIEDSOORTEN, THEMAS, GemeenteInfo, Index
from stelsel.analyse.vraagaanbod import VraagAanbodRij, vraag_aanbod
from stelsel.config import get_settings
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.errors import NietGevonden, Ongeldig, Verboden
from stelsel.geo import service as geo
from stelsel.register import service as register
from stelsel.register import taxonomie as tx
from stelsel.wegwijzer import service as wegwijzer

Voorstel = ov.Voorstel
Toetsrapport = ov.Toetsrapport
Scan = sc.Scan
BASISREGELS = sc.BASISREGELS
# demand counted over this many days
VRAAG_DAGEN = 365


@dataclass
class _Geheugen:
    sleutel: tuple[str, str]
    index: Index
    maskers: np.ndarray


_lock = threading.Lock()
_cache: dict[str, _Geheugen] = {}


def _bouw(session: Session) -> tuple[Index, np.ndarray]:
    diensten = register.analysebron.alle_diensten(session=session, vandaag=date.today())
    gemeenten = [
        GemeenteInfo(g.code, g.naam, g.provincie_code, g.corop_code, g.arbeidsmarktregio_code)
        for g in geo.get_all(session=session)
    ]
    index = Index(diensten, gemeenten, geo.area_names(session=session))
    return index, sc.basismaskers(index)


def index(*, session: Session) -> tuple[Index, np.ndarray]:
    """The Index of the register in this session's database, rebuilt when the register changed."""
    bind = session.get_bind()
    db = str(bind.engine.url)
    sleutel = (db, register.versie(session=session))
    with _lock:
        g = _cache.get(db)
        if g is not None and g.sleutel == sleutel:
            return g.index, g.maskers
        idx, maskers = _bouw(session)
        _cache[db] = _Geheugen(sleutel, idx, maskers)
        return idx, maskers


def minimale_groep() -> int:
    """The smallest count shown (the quality figures' minimum-group rule)."""
    return int(getattr(get_settings(), "minimale_groep", 10))


def regio_of_raise(idx: Index, code: str | None, veld: str = "regio") -> str:
    code = (code or "").strip().upper()
    try:
        idx.regio(code)
    except KeyError:
        raise Ongeldig(
            veld,
            "geef de code van een provincie (PV20), arbeidsmarktregio (AM01), COROP-gebied "
            "(CR01) of gemeente (GM0014)",
        ) from None
    return code


# --- ecosysteemscan -------------------------------------------------------------------------


def ecosysteemscan(*, session: Session, regio: str) -> Scan:
    """The scan of a PV/AM/CR/GM code; Ongeldig('regio') when the code is unknown."""
    idx, maskers = index(session=session)
    return sc.scan(idx, maskers, regio_of_raise(idx, regio))


def regio_keuzes(*, session: Session) -> dict[str, list[tuple[str, str]]]:
    """Every region code with its name, per kind, for a picker."""
    idx, _ = index(session=session)
    return {
        soort: sorted(
            ((c, idx.gebiedsnamen.get((soort, c), c)) for c in idx.regio_codes(soort)),
            key=lambda x: x[1],
        )
        for soort in GEBIEDSOORTEN.values()
    }


# --- vraag versus aanbod ---------------------------------------------------------------------


def _vraag(session: Session, dagen: int = VRAAG_DAGEN):
    sinds = datetime.now(UTC) - timedelta(days=dagen)
    signalen = {
        (r.gemeente_code or "", r.thema): (r.aantal, r.zonder_deur)
        for r in wegwijzer.vraagbron.per_gemeente_en_thema(session=session, sinds=sinds)
    }
    verwijzingen = {
        (r.gemeente_code or "", r.thema): (r.hulpvragen, r.doorverwijzingen)
        for r in doorverwijzing.analysebron.per_gemeente_en_thema(session=session, sinds=sinds)
    }
    return signalen, verwijzingen


def _aanbod(idx: Index, gm: np.ndarray) -> tuple[dict, dict]:
    hier = idx.beschikbaar[gm].any(axis=0)
    aanbod = {}
    zonder: dict[str, list[str]] = {}
    for ti, t in enumerate(THEMAS):
        m = hier & idx.thema[:, ti]
        aanbod[t] = (
            int(m.sum()),
            int((m & ~idx.landelijk).sum()),
            int((m & idx.persoonlijk).sum()),
        )
        pers = (idx.beschikbaar[gm] & (idx.thema[:, ti] & idx.persoonlijk)).any(axis=1)
        zonder[t] = [idx.gemeenten[g].code for g, p in zip(gm, pers, strict=True) if not p]
    return aanbod, zonder


@dataclass
class VraagAanbod:
    code: str
    naam: str
    minimum: int
    dagen: int
    rijen: list[VraagAanbodRij]


def vraag_versus_aanbod(*, session: Session, regio: str) -> VraagAanbod:
    """Demand against supply per thema in a region (small counts hidden)."""
    idx, _ = index(session=session)
    code = regio_of_raise(idx, regio)
    _, naam, gm = idx.regio(code)
    signalen, verwijzingen = _vraag(session)
    aanbod, zonder = _aanbod(idx, gm)
    rijen = vraag_aanbod(
        gemeenten=[idx.gemeenten[g].code for g in gm],
        signalen=signalen,
        verwijzingen=verwijzingen,
        aanbod=aanbod,
        zonder_persoonlijk=zonder,
        minimum=minimale_groep(),
    )
    return VraagAanbod(code, naam, minimale_groep(), VRAAG_DAGEN, rijen)


# --- consistentietoets ----------------------------------------------------------------------


def _codes(waarden, terms, veld: str) -> tuple[str, ...]:
    try:
        return tuple(tx.controleer([w.strip() for w in waarden if w.strip()], terms))
    except ValueError as e:
        raise Ongeldig(veld, str(e)) from None


def gebied_van(idx: Index, waarden: list[str], veld: str = "werkgebied") -> tuple:
    """Area codes ('PV30', 'provincie:PV30', 'landelijk') as (soort, code) pairs; () is
    landelijk."""
    uit = []
    for w in waarden:
        w = w.strip()
        if not w or w.lower() == "landelijk":
            continue
        code = w.split(":", 1)[-1].strip().upper()
        soort = GEBIEDSOORTEN.get(code[:2])
        if soort is None or (soort, code) not in idx.leden:
            shown = w if len(w) <= 40 else w[:40] + "…"
            raise Ongeldig(veld, f"'{shown}' is geen bekende code (PV20, AM01, CR01, GM0014)")
        uit.append((soort, code))
    return tuple(dict.fromkeys(uit))


def voorstel(
    *,
    session: Session,
    naam: str,
    omschrijving: str,
    themas: list[str],
    fasen: list[str] | None = None,
    doelgroepen: list[str] | None = None,
    soort: str = "",
    aanbieder: str = "",
    werkgebied: list[str] | None = None,
    trefwoorden: str = "",
) -> Voorstel:
    """A proposed dienst from what a form, the API or a CSV gives; Ongeldig naming the field."""
    idx, _ = index(session=session)
    naam, omschrijving = naam.strip(), omschrijving.strip()
    if not naam:
        raise Ongeldig("naam", "vul een naam in")
    if len(naam) > 250:
        raise Ongeldig("naam", "mag hoogstens 250 tekens zijn")
    if len(omschrijving) > 5000:
        raise Ongeldig("omschrijving", "mag hoogstens 5000 tekens zijn")
    t = _codes(themas, tx.THEMAS, "themas")
    if not t:
        raise Ongeldig("themas", "kies ten minste één thema")
    soort = soort.strip()
    if soort and soort not in tx.codes(tx.DIENST_SOORTEN):
        raise Ongeldig("soort", tx.onbekend(soort, tx.DIENST_SOORTEN))
    return Voorstel(
        naam=naam,
        omschrijving=omschrijving,
        themas=t,
        fasen=_codes(fasen or [], tx.FASEN, "fasen"),
        doelgroepen=_codes(doelgroepen or [], tx.DOELGROEPEN, "doelgroepen"),
        soort=soort,
        aanbieder=aanbieder.strip()[:200],
        werkgebied=gebied_van(idx, werkgebied or []),
        trefwoorden=trefwoorden[:2000],
    )


def bestaand(*, session: Session, dienst: str) -> Voorstel:
    """An existing dienst (slug or id) as a proposal to test; NietGevonden when unknown."""
    idx, _ = index(session=session)
    slug = dienst.strip()
    if slug not in idx.pos:
        try:
            u = uuid.UUID(slug)
        except ValueError:
            u = None
        slug = next((d.slug for d in idx.diensten if d.id == u), "") if u else ""
    if slug not in idx.pos:
        raise NietGevonden("deze dienst staat niet in het register")
    d = idx.diensten[idx.pos[slug]]
    return Voorstel(
        naam=d.naam,
        omschrijving=d.omschrijving,
        themas=d.themas,
        fasen=d.fasen,
        doelgroepen=d.doelgroepen,
        soort=d.soort,
        aanbieder=d.aanbieder_slug,
        werkgebied=d.werkgebied,
        trefwoorden=d.trefwoorden,
        slug=d.slug,
    )


def consistentietoets(*, session: Session, voorstel: Voorstel) -> Toetsrapport:
    """The report: overlapping diensten ranked and explained, gaps, demand, verdict."""
    idx, _ = index(session=session)
    rapport = ov.toets(idx, voorstel)
    gm = np.flatnonzero(idx.gemeenten_van_gebied(voorstel.werkgebied))
    rapport.vraag = _vraag_voor(session, idx, gm, voorstel.themas)
    return rapport


def _vraag_voor(session: Session, idx: Index, gm: np.ndarray, themas: tuple[str, ...]) -> dict:
    signalen, verwijzingen = _vraag(session)
    codes = {idx.gemeenten[g].code for g in gm}
    minimum = minimale_groep()
    per_thema = {}
    for t in themas:
        s = sum(v[0] for (g, th), v in signalen.items() if th == t and g in codes)
        z = sum(v[1] for (g, th), v in signalen.items() if th == t and g in codes)
        h = sum(v[0] for (g, th), v in verwijzingen.items() if th == t and g in codes)
        d = sum(v[1] for (g, th), v in verwijzingen.items() if th == t and g in codes)
        per_thema[t] = {
            "signalen": None if 0 < s < minimum else s,
            "zonder_deur": None if (s < minimum or 0 < z < minimum) else z,
            "hulpvragen": None if 0 < h < minimum else h,
            "doorverwijzingen": None if 0 < d < minimum else d,
        }
    return {"dagen": VRAAG_DAGEN, "minimum": minimum, "per_thema": per_thema}


def overlap_clusters(*, session: Session, drempel: float = 0.6, top: int = 20):
    """The most overlapping clusters over the whole register, and the number of network copies."""
    idx, _ = index(session=session)
    return ov.clusters(idx, drempel=drempel, top=top)


# --- who may, and plain dicts for the API and exports ---------------------------------------

ANALISTEN = (rollen.REGIOCOORDINATOR, rollen.STELSELREGISSEUR, rollen.BEHEERDER)


def mag_analyseren(actor: Actor) -> None:
    """Verboden unless the actor's role may run the analyses."""
    if actor.rol not in ANALISTEN:
        raise Verboden("alleen regiocoördinatoren, stelselregisseurs en beheerders")


def invoer(velden: dict) -> dict:
    """The keyword arguments of toets_als_dict from an API body or a form."""
    gebied = [
        w if isinstance(w, str) else f"{w['soort']}:{w['code']}"
        for w in velden.get("werkgebied", [])
    ]
    tref = velden.get("trefwoorden", "")
    return {
        "dienst": velden.get("dienst") or None,
        "naam": velden.get("naam", ""),
        "omschrijving": velden.get("omschrijving", ""),
        "aanbieder": velden.get("aanbieder", ""),
        "soort": velden.get("soort", ""),
        "themas": list(velden.get("themas", [])),
        "fasen": list(velden.get("fasen", [])),
        "doelgroepen": list(velden.get("doelgroepen", [])),
        "werkgebied": gebied,
        "trefwoorden": tref if isinstance(tref, str) else " ".join(tref),
    }


def toets_van(*, session: Session, dienst: str | None = None, **velden) -> Toetsrapport:
    """The toets of an existing dienst (slug or id) or of the proposal in `velden`."""
    v = bestaand(session=session, dienst=dienst) if dienst else voorstel(session=session, **velden)
    return consistentietoets(session=session, voorstel=v)


def toets_als_dict(*, session: Session, **velden) -> dict:
    r = toets_van(session=session, **velden)
    return {
        "oordeel": r.oordeel,
        "redenen": r.redenen,
        "overlap": [
            {
                "dienst": {
                    "slug": o.slug,
                    "naam": o.naam,
                    "aanbieder": o.aanbieder,
                    "landelijk": o.landelijk,
                },
                "score": o.score,
                "delen": o.delen,
                "redenen": o.redenen,
                "netwerk": o.netwerk,
            }
            for o in r.overlap
        ],
        "gaten": [asdict(g) for g in r.gaten],
        "gemeenten": r.gemeenten,
        "kandidaten": r.kandidaten,
        "vraag": r.vraag,
    }


def scan_als_dict(s: Scan) -> dict:
    basis = [{**asdict(b), "compleet": b.compleet} for b in s.basis]
    return {
        "code": s.code,
        "soort": s.soort,
        "naam": s.naam,
        "aantal_diensten": s.aantal_diensten,
        "landelijk": s.landelijk,
        "regionaal": s.regionaal,
        "gini": s.gini,
        "gemeenten": [{"code": c, "naam": n, "dekking": s.dekking[c]} for c, n in s.gemeenten],
        "thema_fase": [asdict(c) for c in s.thema_fase],
        "thema_doelgroep": [asdict(c) for c in s.thema_doelgroep],
        "witte_vlekken": [asdict(c) for c in s.witte_vlekken],
        "overlappen": [asdict(c) for c in s.overlappen],
        "basisinfrastructuur": basis,
    }


def vraag_aanbod_als_dict(v: VraagAanbod) -> dict:
    return {
        "code": v.code,
        "naam": v.naam,
        "minimum": v.minimum,
        "dagen": v.dagen,
        "themas": [asdict(r) for r in v.rijen],
    }
