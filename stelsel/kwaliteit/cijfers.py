"""The quality figures, each defined once. Pure: no ORM, no web.

Every figure is computed from sufficient statistics (counts, sums, sums of squares), never from
rows, so the same function gives the same answer on raw responses and on the rollup: the
statistics are integers and add up exactly. The formulas are in docs/kwaliteit.md.

The minimum group rule (docs/kwaliteit.md, "Kleine groepen"):
- R1: a figure over fewer than `minimum` responses is hidden (None, with a reason).
- R2: in a breakdown (a total and its children), when any child is hidden, further children are
  hidden (smallest first) until at least two are hidden and the hidden children together hold at
  least `minimum` responses; if that is impossible, the total is hidden too. So "total minus the
  shown children" only ever reveals a group of at least `minimum` responses, never one child.
- R3: a figure for a filtered group is hidden when removing one of its filters gives a shown
  group whose remainder (parent minus this group) is non-empty and smaller than `minimum`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache

Z95 = 1.959963984540054  # the 97.5% quantile of the standard normal distribution

OPGELOST = ("volledig", "deels", "nog_niet_verwacht_wel", "nog_niet_verwacht_niet")

TE_WEINIG = "te weinig antwoorden"
GEEN = "geen antwoorden"
AFGELEID = "verborgen zodat een kleine groep niet is af te leiden"


def reden_te_weinig(n: int, minimum: int) -> str:
    return GEEN if n == 0 else f"{TE_WEINIG} (minder dan {minimum})"


# --------------------------------------------------------------------------- sufficient statistics


@dataclass
class Sommen:
    """The sufficient statistics of a group of responses; the columns of kwaliteit_rollup."""

    n: int = 0
    csat_n: int = 0
    csat_som: int = 0
    csat_kwadraatsom: int = 0
    ces_n: int = 0
    ces_som: int = 0
    ces_kwadraatsom: int = 0
    nps_n: int = 0
    nps_promotors: int = 0
    nps_passief: int = 0
    nps_criticasters: int = 0
    opgelost_volledig: int = 0
    opgelost_deels: int = 0
    opgelost_nog_niet_verwacht_wel: int = 0
    opgelost_nog_niet_verwacht_niet: int = 0
    ftr_n: int = 0
    ftr_ja: int = 0

    def __add__(self, other: Sommen) -> Sommen:
        return Sommen(**{k: getattr(self, k) + getattr(other, k) for k in KOLOMMEN})

    def __sub__(self, other: Sommen) -> Sommen:
        return Sommen(**{k: getattr(self, k) - getattr(other, k) for k in KOLOMMEN})

    def als_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in KOLOMMEN}

    @property
    def opgelost_n(self) -> int:
        return sum(getattr(self, f"opgelost_{o}") for o in OPGELOST)


KOLOMMEN = tuple(f.name for f in fields(Sommen))


def van_antwoord(
    *,
    csat: int | None,
    ces: int | None,
    nps: int | None,
    opgelost: str | None,
    eerste_keer_goed: bool | None,
) -> Sommen:
    """The statistics of one response (each question may be unanswered: None)."""
    s = Sommen(n=1)
    if csat is not None:
        s.csat_n, s.csat_som, s.csat_kwadraatsom = 1, csat, csat * csat
    if ces is not None:
        s.ces_n, s.ces_som, s.ces_kwadraatsom = 1, ces, ces * ces
    if nps is not None:
        s.nps_n = 1
        if nps >= 9:
            s.nps_promotors = 1
        elif nps >= 7:
            s.nps_passief = 1
        else:
            s.nps_criticasters = 1
    if opgelost is not None:
        if opgelost not in OPGELOST:
            raise ValueError(f"opgelost: onbekende waarde {opgelost!r}")
        setattr(s, f"opgelost_{opgelost}", 1)
    if eerste_keer_goed is not None:
        s.ftr_n, s.ftr_ja = 1, int(eerste_keer_goed)
    return s


def optellen(delen: list[Sommen]) -> Sommen:
    totaal = Sommen()
    for d in delen:
        totaal = totaal + d
    return totaal


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Gemiddelde:
    """A mean with its 95% t-interval; `gemiddelde` None with `reden` when hidden."""

    gemiddelde: float | None
    n: int
    interval: tuple[float, float] | None
    reden: str | None = None


@dataclass(frozen=True)
class Aandeel:
    """A share (0..1) with its 95% Wilson interval."""

    aandeel: float | None
    n: int
    interval: tuple[float, float] | None
    reden: str | None = None
    teller: int | None = None


@dataclass(frozen=True)
class Nps:
    """Net Promoter Score (-100..100) with its 95% interval."""

    score: float | None
    n: int
    interval: tuple[float, float] | None
    reden: str | None = None
    promotors: float | None = None
    passief: float | None = None
    criticasters: float | None = None


@dataclass(frozen=True)
class Opgelost:
    """The four answers to "Is uw vraag opgelost?", each a share with its interval."""

    n: int
    aandelen: dict[str, Aandeel] = field(default_factory=dict)
    reden: str | None = None


@lru_cache(maxsize=512)
def t_kwantiel(df: int) -> float:
    """The 97.5% quantile of Student's t with `df` degrees of freedom."""
    from scipy.stats import t  # type: ignore[import-untyped]

    return float(t.ppf(0.975, df))


