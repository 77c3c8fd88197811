"""API shapes of the quality figures. A hidden figure has its value, n and interval null and a
`reden`; no shape has room for a comment text or a person."""

from pydantic import BaseModel, Field

from stelsel.kwaliteit import cijfers
from stelsel.kwaliteit.queries import Overzicht


class GemiddeldeOut(BaseModel):
    gemiddelde: float | None
    n: int | None
    interval: tuple[float, float] | None = Field(None, description="95%-betrouwbaarheidsinterval")
    reden: str | None = Field(None, description="Waarom het cijfer ontbreekt")


class AandeelOut(BaseModel):
    aandeel: float | None = Field(description="Tussen 0 en 1")
    n: int | None
    interval: tuple[float, float] | None = None
    reden: str | None = None


class NpsOut(BaseModel):
    score: float | None = Field(description="Net Promoter Score, -100 tot 100")
    n: int | None
    interval: tuple[float, float] | None = None
    reden: str | None = None


class OpgelostDeel(BaseModel):
    aandeel: float | None
    interval: tuple[float, float] | None


class OpgelostOut(BaseModel):
    volledig: OpgelostDeel | None
    deels: OpgelostDeel | None
    nog_niet_verwacht_wel: OpgelostDeel | None
    nog_niet_verwacht_niet: OpgelostDeel | None
    n: int | None
    reden: str | None = None


class CijfersOut(BaseModel):
    csat: GemiddeldeOut
    ces: GemiddeldeOut
    nps: NpsOut
    opgelost: OpgelostOut
    first_time_right: AandeelOut
    doorverwijzingen_per_hulpvraag: GemiddeldeOut
    tijd_tot_eerste_contact_uren: GemiddeldeOut
    te_laat: AandeelOut
    pingpong: AandeelOut
    responspercentage: AandeelOut
    n: int | None = Field(description="Aantal antwoorden (leeg als de groep verborgen is)")
    reden: str | None = None


class PeriodeOut(CijfersOut):
    periode: str


class ReeksenOut(BaseModel):
    per: str
    reeks: list[PeriodeOut]


def _interval(i: tuple[float, float] | None, schaal: float = 1.0) -> tuple[float, float] | None:
    return None if i is None else (round(i[0] * schaal, 4), round(i[1] * schaal, 4))


def _r(x: float | None, d: int = 4) -> float | None:
    return None if x is None else round(x, d)


def gemiddelde(g: cijfers.Gemiddelde) -> GemiddeldeOut:
    if g.gemiddelde is None:
        return GemiddeldeOut(gemiddelde=None, n=None, interval=None, reden=g.reden)
    return GemiddeldeOut(
        gemiddelde=_r(g.gemiddelde), n=g.n, interval=_interval(g.interval), reden=None
    )


def aandeel(a: cijfers.Aandeel) -> AandeelOut:
    if a.aandeel is None:
        return AandeelOut(aandeel=None, n=None, interval=None, reden=a.reden)
    return AandeelOut(aandeel=_r(a.aandeel), n=a.n, interval=_interval(a.interval))


def nps(n: cijfers.Nps) -> NpsOut:
    if n.score is None:
        return NpsOut(score=None, n=None, reden=n.reden)
    return NpsOut(score=_r(n.score, 2), n=n.n, interval=_interval(n.interval))


def opgelost(o: cijfers.Opgelost) -> OpgelostOut:
    if o.reden is not None:
        leeg = dict.fromkeys(cijfers.OPGELOST)
        return OpgelostOut(**leeg, n=None, reden=o.reden)
    delen = {
        k: OpgelostDeel(aandeel=_r(a.aandeel), interval=_interval(a.interval))
        for k, a in o.aandelen.items()
    }
    return OpgelostOut(**delen, n=o.n)  # type: ignore[arg-type]


def kern(k: cijfers.Kerncijfers) -> dict:
    return {
        "csat": gemiddelde(k.csat),
        "ces": gemiddelde(k.ces),
        "nps": nps(k.nps),
        "opgelost": opgelost(k.opgelost),
        "first_time_right": aandeel(k.first_time_right),
        "n": None if k.verborgen else k.n,
        "reden": k.reden,
    }


def uit_overzicht(o: Overzicht) -> CijfersOut:
    return CijfersOut(
        **kern(o.kern),
        doorverwijzingen_per_hulpvraag=gemiddelde(o.keten.hops_per_hulpvraag),
        tijd_tot_eerste_contact_uren=gemiddelde(o.keten.tijd_tot_eerste_contact_uren),
        te_laat=aandeel(o.keten.te_laat),
        pingpong=aandeel(o.keten.pingpong),
        responspercentage=aandeel(o.respons),
    )
