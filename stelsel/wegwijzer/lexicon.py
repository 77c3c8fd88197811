"""The domain lexicon (data/wegwijzer/lexicon.csv): words entrepreneurs use → thema's,
query expansions and an information/advice lean. Data, not code."""

import csv
from dataclasses import dataclass
from pathlib import Path

from stelsel.register import taxonomie as tx
from stelsel.wegwijzer.tekst import stam, woorden


@dataclass(frozen=True)
class Term:
    stammen: tuple[str, ...]  # the term's word stems, matched as a contiguous run
    themas: tuple[str, ...]
    uitbreiding: tuple[str, ...]  # extra words (surface form) to add to the query
    soort: str  # 'informatie', 'advies' or ''


class LexiconFout(ValueError):
    pass


def lees(path: Path) -> list[Term]:
    """Read and check the lexicon; unknown thema or soort codes are an error."""
    terms = []
    with open(path, encoding="utf-8") as f:
        for nr, row in enumerate(csv.DictReader(f), start=2):
            if row["term"].startswith("#"):
                continue
            themas = tuple(t for t in (row["themas"] or "").split(";") if t)
            for t in themas:
                if t not in tx.codes(tx.THEMAS):
                    raise LexiconFout(f"{path.name}:{nr}: themas: onbekend thema '{t}'")
            soort = (row["soort"] or "").strip()
            if soort not in ("", "informatie", "advies"):
                raise LexiconFout(
                    f"{path.name}:{nr}: soort: '{soort}' moet informatie of advies zijn"
                )
            stems = tuple(stam(w) for w in woorden(row["term"]))
            if not stems:
                raise LexiconFout(f"{path.name}:{nr}: term: leeg")
            uitbreiding = tuple(
                u.strip() for u in (row["uitbreiding"] or "").split(";") if u.strip()
            )
            terms.append(Term(stems, themas, uitbreiding, soort))
    return _merge(terms)


def _merge(terms: list[Term]) -> list[Term]:
    """One term per stem run: 'lening' and 'lenen' share a stem, so their data is combined."""
    merged: dict[tuple[str, ...], Term] = {}
    for t in terms:
        old = merged.get(t.stammen)
        if old is None:
            merged[t.stammen] = t
            continue
        merged[t.stammen] = Term(
            t.stammen,
            tuple(dict.fromkeys(old.themas + t.themas)),
            tuple(dict.fromkeys(old.uitbreiding + t.uitbreiding)),
            old.soort or t.soort,
        )
    return list(merged.values())


def zoek(terms: list[Term], stems: list[str]) -> list[Term]:
    """The lexicon terms whose stems occur as a contiguous run in the question's stems."""
    found = []
    for term in terms:
        n = len(term.stammen)
        if any(tuple(stems[i : i + n]) == term.stammen for i in range(len(stems) - n + 1)):
            found.append(term)
    return found