def gemiddelde(n: int, som: float, kwadraatsom: float, *, minimum: int = 1) -> Gemiddelde:
    """Mean ± t(0.975, n-1) · s/√n, s² = (Σx² − (Σx)²/n)/(n−1). With n = 1 no interval."""
    if n < max(minimum, 1):
        return Gemiddelde(None, n, None, reden_te_weinig(n, minimum))
    m = som / n
    if n == 1:
        return Gemiddelde(m, n, None)
    var = max((kwadraatsom - som * som / n) / (n - 1), 0.0)
    h = t_kwantiel(n - 1) * math.sqrt(var / n)
    return Gemiddelde(m, n, (m - h, m + h))


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials."""
    p = k / n
    z2 = z * z
    midden = (p + z2 / (2 * n)) / (1 + z2 / n)
    h = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if k == 0 else max(0.0, midden - h)
    hi = 1.0 if k == n else min(1.0, midden + h)
    return (lo, hi)


def aandeel(k: int, n: int, *, minimum: int = 1) -> Aandeel:
    """k/n with its Wilson interval."""
    if n < max(minimum, 1):
        return Aandeel(None, n, None, reden_te_weinig(n, minimum))
    return Aandeel(k / n, n, wilson(k, n), teller=k)


def nps(promotors: int, passief: int, criticasters: int, *, minimum: int = 1) -> Nps:
    """NPS = 100·(P − D)/n, P: 9–10, D: 0–6. The counts are one multinomial sample, so
    Var(p̂P − p̂D) = (pP + pD − (pP − pD)²)/n; interval: score ± z·100·√Var, clipped to ±100."""
    n = promotors + passief + criticasters
    if n < max(minimum, 1):
        return Nps(None, n, None, reden_te_weinig(n, minimum))
    pp, pd = promotors / n, criticasters / n
    verschil = pp - pd
    h = Z95 * math.sqrt(max(pp + pd - verschil * verschil, 0.0) / n)
    return Nps(
        100 * verschil,
        n,
        (max(-100.0, 100 * (verschil - h)), min(100.0, 100 * (verschil + h))),
        promotors=pp,
        passief=passief / n,
        criticasters=pd,
    )


def opgelost(tellingen: Mapping[str, int], *, minimum: int = 1) -> Opgelost:
    """Each answer's share of all who answered the question, with its Wilson interval."""
    n = sum(tellingen.get(o, 0) for o in OPGELOST)
    if n < max(minimum, 1):
        return Opgelost(n, {}, reden_te_weinig(n, minimum))
    return Opgelost(n, {o: aandeel(tellingen.get(o, 0), n) for o in OPGELOST})


@dataclass(frozen=True)
class Kerncijfers:
    """The survey figures of one group."""

    n: int
    csat: Gemiddelde
    ces: Gemiddelde
    nps: Nps
    opgelost: Opgelost
    first_time_right: Aandeel
    reden: str | None = None

    @property
    def verborgen(self) -> bool:
        return self.reden is not None


def kerncijfers(s: Sommen, *, minimum: int, reden: str | None = None) -> Kerncijfers:
    """All survey figures of a group. `reden` hides the whole group (R2/R3 decided elsewhere);
    R1 is applied here, per figure, to the responses that answered that question and to the
    group as a whole."""
    if reden is None and s.n < minimum:
        reden = reden_te_weinig(s.n, minimum)
    if reden is not None:
        return Kerncijfers(
            n=s.n,
            csat=Gemiddelde(None, s.csat_n, None, reden),
            ces=Gemiddelde(None, s.ces_n, None, reden),
            nps=Nps(None, s.nps_n, None, reden),
            opgelost=Opgelost(s.opgelost_n, {}, reden),
            first_time_right=Aandeel(None, s.ftr_n, None, reden),
            reden=reden,
        )
    return Kerncijfers(
        n=s.n,
        csat=gemiddelde(s.csat_n, s.csat_som, s.csat_kwadraatsom, minimum=minimum),
        ces=gemiddelde(s.ces_n, s.ces_som, s.ces_kwadraatsom, minimum=minimum),
        nps=nps(s.nps_promotors, s.nps_passief, s.nps_criticasters, minimum=minimum),
        opgelost=opgelost(
            {o: getattr(s, f"opgelost_{o}") for o in OPGELOST},
            minimum=minimum,
        ),
        first_time_right=aandeel(s.ftr_ja, s.ftr_n, minimum=minimum),
    )


