"""The domain lexicon (data/wegwijzer/lexicon.csv): words entrepreneurs use → thema's,
query expansions and an information/advice lean. Data, not code.

Terms match on Dutch stems, so 'lening' also finds 'leningen'. A term written with a leading
'=' matches only the words as written: stemming merges some words that mean different things
('regeling' and 'regelen', 'geld' and 'gelden').

The column `context` (`ja`) marks a word that says what kind of business or setting it is
('winkel', 'startup', 'webshop') rather than what the question is about: its thema's count
only when no other word names one, and it searches at the weight of an expansion."""

import csv
from dataclasses import dataclass
from pathlib import Path

from stelsel.register import taxonomie as tx
from stelsel.wegwijzer.tekst import stam, woorden


@dataclass(frozen=True)
class Term:
    stammen: tuple[str, ...]  # the term's stems (its words when exact), a contiguous run
    themas: tuple[str, ...]
    uitbreiding: tuple[str, ...]  # extra words (surface form) to add to the query
    soort: str  # 'informatie', 'advies' or ''
    exact: bool = False  # match the words as written, not their stems
    # the word says what kind of business or setting it is ('winkel', 'startup', 'webshop'),
    # not what the question is about: its thema's count only when nothing else names one
    context: bool = False


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
            exact = row["term"].startswith("=")
            words = woorden(row["term"])
            stems = tuple(words) if exact else tuple(stam(w) for w in words)
            if not stems:
                raise LexiconFout(f"{path.name}:{nr}: term: leeg")
            uitbreiding = tuple(
                u.strip() for u in (row["uitbreiding"] or "").split(";") if u.strip()
            )
            context = (row.get("context") or "").strip() == "ja"
            terms.append(Term(stems, themas, uitbreiding, soort, exact, context))
    return _merge(terms)


def _merge(terms: list[Term]) -> list[Term]:
    """One term per stem run: 'lening' and 'lenen' share a stem, so their data is combined."""
    merged: dict[tuple[tuple[str, ...], bool], Term] = {}
    for t in terms:
        key = (t.stammen, t.exact)
        old = merged.get(key)
        if old is None:
            merged[key] = t
            continue
        merged[key] = Term(
            t.stammen,
            tuple(dict.fromkeys(old.themas + t.themas)),
            tuple(dict.fromkeys(old.uitbreiding + t.uitbreiding)),
            old.soort or t.soort,
            t.exact,
            old.context and t.context,
        )
    return list(merged.values())


class Lexicon:
    """The terms, indexed by their first stem (or word) for fast look-up."""

    def __init__(self, terms: list[Term]):
        self._eerste: dict[tuple[bool, str], list[Term]] = {}
        for t in terms:
            self._eerste.setdefault((t.exact, t.stammen[0]), []).append(t)

    def zoek(self, stems: list[str], words: list[str]) -> list[Term]:
        """The terms that occur as a contiguous run in the question: its stems, or for exact
        terms its words (`stems[i]` is the stem of `words[i]`). The longest match wins: a term
        inside a longer one that matched ('hoe' in 'hoe vind ik') does not count there."""
        matches: list[tuple[int, int, Term]] = []
        for i in range(len(stems)):
            for exact, seq in ((False, stems), (True, words)):
                for term in self._eerste.get((exact, seq[i]), ()):
                    n = len(term.stammen)
                    if tuple(seq[i : i + n]) == term.stammen:
                        matches.append((i, i + n, term))
        found: list[Term] = []
        for start, end, term in matches:
            binnen = any(s <= start and end <= e and e - s > end - start for s, e, _ in matches)
            if not binnen and term not in found:
                found.append(term)
        return found
