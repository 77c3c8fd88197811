"""Vraag versus aanbod per region and thema: demand (wegwijzer signals, hulpvragen, referrals)
against supply (the diensten available there). Pure: plain values in, plain values out.

Small counts follow the minimum-group rule of the quality figures (STELSEL_MINIMALE_GROEP,
default 10): a demand count below it is shown as "minder dan N" and never used to call a
combination under-served, so no single entrepreneur can be singled out.

Under-served ("onderbediend"), for a thema with enough demand:
- no personal help (advies or programma) is available in some gemeente of the region where the
  demand comes from; or
- at least a quarter of the wegwijzer's questions found no dienst at all; or
- there are more than VRAAG_PER_DIENST questions and hulpvragen per regional personal dienst.
Capacity (how many businesses a dienst can take) is not in the register, so supply is counted
in diensten.
"""

from dataclasses import dataclass, field

from stelsel.analyse.index import THEMAS

ZONDER_DEUR_AANDEEL = 0.25
VRAAG_PER_DIENST = 50


@dataclass
class VraagAanbodRij:
    thema: str
    signalen: int | None  # None: fewer than the minimum group
    zonder_deur: int | None
    hulpvragen: int | None
    doorverwijzingen: int | None
    vraag_klein: bool  # total demand below the minimum group
    diensten: int
    regionaal: int
    persoonlijk: int
    gemeenten_zonder_persoonlijk: int
    onderbediend: bool
    redenen: list[str] = field(default_factory=list)


def _toon(n: int, minimum: int) -> int | None:
    return None if 0 < n < minimum else n


def vraag_aanbod(
    *,
    gemeenten: list[str],
    signalen: dict[tuple[str, str], tuple[int, int]],
    verwijzingen: dict[tuple[str, str], tuple[int, int]],
    aanbod: dict[str, tuple[int, int, int]],
    zonder_persoonlijk: dict[str, list[str]],
    minimum: int,
) -> list[VraagAanbodRij]:
    """Per thema: demand summed over the region's gemeenten against supply.

    signalen: (gemeente, thema) → (questions, questions without a door)
    verwijzingen: (gemeente, thema) → (hulpvragen, referrals)
    aanbod: thema → (diensten, regional or local, personal) available in the region
    zonder_persoonlijk: thema → gemeenten of the region without personal help for it
    """
    uit = []
    for t in THEMAS:
        s = sum(signalen.get((g, t), (0, 0))[0] for g in gemeenten)
        z = sum(signalen.get((g, t), (0, 0))[1] for g in gemeenten)
        h = sum(verwijzingen.get((g, t), (0, 0))[0] for g in gemeenten)
        d = sum(verwijzingen.get((g, t), (0, 0))[1] for g in gemeenten)
        n, reg, pers = aanbod.get(t, (0, 0, 0))
        # gemeenten without personal help that do ask for it
        vragend = {g for g in gemeenten if signalen.get((g, t), (0, 0))[0]} | {
            g for g in gemeenten if verwijzingen.get((g, t), (0, 0))[0]
        }
        zonder = [g for g in zonder_persoonlijk.get(t, []) if g in vragend]
        vraag = s + h
        klein = vraag < minimum
        redenen = []
        if not klein:
            if zonder:
                redenen.append(f"in {len(zonder)} gemeente(n) met vraag is geen persoonlijke hulp")
            if s >= minimum and z / s >= ZONDER_DEUR_AANDEEL:
                redenen.append(
                    f"{round(100 * z / s)}% van de vragen in de wegwijzer vond geen dienst"
                )
            if reg and vraag / reg > VRAAG_PER_DIENST:
                redenen.append(f"{vraag / reg:.0f} vragen per regionale dienst")
            elif not reg and pers == 0:
                redenen.append("geen regionale dienst en geen persoonlijke hulp")
        uit.append(
            VraagAanbodRij(
                thema=t,
                signalen=_toon(s, minimum),
                zonder_deur=_toon(z, minimum) if s >= minimum else None,
                hulpvragen=_toon(h, minimum),
                doorverwijzingen=_toon(d, minimum),
                vraag_klein=klein,
                diensten=n,
                regionaal=reg,
                persoonlijk=pers,
                gemeenten_zonder_persoonlijk=len(zonder_persoonlijk.get(t, [])),
                onderbediend=bool(redenen),
                redenen=redenen,
            )
        )
    return uit