# --------------------------------------------------------------------------- referral figures


@dataclass
class Ketensommen:
    """Sufficient statistics of referral chains (doorverwijzing.kwaliteit_cijfers)."""

    hulpvragen: int = 0  # cases with at least one referral
    hops: int = 0  # referrals in those cases
    hops_kwadraatsom: int = 0  # Σ (referrals per case)²
    pingpong: int = 0  # cases that came back to an aanbieder already in their chain
    doorverwijzingen: int = 0
    te_laat: int = 0  # unanswered after their first-contact deadline
    contact_n: int = 0  # referrals with a first reaction of the receiver
    contact_uren_som: float = 0.0  # Σ hours from sent to first reaction
    contact_uren_kwadraatsom: float = 0.0


@dataclass(frozen=True)
class Ketencijfers:
    hops_per_hulpvraag: Gemiddelde
    tijd_tot_eerste_contact_uren: Gemiddelde
    te_laat: Aandeel
    pingpong: Aandeel


def ketencijfers(k: Ketensommen, *, minimum: int) -> Ketencijfers:
    return Ketencijfers(
        hops_per_hulpvraag=gemiddelde(k.hulpvragen, k.hops, k.hops_kwadraatsom, minimum=minimum),
        tijd_tot_eerste_contact_uren=gemiddelde(
            k.contact_n, k.contact_uren_som, k.contact_uren_kwadraatsom, minimum=minimum
        ),
        te_laat=aandeel(k.te_laat, k.doorverwijzingen, minimum=minimum),
        pingpong=aandeel(k.pingpong, k.hulpvragen, minimum=minimum),
    )


def responspercentage(antwoorden: int, uitnodigingen: int, *, minimum: int) -> Aandeel:
    """Responses over invitations sent, with its Wilson interval."""
    return aandeel(min(antwoorden, uitnodigingen), uitnodigingen, minimum=minimum)


# --------------------------------------------------------------------------- the minimum rule


def onderdruk(
    groepen: Mapping[Hashable, int],
    *,
    minimum: int,
    totaal: int | None = None,
    al_verborgen: Mapping[Hashable, str] | None = None,
) -> tuple[dict[Hashable, str | None], str | None]:
    """R1 and R2 for one breakdown: the reason each child is hidden (None: shown), and the
    reason the total is hidden (None: shown).

    `groepen` are the children's sizes; `totaal` the total's size when it is larger than the
    sum of the children (a remainder not in any child, e.g. responses without a region) or
    when the children overlap (thema's), else None (the sum). `al_verborgen`: children hidden
    for another reason (R3) before R2 is applied."""
    redenen: dict[Hashable, str | None] = {
        k: (reden_te_weinig(n, minimum) if 0 < n < minimum else None) for k, n in groepen.items()
    }
    for k, r in (al_verborgen or {}).items():
        if k in redenen and redenen[k] is None and groepen[k] > 0:
            redenen[k] = r
    som = sum(groepen.values())
    rest = 0 if totaal is None else max(totaal - som, 0)
    totaal_n = som + rest if totaal is None or totaal >= som else totaal
    totaal_reden = reden_te_weinig(totaal_n, minimum) if totaal_n < minimum else None

    def verborgen() -> list[Hashable]:
        return [k for k, r in redenen.items() if r is not None]

    # A remainder outside the children acts as one more hidden cell when small: it is never
    # shown itself, but the total minus the children reveals it.
    rest_verborgen = 0 < rest < minimum
    while True:
        weg = verborgen()
        n_weg = sum(groepen[k] for k in weg) + (rest if rest_verborgen else 0)
        cellen = len(weg) + (1 if rest_verborgen else 0)
        if cellen == 0 or (cellen >= 2 and n_weg >= minimum):
            break
        zichtbaar = sorted(
            (k for k, r in redenen.items() if r is None and groepen[k] > 0),
            key=lambda k: (groepen[k], str(k)),
        )
        if not zichtbaar:
            # nothing left to hide: the hidden cells can only be protected by hiding the total
            totaal_reden = totaal_reden or AFGELEID
            break
        redenen[zichtbaar[0]] = AFGELEID
    return redenen, totaal_reden


def rest_te_klein(groep_n: int, ouder_n: int, *, minimum: int) -> bool:
    """R3: the parent minus this group is a non-empty group below the minimum."""
    rest = ouder_n - groep_n
    return 0 < rest < minimum
