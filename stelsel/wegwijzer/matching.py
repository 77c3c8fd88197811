"""The wegwijzer's matching core: pure Python and NumPy, no database.

A question is analysed into thema's and soort (informatie/advies) from the domain lexicon and
from the thema's of the services it retrieves; services are retrieved with BM25 over Dutch
stems (bm25s), the query expanded with lexicon synonyms and typos corrected against the index
vocabulary (rapidfuzz), then re-ranked by thema fit, soort fit and region, one per provider.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from stelsel.register import taxonomie as tx
from stelsel.wegwijzer import lexicon as lx
from stelsel.wegwijzer.semantiek import Semantiek, encode
from stelsel.wegwijzer.tekst import stam, stammen, woorden

THEMAS = tx.codes(tx.THEMAS)
INFORMATIE_SOORTEN = {"informatie", "tool", "financiering"}
ADVIES_SOORTEN = {"advies", "programma", "netwerk", "opleiding"}
Soort = Literal["informatie", "advies"]
VRAAGWOORDEN = {"hoe", "wat", "welke", "welk", "wanneer", "moet", "mag", "is", "zijn", "waar"}


@dataclass(frozen=True)
class Document:
    """One dienst as the matcher sees it."""

    dienst_id: str
    slug: str
    naam: str
    omschrijving: str
    trefwoorden: tuple[str, ...]
    aanbieder_id: str
    aanbieder_naam: str
    aanbieder_korte_naam: str
    eerstelijns: bool
    themas: tuple[str, ...]
    doelgroepen: tuple[str, ...]
    soort: str
    kosten: str
    landelijk: bool
    gebieden: frozenset[tuple[str, str]]
    markt: bool = False  # a market party (aanbieder soort privaat): banks, accountants, …
    # the same desk in every region (werkgeversservicepunt, gemeente, …): the dienst's and the
    # aanbieder's name with the area's name as {regio} or {gemeente}
    netwerk: tuple[str, str] | None = None


@dataclass(frozen=True)
class Weging:
    """Weights of the ranking; one set for all questions."""

    uitbreiding: float = 0.5  # BM25 of lexicon expansions relative to the question's own words
    thema: float = 0.35  # share of the question's thema's the dienst covers
    hoofdthema: float = 2.0  # in that share the main thema counts this many times
    soort: float = 0.1  # dienst soort fits informatie/advies
    regio: float = 0.5  # regional or local dienst covering the user's gemeente (when relevant)
    eerstelijns: float = 0.05  # first-line provider
    markt: float = 0.3  # penalty for market parties: a public or non-profit door goes first
    profiel: float = 0.1  # dienst's doelgroepen include the user's profile (starter, zzp, …)
    retrieval_thema: float = 0.6  # weight of retrieved services' thema's in the analysis
    thema_drempel: float = 0.5  # a thema is in when its score ≥ this share of the best
    soort_retrieval: float = 0.0  # lean of the retrieved diensten' soort (informatie/advies)
    classificatie: float = 0.0  # weight of the classifier's thema probabilities (0 = off)
    specifiek: float = (
        0.0  # share of the thema fit that asks the dienst's thema's to be the question's
    )
    semantiek: float = 0.0  # weight of the sentence encoder's similarity in the ranking
    semantiek_thema: float = 0.0  # weight of the semantically nearest diensten' thema's
    semantiek_drempel: float = 0.6  # a dienst with no word in common counts from this similarity
    semantiek_zeroshot: float = (
        0.0  # weight of the question's similarity to each thema's description
    )
    semantiek_basis: float = -1.0  # cosine that counts as 0 (< 0: the mean over the area)
    semantiek_top: float = 0.6  # cosine that counts as 1 (with a fixed basis)


@dataclass
class Analyse:
    themas: list[str]
    soort: Soort
    thema_scores: dict[str, float]
    termen: list[lx.Term] = field(default_factory=list)
    verbeterd: dict[str, str] = field(default_factory=dict)  # typo → correction
    semantisch: np.ndarray | None = None  # cosine of the question with every document


@dataclass
class Treffer:
    document: Document
    score: float
    thema_overlap: list[str]
    in_regio: bool
    woorden: list[str]
    netwerk: bool = False  # a stand-in for the desk in the user's own region

    @property
    def dienst_naam(self) -> str:
        d = self.document
        return algemeen(d.netwerk[0]) if self.netwerk and d.netwerk else d.naam

    @property
    def aanbieder_naam(self) -> str:
        d = self.document
        return algemeen(d.netwerk[1]) if self.netwerk and d.netwerk else d.aanbieder_naam


class Matcher:
    """An index over the register's diensten; build once, query many times."""

    def __init__(
        self,
        documenten: Sequence[Document],
        termen: list[lx.Term],
        stopwoorden: frozenset[str],
        weging: Weging | None = None,
        semantiek: Semantiek | None = None,
    ):
        self.docs = list(documenten)
        self.semantiek = semantiek
        # each thema as the register's taxonomy describes it, for a zero-shot thema signal
        self.thema_vectoren = (
            encode([f"{t.naam}: {t.omschrijving}" for t in tx.THEMAS]) if semantiek else None
        )
        self.lexicon = lx.Lexicon(termen)
        self.stopwoorden = stopwoorden
        self.w = weging or Weging()
        corpus = [self._doc_stems(d) for d in self.docs]
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)
        self.doc_stems = [set(c) for c in corpus]
        vocab = {w for d in self.docs for w in woorden(self._doc_text(d))}
        vocab |= {w for t in termen for s in t.uitbreiding for w in woorden(s)}
        self.vocab = sorted(w for w in vocab if len(w) >= 3)
        self.vocab_set = set(self.vocab)
        n = len(self.docs)
        self.thema_matrix = np.zeros((n, len(THEMAS)), dtype=np.float32)
        for i, d in enumerate(self.docs):
            for t in d.themas:
                self.thema_matrix[i, THEMAS.index(t)] = 1.0
        self.thema_aantal = self.thema_matrix.sum(1)
        self.landelijk = np.array([d.landelijk for d in self.docs], dtype=bool)
        self.eerstelijns = np.array([d.eerstelijns for d in self.docs], dtype=np.float32)
        self.markt = np.array([d.markt for d in self.docs], dtype=np.float32)
        self.doelgroepen = [frozenset(d.doelgroepen) for d in self.docs]
        self.soort_info = np.array([d.soort in INFORMATIE_SOORTEN for d in self.docs], dtype=bool)
        self.classifier = None
        if self.w.classificatie > 0:
            self.classifier = _train_classifier(corpus, [d.themas for d in self.docs])
        # a question without a place gets one stand-in for each nationwide network of desks
        eerste: dict[tuple[str, str], int] = {}
        for i, d in enumerate(self.docs):
            if d.netwerk:
                eerste.setdefault(d.netwerk, i)
        self.netwerken = np.zeros(len(self.docs), dtype=bool)
        self.netwerken[list(eerste.values())] = True
        self.per_gebied: dict[tuple[str, str], list[int]] = {}
        for i, d in enumerate(self.docs):
            for g in d.gebieden:
                self.per_gebied.setdefault(g, []).append(i)

    @staticmethod
    def _doc_text(d: Document) -> str:
        return " ".join(
            [
                d.naam,
                d.omschrijving,
                " ".join(d.trefwoorden),
                d.aanbieder_naam,
                d.aanbieder_korte_naam,
            ]
        )

    def _doc_stems(self, d: Document) -> list[str]:
        # name and keywords count twice: they say what the service is
        sterk = " ".join([d.naam, " ".join(d.trefwoorden), d.aanbieder_korte_naam])
        zwak = " ".join([d.omschrijving, d.aanbieder_naam])
        return stammen(woorden(sterk) * 2 + woorden(zwak), self.stopwoorden)

    # --- analysis ----------------------------------------------------------------------------

    def _delen(self, w: str) -> list[str]:
        """The parts of a Dutch compound ('terrasvergunning' → terras, vergunning): the longest
        known last part after a known first part, allowing a linking s, e or en."""
        for i in range(4, len(w) - 3):
            kop, staart = w[:i], w[i:]
            if staart not in self.vocab_set:
                continue
            for link in ("", "s", "en", "e"):
                if kop.endswith(link) and (basis := kop[: len(kop) - len(link)]) in self.vocab_set:
                    if len(basis) >= 4:
                        return [basis, staart]
        return []

    def _verbeter(self, words: list[str]) -> tuple[list[str], dict[str, str]]:
        """Unknown words: add the parts of a compound, else replace a typo by the closest
        index word when close enough."""
        out, fixed = [], {}
        for w in words:
            known = w in self.vocab_set or w in self.stopwoorden
            delen = self._delen(w) if len(w) >= 8 and not known else []
            if delen:
                out += [w, *delen]
                continue
            if len(w) >= 5 and not known:
                best = process.extractOne(w, self.vocab, scorer=fuzz.ratio, score_cutoff=90)
                if best:
                    fixed[w] = best[0]
                    w = best[0]
            out.append(w)
        return out, fixed

    def _scores(self, stems: list[str], uitbreiding: list[str]) -> np.ndarray:
        scores = self.bm25.get_scores(stems) if stems else np.zeros(len(self.docs), np.float32)
        if uitbreiding:
            scores = scores + self.w.uitbreiding * self.bm25.get_scores(uitbreiding)
        return scores

    def _semantisch(self, vraag: str) -> np.ndarray | None:
        if self.semantiek is None or not (self.w.semantiek or self.w.semantiek_thema):
            return None
        return self.semantiek.scores(vraag)

    def analyseer(self, vraag: str, sector: str = "") -> tuple[Analyse, np.ndarray, list[str]]:
        """Thema's and soort of a question, plus the BM25 scores of every document. The
        sector, when given, widens the search like a synonym but names no thema."""
        words, fixed = self._verbeter(woorden(vraag))
        alle_stammen = [stam(w) for w in words]
        termen = self.lexicon.zoek(alle_stammen, words)
        stems = stammen(words, self.stopwoorden)
        # the parts of known compounds widen the search a little, like a synonym
        delen = [d for w in words if len(w) >= 8 and w in self.vocab_set for d in self._delen(w)]
        uitbreiding = [
            s
            for u in [*delen, sector, *(u for t in termen for u in t.uitbreiding)]
            for s in stammen(woorden(u), self.stopwoorden)
            if s not in stems
        ]
        scores = self._scores(stems, uitbreiding)

        # a thema named by any lexicon term counts fully, however often it is named
        lex = np.zeros(len(THEMAS), dtype=np.float32)
        for t in termen:
            for code in t.themas:
                lex[THEMAS.index(code)] = 1.0
        top = np.argsort(-scores)[:10]
        top = top[scores[top] > 0]
        retrieval = np.zeros(len(THEMAS), dtype=np.float32)
        if len(top):
            weights = scores[top] / scores[top].max()
            per_doc = self.thema_matrix[top] / np.maximum(
                self.thema_matrix[top].sum(1, keepdims=True), 1
            )
            retrieval = (weights[:, None] * per_doc).sum(0)
            retrieval /= retrieval.max() or 1.0
        combined = lex + self.w.retrieval_thema * retrieval
        sem = self._semantisch(vraag)
        if (
            self.semantiek is not None
            and self.w.semantiek_zeroshot
            and self.thema_vectoren is not None
        ):
            z = self.thema_vectoren @ self.semantiek.vraag(vraag)
            z = np.clip((z - z.mean()) / max(float(z.max() - z.mean()), 1e-6), 0.0, 1.0)
            combined = combined + self.w.semantiek_zeroshot * z.astype(np.float32)
        if sem is not None and self.w.semantiek_thema:
            stop = np.argsort(-sem)[:10]
            sw = np.clip(sem[stop] - sem[stop[-1]], 0, None)
            if sw.sum() > 0:
                per_doc = self.thema_matrix[stop] / np.maximum(
                    self.thema_matrix[stop].sum(1, keepdims=True), 1
                )
                sret = (sw[:, None] * per_doc).sum(0)
                combined = combined + self.w.semantiek_thema * sret / (sret.max() or 1.0)
        if self.classifier is not None and (stems or uitbreiding):
            vec, model = self.classifier
            proba = np.asarray(model.predict_proba(vec.transform([" ".join(stems + uitbreiding)])))[
                0
            ]
            combined = combined + self.w.classificatie * proba.astype(np.float32)
        themas: list[str] = []
        if combined.max() > 0:
            drempel = self.w.thema_drempel * combined.max()
            order = np.argsort(-combined)
            themas = [THEMAS[i] for i in order if combined[i] >= drempel and combined[i] > 0]
        info = sum(t.soort == "informatie" for t in termen)
        advies = sum(t.soort == "advies" for t in termen)
        neiging = float(info - advies)
        if words and words[0] in VRAAGWOORDEN:
            neiging += 0.5
        if self.w.soort_retrieval and len(top):
            neiging += self.w.soort_retrieval * float(
                (weights * (2 * self.soort_info[top] - 1)).sum() / weights.sum()
            )
        soort: Soort = "informatie" if neiging > 0 else "advies"
        analyse = Analyse(
            themas=themas,
            soort=soort,
            thema_scores={THEMAS[i]: float(combined[i]) for i in range(len(THEMAS))},
            termen=termen,
            verbeterd=fixed,
            semantisch=sem,
        )
        return analyse, scores, stems + uitbreiding

    # --- ranking -----------------------------------------------------------------------------

    def beschikbaar(self, gebied: Sequence[tuple[str, str]] | None) -> np.ndarray:
        """Mask of documents available in an area: national ones plus those covering it; with
        no area, national ones plus one stand-in per network of regional desks."""
        mask = self.landelijk.copy() if gebied else self.landelijk | self.netwerken
        for g in gebied or ():
            mask[self.per_gebied.get(g, [])] = True
        return mask

    def zoek(
        self,
        vraag: str,
        gebied: Sequence[tuple[str, str]] | None = None,
        aantal: int = 5,
        doelgroepen: frozenset[str] = frozenset(),
        sector: str = "",
    ) -> tuple[Analyse, list[Treffer]]:
        """Analyse the question and rank the diensten available in the area, one per provider."""
        analyse, scores, query_stems = self.analyseer(vraag, sector)
        mask = self.beschikbaar(gebied)
        if not mask.any():
            return analyse, []
        bm = np.where(mask, scores, 0.0)
        bm = bm / (bm.max() or 1.0)
        q_themas = np.zeros(len(THEMAS), dtype=np.float32)
        for k, t in enumerate(analyse.themas):
            q_themas[THEMAS.index(t)] = self.w.hoofdthema if k == 0 else 1.0
        overlap = (self.thema_matrix @ q_themas) / max(q_themas.sum(), 1.0)
        if self.w.specifiek and q_themas.any():
            # a dienst about everything fits every question a little: its thema's that the
            # question does not name count against it (precision next to recall)
            precisie = (self.thema_matrix @ (q_themas > 0)) / np.maximum(self.thema_aantal, 1)
            overlap = overlap * (1 - self.w.specifiek + self.w.specifiek * precisie)
        soort_fit = self.soort_info if analyse.soort == "informatie" else ~self.soort_info
        regionaal = ~self.landelijk & mask if gebied else np.zeros_like(mask)
        sem = np.zeros(len(self.docs), dtype=np.float32)
        if analyse.semantisch is not None and self.w.semantiek:
            cos = np.where(mask, analyse.semantisch, -1.0)
            if self.w.semantiek_basis < 0:
                basis = float(analyse.semantisch[mask].mean())
                top = float(cos.max())
            else:
                basis, top = self.w.semantiek_basis, self.w.semantiek_top
            sem = np.clip((cos - basis) / max(top - basis, 1e-6), 0.0, 1.0)
        woord = (bm > 0.15) | (sem >= self.w.semantiek_drempel)
        # relevant: matches the words and, when the question has thema's, one of them
        relevant = woord & ((overlap > 0) | (q_themas.sum() == 0))
        total = (
            bm
            + self.w.semantiek * sem
            + self.w.thema * overlap
            + self.w.soort * soort_fit * (bm > 0)
            + self.w.regio * (regionaal & relevant)
            + self.w.eerstelijns * self.eerstelijns * relevant
            - self.w.markt * self.markt
        )
        if doelgroepen:
            past = np.array([bool(g & doelgroepen) for g in self.doelgroepen], dtype=bool)
            total = total + self.w.profiel * (past & relevant)
        total = np.where(mask & ((bm > 0) | (overlap > 0) | (sem > 0)), total, -np.inf)
        treffers: list[Treffer] = []
        gezien: set[str] = set()
        query_set = set(query_stems)
        for i in np.argsort(-total):
            if not np.isfinite(total[i]) or len(treffers) >= aantal:
                break
            d = self.docs[i]
            if d.aanbieder_id in gezien:
                continue
            gezien.add(d.aanbieder_id)
            treffers.append(
                Treffer(
                    document=d,
                    score=round(float(total[i]), 4),
                    thema_overlap=[t for t in analyse.themas if t in d.themas],
                    in_regio=bool(regionaal[i]),
                    woorden=sorted(query_set & self.doc_stems[i])[:5],
                    netwerk=not gebied and d.netwerk is not None,
                )
            )
        return analyse, treffers


