"""TopoJSON decoding, and how the bundled gemeente geometry was made from its source.

TopoJSON stores each shared border once, as an *arc*: a list of quantised points, each after the
first written as the difference from the previous one; a polygon ring is a list of arc indices,
where `~i` (that is `-i - 1`) means arc `i` walked backwards. Decoding is a running sum and one
affine transform, so we do it here instead of pulling in a library.

`python -m stelsel.uitvoer.topojson SOURCE.topo.json OUT.topo.json` rebuilds
`data/gemeenten.topo.json` from the RIVM coronadashboard file (see `data/SOURCES.md`): it keeps
the gemeente layer, projects lon/lat to `x = lon · cos(52.2°)`, `y = lat` (equirectangular with
the cosine of the country's middle latitude, which keeps the Netherlands' shape within 2 %),
simplifies each arc with Douglas-Peucker (end points kept, so neighbours still share borders),
and quantises again.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Punt = tuple[float, float]
MIDDEN_BREEDTE = 52.2  # degrees north, the middle of the Netherlands
COS_MIDDEN = math.cos(math.radians(MIDDEN_BREEDTE))


def arcs_van(topologie: dict[str, Any]) -> list[list[Punt]]:
    """All arcs of a topology as absolute coordinates (delta decoding plus the transform)."""
    transform = topologie.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topologie["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    uit: list[list[Punt]] = []
    for arc in topologie["arcs"]:
        x = y = 0
        punten: list[Punt] = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            punten.append((x * sx + tx, y * sy + ty))
        uit.append(punten)
    return uit


def ringen_van(geometrie: dict[str, Any]) -> list[list[int]]:
    """The rings of a Polygon or MultiPolygon geometry, each as a list of (signed) arc indices."""
    if geometrie["type"] == "Polygon":
        return [list(r) for r in geometrie["arcs"]]
    if geometrie["type"] == "MultiPolygon":
        return [list(r) for polygoon in geometrie["arcs"] for r in polygoon]
    return []


def ring_punten(ring: Sequence[int], arcs: Sequence[Sequence[Punt]]) -> list[Punt]:
    """The points of a ring, its arcs joined (each arc's first point is the previous one's last)."""
    punten: list[Punt] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        punten.extend(arc if not punten else arc[1:])
    return punten


def vereenvoudig_lijn(punten: Sequence[Punt], tolerantie: float) -> list[Punt]:
    """Douglas-Peucker, iterative; the first and last point always stay."""
    if len(punten) < 3:
        return list(punten)
    houden = [False] * len(punten)
    houden[0] = houden[-1] = True
    stapel = [(0, len(punten) - 1)]
    while stapel:
        a, b = stapel.pop()
        (ax, ay), (bx, by) = punten[a], punten[b]
        dx, dy = bx - ax, by - ay
        lengte = math.hypot(dx, dy)
        verst, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = punten[i]
            if lengte == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / lengte
            if d > verst:
                verst, index = d, i
        if verst > tolerantie:
            houden[index] = True
            stapel += [(a, index), (index, b)]
    return [p for p, h in zip(punten, houden, strict=True) if h]


def vereenvoudig(
    bron: dict[str, Any], laag: str, *, tolerantie: float = 0.001, stappen: int = 4000
) -> dict[str, Any]:
    """One layer of a lon/lat topology, projected, simplified and quantised as a new topology."""
    arcs = arcs_van(bron)
    geometrieen = bron["objects"][laag]["geometries"]
    gebruikt = sorted({i if i >= 0 else ~i for g in geometrieen for r in ringen_van(g) for i in r})
    nieuw_index = {oud: nieuw for nieuw, oud in enumerate(gebruikt)}
    geprojecteerd = [[(x * COS_MIDDEN, y) for x, y in arcs[i]] for i in gebruikt]
    vereenvoudigd = []
    for arc in geprojecteerd:
        if len(arc) > 2 and arc[0] == arc[-1]:
            # a closed arc (an island): split so Douglas-Peucker has two distinct end points
            midden = len(arc) // 2
            vereenvoudigd.append(
                vereenvoudig_lijn(arc[: midden + 1], tolerantie)
                + vereenvoudig_lijn(arc[midden:], tolerantie)[1:]
            )
        else:
            vereenvoudigd.append(vereenvoudig_lijn(arc, tolerantie))
    xs = [x for arc in vereenvoudigd for x, _ in arc]
    ys = [y for arc in vereenvoudigd for _, y in arc]
    x0, y0 = min(xs), min(ys)
    schaal = max(max(xs) - x0, max(ys) - y0) / stappen
    q_arcs = []
    for arc in vereenvoudigd:
        q = [(round((x - x0) / schaal), round((y - y0) / schaal)) for x, y in arc]
        ontdubbeld = [q[0]] + [p for vorige, p in zip(q, q[1:], strict=False) if p != vorige]
        if len(ontdubbeld) == 1:
            ontdubbeld.append(ontdubbeld[0])
        delta = [list(ontdubbeld[0])] + [
            [b[0] - a[0], b[1] - a[1]] for a, b in zip(ontdubbeld, ontdubbeld[1:], strict=False)
        ]
        q_arcs.append(delta)

    def nieuw(i: int) -> int:
        return nieuw_index[i] if i >= 0 else ~nieuw_index[~i]

    uit_geometrieen = []
    for g in geometrieen:
        if g["type"] == "Polygon":
            ringen: Any = [[nieuw(i) for i in r] for r in g["arcs"]]
        else:
            ringen = [[[nieuw(i) for i in r] for r in p] for p in g["arcs"]]
        uit_geometrieen.append(
            {"type": g["type"], "arcs": ringen, "properties": {"code": g["properties"]["code"]}}
        )
    return {
        "type": "Topology",
        "transform": {"scale": [schaal, schaal], "translate": [x0, y0]},
        "objects": {"gemeenten": {"type": "GeometryCollection", "geometries": uit_geometrieen}},
        "arcs": q_arcs,
    }


def main(argv: list[str]) -> None:
    """Rebuild the bundled geometry: `python -m stelsel.uitvoer.topojson SOURCE OUT`."""
    bron_pad, uit_pad = Path(argv[0]), Path(argv[1])
    bron = json.loads(bron_pad.read_text(encoding="utf-8"))
    uit = vereenvoudig(bron, "gm_features")
    uit_pad.write_text(json.dumps(uit, separators=(",", ":")), encoding="utf-8")
    punten = sum(len(a) for a in uit["arcs"])
    print(
        f"{len(uit['objects']['gemeenten']['geometries'])} gemeenten, {len(uit['arcs'])} arcs, "
        f"{punten} punten, {uit_pad.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
