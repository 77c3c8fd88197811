"""CLI commands of the analyse domain: `stelsel analyse overlap | toets | scan`."""

import csv
import json
from pathlib import Path

import typer

from stelsel.analyse import service
from stelsel.db import get_engine, session_scope
from stelsel.errors import StelselFout
from stelsel.register import taxonomie as tx

analyse_app = typer.Typer(
    help="Analyse: consistentietoets, overlap, ecosysteemscan.", no_args_is_help=True
)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@analyse_app.command("overlap")
def overlap(
    drempel: float = typer.Option(0.6, min=0.3, max=0.95, help="Score vanaf waar een paar telt"),
    top: int = typer.Option(20, min=1, max=500, help="Aantal clusters"),
    als_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
) -> None:
    """The most overlapping clusters of diensten over the whole register."""
    with session_scope(get_engine()) as session:
        clusters, kopieen = service.overlap_clusters(session=session, drempel=drempel, top=top)
    if als_json:
        typer.echo(
            json.dumps(
                {
                    "netwerkkopieen": kopieen,
                    "clusters": [
                        {
                            "score": c.score,
                            "paren": c.paren,
                            "themas": c.themas,
                            "leden": [
                                {"slug": s, "naam": n, "aanbieder": a, "kopieen": k}
                                for s, n, a, k in c.leden
                            ],
                        }
                        for c in clusters
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(f"{kopieen} diensten zijn kopieën in een netwerk (zelfde dienst, ander gebied).")
    for i, c in enumerate(clusters, 1):
        themas = ", ".join(tx.label(tx.THEMAS, t) for t in c.themas)
        typer.echo(f"\n{i}. {len(c.leden)} diensten, score {c.score:.2f} ({themas})")
        for _, naam, aanbieder, k in c.leden:
            netwerk = f" [netwerk van {k}]" if k > 1 else ""
            typer.echo(f"   - {naam} ({aanbieder}){netwerk}")


def _lijst(waarde: str) -> list[str]:
    return [w.strip() for w in (waarde or "").split(";") if w.strip()]


@analyse_app.command("toets")
def toets(
    bestand: Path = typer.Argument(..., help="CSV in het formaat van diensten.csv"),
    als_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
) -> None:
    """The consistentietoets for every row of a CSV in the register's diensten format."""
    try:
        with open(bestand, encoding="utf-8-sig", newline="") as f:
            rijen = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"{bestand}: kan het bestand niet lezen ({type(e).__name__})")
    uit = []
    with session_scope(get_engine()) as session:
        for regel, r in enumerate(rijen, start=2):
            try:
                rapport = service.toets_als_dict(
                    session=session,
                    naam=r.get("naam", ""),
                    omschrijving=r.get("omschrijving", ""),
                    aanbieder=r.get("aanbieder", ""),
                    soort=r.get("soort", ""),
                    themas=_lijst(r.get("themas", "")),
                    fasen=_lijst(r.get("fasen", "")),
                    doelgroepen=_lijst(r.get("doelgroepen", "")),
                    werkgebied=_lijst(r.get("werkgebied", "")),
                    trefwoorden=r.get("trefwoorden", ""),
                )
            except StelselFout as e:
                _fail(f"{bestand}, regel {regel}: {e}")
            uit.append({"regel": regel, "naam": r.get("naam", ""), **rapport})
    if als_json:
        typer.echo(json.dumps(uit, ensure_ascii=False, indent=2))
        return
    for u in uit:
        typer.echo(f"\nRegel {u['regel']}: {u['naam']}: {u['oordeel'].replace('_', ' ')}")
        for reden in u["redenen"]:
            typer.echo(f"   {reden}")
        for o in u["overlap"][:5]:
            typer.echo(f"   {o['score']:.2f}  {o['dienst']['naam']} ({o['dienst']['aanbieder']})")


@analyse_app.command("scan")
def scan(
    regio: str = typer.Argument(..., help="PV20, AM01, CR01 of GM0014"),
) -> None:
    """The ecosysteemscan of a region, as JSON."""
    with session_scope(get_engine()) as session:
        try:
            s = service.ecosysteemscan(session=session, regio=regio)
        except StelselFout as e:
            _fail(str(e))
        typer.echo(json.dumps(service.scan_als_dict(s), ensure_ascii=False, indent=2))