def _train_classifier(corpus: list[list[str]], labels: list[tuple[str, ...]]):
    """Weak supervision: the register's own diensten (stems → thema's), one-vs-rest."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    y = np.zeros((len(labels), len(THEMAS)), dtype=int)
    for i, ts in enumerate(labels):
        for t in ts:
            y[i, THEMAS.index(t)] = 1
    vec = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, min_df=1)
    x = vec.fit_transform([" ".join(c) for c in corpus])
    model = OneVsRestClassifier(LogisticRegression(C=4.0, max_iter=300))
    model.fit(x, y)
    return vec, model


def uitleg(t: Treffer, analyse: Analyse, regionaam: str | None) -> str:
    """A short Dutch explanation of why a dienst fits the question."""
    delen = []
    if t.thema_overlap:
        labels = [tx.label(tx.THEMAS, c).lower() for c in t.thema_overlap]
        delen.append("Past bij uw vraag over " + _opsomming(labels) + ".")
    elif t.woorden:
        delen.append("Sluit aan bij de woorden in uw vraag.")
    if t.in_regio:
        delen.append(f"Voor ondernemers in {regionaam}." if regionaam else "In uw regio.")
    elif t.netwerk:
        delen.append("Er is er een in elke regio: vul uw gemeente of postcode in.")
    elif t.document.landelijk:
        delen.append("Landelijk beschikbaar.")
    if t.document.eerstelijns:
        delen.append(f"{t.aanbieder_naam} is een eerste aanspreekpunt en verwijst u zo nodig door.")
    delen.append(tx.label(tx.KOSTEN, t.document.kosten) + ".")
    return " ".join(delen)


_ALGEMEEN = [
    ("Gemeente {gemeente}", "Uw gemeente"),
    (" in {gemeente}", " in uw gemeente"),
    (" {gemeente}", " van uw gemeente"),
    ("in de regio {regio}", "in uw regio"),
    (" in {regio}", " in uw regio"),
    (" ({regio})", " in uw regio"),
    (" {regio}", " in uw regio"),
]


def algemeen(sjabloon: str) -> str:
    """A network's name for anyone: 'Werkgeversservicepunt {regio}' → 'Werkgeversservicepunt in
    uw regio', 'Gemeente {gemeente}' → 'Uw gemeente'."""
    for oud, nieuw in _ALGEMEEN:
        sjabloon = sjabloon.replace(oud, nieuw)
    return sjabloon


def ook_over(analyse: Analyse) -> list[str]:
    """The thema's beyond the main one, for 'uw vraag gaat ook over …'."""
    return analyse.themas[1:]


def _opsomming(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]
