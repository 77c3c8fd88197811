"""The wegwijzer's matching core: pure Python and NumPy, no database.

A question is analysed into thema's and soort (informatie/advies) from the domain lexicon and
from the thema's of the services it retrieves; services are retrieved with BM25 over Dutch
stems (`Bm25`), the query expanded with lexicon synonyms and typos corrected against the index
vocabulary (rapidfuzz), then re-ranked by thema fit, soort fit and region, one per provider.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

from stelsel.register import taxonomie as tx
from stelsel.wegwijzer import lexicon as lx
from stelsel.wegwijzer.semantiek import Semantiek, encode, grootste
from stelsel.wegwijzer.tekst import stam, stammen, woorden

THEMAS = tx.codes(tx.THEMAS)
DIENST_SOORTEN = tx.codes(tx.DIENST_SOORTEN)
INFORMATIE_SOORTEN = {"informatie", "tool", "financiering"}
ADVIES_SOORTEN = {"advies", "programma", "netwerk", "opleiding"}
Soort = Literal["informatie", "advies"]
VRAAGWOORDEN = {"hoe", "wat", "welke", "welk", "wanneer", "moet", "mag", "is", "zijn", "waar"}


@dataclass(frozen=True, slots=True)
class Document:
    """One dienst as the matcher sees it (slots: 100,000 of them without a dict each)."""

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
    # a regional dienst on the question's main thema counts as relevant from this word match
    # (relative BM25) instead of the general 0.15: the own region's door for the matter
    regio_drempel: float = 0.04
    eerstelijns: float = 0.05  # first-line provider
    markt: float = 0.3  # penalty for market parties: a public or non-profit door goes first
    profiel: float = 0.1  # dienst's doelgroepen include the user's profile (starter, zzp, …)
    retrieval_thema: float = 0.6  # weight of retrieved services' thema's in the analysis
    # a thema is in when its score ≥ this share of the best (above 0.5: a thema from the
    # retrieved diensten alone, 0.6, does not tie with a lexicon thema at 1 + 0.2)
    thema_drempel: float = 0.55
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
    delen_lexicon: bool = False  # look the parts of known compounds up in the lexicon
    rrf: float = 0.3  # weight of the semantic rank in reciprocal rank fusion (0 = off)
    rrf_k: float = 5.0  # the fusion's rank offset
    context: bool = True  # context words (lexicon column `context`) name a thema only alone
    context_zoeken: bool = True  # context words search at the weight of an expansion
    vangnet: bool = True  # no known word: thema's and diensten from the encoder alone
    semantiek_basis: float = -1.0  # cosine that counts as 0 (< 0: the mean over the area)
    semantiek_top: float = 0.6  # cosine that counts as 1 (with a fixed basis)
    # learnt choice of the first card among the three best providers of the fused ranking,
    # by their features (`Matcher._kenmerken`): boosted trees fitted by
    # `evaluatie.leer_rangschikking`; None = the fused ranking as it is
    rangschikker: "Bomen | None" = field(default_factory=lambda: _standaard_bomen())
    # the learnt thema model: weights of `thema_kenmerken` and an intercept, fitted by
    # `evaluatie.leer_themamodel`; () = the rule (lexicon + retrieval, thema_drempel)
    thema_model: tuple[float, ...] = field(default_factory=lambda: _standaard_thema())


@dataclass
class Analyse:
    themas: list[str]
    soort: Soort
    thema_scores: dict[str, float]
    termen: list[lx.Term] = field(default_factory=list)
    verbeterd: dict[str, str] = field(default_factory=dict)  # typo → correction
    semantisch: np.ndarray | None = None  # cosine of the question with every document
    woorden: list[str] = field(default_factory=list)  # the question's words, typos corrected
    inhoudswoorden: int = 0  # words that are not stop words
    retrieval: dict[str, float] = field(default_factory=dict)  # thema's of the best diensten
    zeroshot: dict[str, float] = field(default_factory=dict)  # cosine with each thema's text


@dataclass
class Treffer:
    document: Document
    score: float
    thema_overlap: list[str]
    in_regio: bool
    woorden: list[str]
    netwerk: bool = False  # a stand-in for the desk in the user's own region
    semantisch: float = 0.0  # the sentence encoder's similarity, rescaled 0..1 in the area

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

    _woorden_later: Callable[[], Counter[str]]  # a stored index's word counts, when asked

    def __init__(
        self,
        documenten: Sequence[Document],
        termen: list[lx.Term],
        stopwoorden: frozenset[str],
        weging: Weging | None = None,
        semantiek: Semantiek | None = None,
        vorige: "Matcher | None" = None,
    ):
        """`vorige`, the matcher of the register's previous version (same lexicon and stop
        words): the stems of documents whose texts did not change are taken from it, so a
        register edit re-reads only the changed diensten' texts."""
        self.docs = list(documenten)
        self.semantiek = semantiek
        # each thema as the register's taxonomy describes it, for a zero-shot thema signal
        self.thema_vectoren = (
            encode([f"{t.naam}: {t.omschrijving}" for t in tx.THEMAS]) if semantiek else None
        )
        self.lexicon = lx.Lexicon(termen)
        self.termen = termen
        self.stopwoorden = stopwoorden
        self.w = weging or Weging()
        if vorige is not None and (vorige.stopwoorden != stopwoorden or vorige.termen != termen):
            vorige = None
        sleutels = [_tekstsleutel(d) for d in self.docs]
        oude = [_tekstsleutel(d) for d in vorige.docs] if vorige is not None else []
        self.bm25, woordtelling = self._corpus(vorige, sleutels, oude)
        self._stamnummers = self.bm25.vocab
        # the words typos are corrected to: of three letters or more, no digits
        vocab = set(woordtelling)
        vocab |= {w for t in termen for s in t.uitbreiding for w in woorden(s)}
        self.vocab = sorted(w for w in vocab if len(w) >= 3 and not any(c.isdigit() for c in w))
        self.vocab_set = set(self.vocab)
        del sleutels, oude, vocab
        self._typos: dict[str, str | None] = {}  # unknown word → its correction, once
        self._sterk: dict[int, frozenset[str]] = {}  # a dienst's stems of name and keywords
        # the features of the last re-ranked candidates, for fitting the learnt ranking
        self.kenmerken_nodig = False
        self.laatste_kenmerken: tuple[np.ndarray, np.ndarray] | None = None
        self.laatste_analyse: Analyse | None = None
        n = len(self.docs)
        self.thema_matrix = np.zeros((n, len(THEMAS)), dtype=np.float32)
        for i, d in enumerate(self.docs):
            for t in d.themas:
                self.thema_matrix[i, THEMAS.index(t)] = 1.0
        self.thema_aantal = self.thema_matrix.sum(1)
        self.landelijk = np.array([d.landelijk for d in self.docs], dtype=bool)
        self.eerstelijns = np.array([d.eerstelijns for d in self.docs], dtype=np.float32)
        self.markt = np.array([d.markt for d in self.docs], dtype=np.float32)
        eigen: dict[frozenset[str], frozenset[str]] = {}  # one set per distinct combination
        self.doelgroepen = [
            eigen.setdefault(g, g) for g in map(frozenset, (d.doelgroepen for d in self.docs))
        ]
        self.soort_info = np.array([d.soort in INFORMATIE_SOORTEN for d in self.docs], dtype=bool)
        self.breedte = _breedte(self.docs)  # how broad each dienst's provider is (0..1)
        self.soort_code = np.array(
            [DIENST_SOORTEN.index(d.soort) if d.soort in DIENST_SOORTEN else 0 for d in self.docs],
            dtype=np.int64,
        )
        self.classifier = None
        if self.w.classificatie > 0:
            self.classifier = _train_classifier(
                [self._doc_stems(d) for d in self.docs], [d.themas for d in self.docs]
            )
        # a question without a place gets one stand-in for each nationwide network of desks
        eerste: dict[tuple[str, str], int] = {}
        for i, d in enumerate(self.docs):
            if d.netwerk:
                eerste.setdefault(d.netwerk, i)
        self.netwerken = np.zeros(len(self.docs), dtype=bool)
        self.netwerken[list(eerste.values())] = True
        per_gebied: dict[tuple[str, str], list[int]] = {}
        for i, d in enumerate(self.docs):
            for g in d.gebieden:
                per_gebied.setdefault(g, []).append(i)
        self.per_gebied = {g: np.array(i, dtype=np.int32) for g, i in per_gebied.items()}

    def _corpus(
        self, vorige: "Matcher | None", sleutels: list[tuple], oude: list[tuple]
    ) -> "tuple[Bm25, Counter[str]]":
        """The BM25 index over every document's stems, and how many documents hold each word
        (for the typo vocabulary). The stems and words of a text the previous matcher also
        indexed are taken from it: its index holds each document's stem counts, and its word
        counts lose the removed texts' words and gain the new ones'. `sleutels`, `oude`: what
        each document's (and each previous document's) stems and words are made of."""
        nummers: dict[str, int] = dict(vorige._stamnummers) if vorige is not None else {}
        telling: Counter[str] = Counter(vorige.woordtelling()) if vorige is not None else Counter()
        oud_bij: dict[tuple, int] = {}
        for nr, k in enumerate(oude):
            oud_bij.setdefault(k, nr)
        van_oud = np.full(len(oude), -1, dtype=np.int64)  # previous document → a new one
        nieuw_bij: dict[tuple, int] = {}  # a text stemmed in this build → its first document
        dubbel: list[tuple[int, int]] = []  # (document, earlier document with the same text)
        stukken: list[np.ndarray] = []  # the stem numbers of each newly stemmed document
        nieuwe_docs: list[int] = []
        for i, (d, k) in enumerate(zip(self.docs, sleutels, strict=True)):
            j = oud_bij.get(k)
            if j is not None and van_oud[j] < 0:
                van_oud[j] = i
                continue
            eerder: int | None = nieuw_bij.get(k) if j is None else int(van_oud[j])
            if eerder is not None:
                dubbel.append((i, eerder))
                continue
            nieuw_bij[k] = i
            sterk, zwak = self._doc_woorden(d)
            stukken.append(
                np.fromiter(
                    (
                        nummers.setdefault(s, len(nummers))
                        for s in stammen(sterk * 2 + zwak, self.stopwoorden)
                    ),
                    dtype=np.int32,
                )
            )
            nieuwe_docs.append(i)
        # word counts: texts that left the register and texts that came in
        nu = Counter(sleutels)
        was = Counter(oude)
        voorbeeld = {k: d for d, k in zip(self.docs, sleutels, strict=True)}
        if vorige is not None:
            voorbeeld.update({k: d for d, k in zip(vorige.docs, oude, strict=True) if k not in nu})
        for k in nu.keys() | was.keys():
            verschil = nu[k] - was[k]
            if verschil:
                sterk, zwak = self._doc_woorden(voorbeeld[k])
                for w in set(sterk) | set(zwak):
                    telling[w] += verschil
        self._woorden: Counter[str] | None = +telling
        self.gestemd = len(nieuwe_docs)  # documents whose texts were read in this build
        bm25 = Bm25.bouw(
            len(self.docs),
            nummers,
            vorige.bm25 if vorige is not None else None,
            van_oud,
            stukken,
            np.array(nieuwe_docs, dtype=np.int64),
            np.array(dubbel, dtype=np.int64).reshape(-1, 2),
        )
        return bm25, self.woordtelling()

    def woordtelling(self) -> Counter[str]:
        """How many documents hold each word (a stored index reads it only when asked)."""
        if self._woorden is None:
            self._woorden = self._woorden_later()
        return self._woorden

    def _doc_woorden(self, d: Document) -> tuple[list[str], list[str]]:
        """The words of a document's name, keywords and short name (they say what the service
        is), and of its description and provider's name."""
        sterk = woorden(" ".join([d.naam, " ".join(d.trefwoorden), d.aanbieder_korte_naam]))
        return sterk, woorden(" ".join([d.omschrijving, d.aanbieder_naam]))

    def _doc_stems(self, d: Document) -> list[str]:
        # name and keywords count twice: they say what the service is
        sterk, zwak = self._doc_woorden(d)
        return stammen(sterk * 2 + zwak, self.stopwoorden)

    # --- analysis ----------------------------------------------------------------------------

    def _delen(self, w: str, staart_alleen: bool = False) -> list[str]:
        """The parts of a Dutch compound ('terrasvergunning' → terras, vergunning): the longest
        known last part after a known first part, allowing a linking s, e or en. With
        `staart_alleen` (for a word the index does not know), else the longest known last part
        of six letters or more after four or more letters ('drankvergunning' → vergunning)."""
        for i in range(4, len(w) - 3):
            kop, staart = w[:i], w[i:]
            if staart not in self.vocab_set:
                continue
            for link in ("", "s", "en", "e"):
                if kop.endswith(link) and (basis := kop[: len(kop) - len(link)]) in self.vocab_set:
                    if len(basis) >= 4:
                        return [basis, staart]
        # no known first part: the last part still says what it is about (the first four
        # letters keep prefixes such as be-, toe- and aan- from counting as a first part)
        for i in range(4, len(w) - 5) if staart_alleen else ():
            if w[i:] in self.vocab_set:
                return [w[i:]]
        return []

    def _verbeter(self, words: list[str]) -> tuple[list[str], dict[str, str]]:
        """Unknown words: add the parts of a compound, else replace a typo by the closest
        index word when close enough."""
        out, fixed = [], {}
        for w in words:
            known = w in self.vocab_set or w in self.stopwoorden
            delen = self._delen(w, staart_alleen=True) if len(w) >= 8 and not known else []
            if delen:
                out += [w, *delen]
                continue
            if (
                len(w) >= 5
                and not known
                and w[-1] in "dt"
                and (dt := w[:-1] + "td"[w[-1] == "t"]) in self.vocab_set
            ):
                # the commonest Dutch spelling error: d for t at the end of a verb ('betaald')
                fixed[w] = dt
                w = dt
            elif len(w) >= 5 and not known:
                if w not in self._typos:
                    best = process.extractOne(w, self.vocab, scorer=fuzz.ratio, score_cutoff=90)
                    if len(self._typos) > 10000:
                        self._typos.clear()
                    self._typos[w] = best[0] if best else None
                if (beter := self._typos[w]) is not None:
                    fixed[w] = beter
                    w = beter
            out.append(w)
        return out, fixed

    def _scores(self, stems: list[str], uitbreiding: list[str]) -> np.ndarray:
        scores = self.bm25.get_scores(stems) if stems else np.zeros(len(self.docs), np.float32)
        if uitbreiding:
            scores = scores + self.w.uitbreiding * self.bm25.get_scores(uitbreiding)
        return scores

    def _semantisch(self, vraag: str) -> np.ndarray | None:
        if self.semantiek is None or not (self.w.semantiek or self.w.semantiek_thema or self.w.rrf):
            return None
        return self.semantiek.scores(vraag)

    def analyseer(self, vraag: str, sector: str = "") -> tuple[Analyse, np.ndarray, list[str]]:
        """Thema's and soort of a question, plus the BM25 scores of every document. The
        sector, when given, widens the search like a synonym but names no thema."""
        words, fixed = self._verbeter(woorden(vraag))
        alle_stammen = [stam(w) for w in words]
        termen = self.lexicon.zoek(alle_stammen, words)
        if self.w.delen_lexicon:
            # the parts of a known compound name thema's too ('terrasvergunning': vergunning),
            # after the whole words, so a term for the compound itself still wins
            bekend = {t.stammen for t in termen}
            for w in words:
                if len(w) >= 8 and w in self.vocab_set:
                    for deel in self._delen(w):
                        for t in self.lexicon.zoek([stam(deel)], [deel]):
                            if t.stammen not in bekend:
                                termen.append(t)
                                bekend.add(t.stammen)
        stems = stammen(words, self.stopwoorden)
        if self.w.context_zoeken:
            # a context word ('winkel') searches at the weight of a synonym when the question
            # has other words: it says who asks, not what they need
            context = {s for t in termen if t.context for s in t.stammen}
            if any(s not in context for s in stems):
                stems = [s for s in stems if s not in context]
            else:
                context = set()
        # the parts of known compounds widen the search a little, like a synonym
        delen = [d for w in words if len(w) >= 8 and w in self.vocab_set for d in self._delen(w)]
        uitbreiding = [
            s
            for u in [*delen, sector, *(u for t in termen for u in t.uitbreiding)]
            for s in stammen(woorden(u), self.stopwoorden)
            if s not in stems
        ]
        if self.w.context_zoeken:
            uitbreiding += [s for s in sorted(context) if s not in uitbreiding]
        scores = self._scores(stems, uitbreiding)

        # a thema named by any lexicon term counts fully, however often it is named; a word
        # that only says what kind of business it is (context) names one only when no other
        # word does
        lex = np.zeros(len(THEMAS), dtype=np.float32)
        inhoud = [t for t in termen if t.themas and not (t.context and self.w.context)]
        for t in inhoud or termen:
            for code in t.themas:
                lex[THEMAS.index(code)] = 1.0
        top = _beste(scores, 10)
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
        if sem is not None and self.w.vangnet and combined.max() == 0:
            # no word of the question is known to the lexicon or the register: the thema's of
            # the diensten the encoder finds closest
            combined = self._thema_van(sem)
        zeroshot: dict[str, float] = {}
        if self.semantiek is not None and self.thema_vectoren is not None and words:
            z = self.thema_vectoren @ self.semantiek.vraag(vraag)
            zeroshot = {THEMAS[i]: float(z[i]) for i in range(len(THEMAS))}
            if self.w.semantiek_zeroshot:
                z = np.clip((z - z.mean()) / max(float(z.max() - z.mean()), 1e-6), 0.0, 1.0)
                combined = combined + self.w.semantiek_zeroshot * z.astype(np.float32)
        if sem is not None and self.w.semantiek_thema:
            combined = combined + self.w.semantiek_thema * self._thema_van(sem)
        if self.classifier is not None and (stems or uitbreiding):
            vec, model = self.classifier
            proba = np.asarray(model.predict_proba(vec.transform([" ".join(stems + uitbreiding)])))[
                0
            ]
            combined = combined + self.w.classificatie * proba.astype(np.float32)
        themas: list[str] = []
        if combined.max() > 0 and self.w.thema_model and sem is not None and zeroshot:
            # the learnt thema model (`evaluatie.leer_themamodel`): each thema's probability
            # from its signals; in from 0.5, and the most likely one always
            kans = _thema_kansen(
                self.w.thema_model, termen, retrieval, combined, zeroshot, sem, self
            )
            order = np.argsort(-kans, kind="stable")
            themas = [THEMAS[i] for i in order if kans[i] >= 0.5 or i == order[0]]
        elif combined.max() > 0:
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
            woorden=words,
            inhoudswoorden=len(stems),
            retrieval={THEMAS[i]: float(retrieval[i]) for i in range(len(THEMAS))},
            zeroshot=zeroshot,
        )
        return analyse, scores, stems + uitbreiding

    def _kenmerken(
        self,
        kop: np.ndarray,
        analyse: Analyse,
        gebied: Sequence[tuple[str, str]] | None,
        signalen: list[np.ndarray],
        vraagstammen: list[str],
    ) -> np.ndarray:
        """The features of the learnt ranking, one row per candidate (best fused first): the
        ranking's own signals (fused ranks, BM25, thema fit, soort, region, first line,
        profile), the encoder's cosine against the best, the dienst's market role, how broad
        its provider is and how many thema's it covers, a stand-in for a network, the
        dienst's soort for an advice and for an information question, the candidate's fused
        rank, whether it covers the question's main thema, per thema, and the share of the
        question's own words and of its expansions that the dienst's name and keywords hold."""
        assert analyse.semantisch is not None
        cos = analyse.semantisch[kop]
        advies = analyse.soort == "advies"
        soort = self.soort_code[kop]
        een = np.eye(len(DIENST_SOORTEN), dtype=np.float32)[soort]
        hoofd = np.zeros((len(kop), len(THEMAS)), dtype=np.float32)
        if analyse.themas:
            h = THEMAS.index(analyse.themas[0])
            hoofd[:, h] = self.thema_matrix[kop, h]
        return np.column_stack(
            [
                *signalen[:3],
                cos - cos.max(),
                *signalen[3:9],
                self.markt[kop],
                signalen[9],
                self.breedte[kop],
                self.thema_aantal[kop] / len(THEMAS),
                self.netwerken[kop] & (not gebied),
                een * advies,
                een * (not advies),
                self.breedte[kop] * advies,
                np.arange(len(kop)) / HERORDEN,
                hoofd,
                *self._naam_fit(kop, vraagstammen[: analyse.inhoudswoorden]),
                *self._naam_fit(kop, vraagstammen[analyse.inhoudswoorden :]),
            ]
        ).astype(np.float32)

    def _naam_fit(self, kop: np.ndarray, stammen_: list[str]) -> list[np.ndarray]:
        """The share of these stems in each candidate's name and keywords."""
        vraag = set(stammen_)
        uit = np.zeros(len(kop), dtype=np.float32)
        if vraag:
            for r, i in enumerate(kop):
                sterk = self._sterk.get(int(i))
                if sterk is None:
                    d = self.docs[i]
                    tekst = " ".join([d.naam, *d.trefwoorden])
                    sterk = frozenset(stammen(woorden(tekst), self.stopwoorden))
                    if len(self._sterk) > 20000:
                        self._sterk.clear()
                    self._sterk[int(i)] = sterk
                uit[r] = len(vraag & sterk) / len(vraag)
        return [uit]

    def _thema_van(self, sem: np.ndarray) -> np.ndarray:
        """The thema distribution of the ten diensten closest to the question by the encoder,
        weighted by how much closer each is than the tenth (0..1)."""
        stop = _beste(sem, 10)
        sw = np.clip(sem[stop] - sem[stop[-1]], 0, None)
        if not len(stop) or sw.sum() <= 0:
            return np.zeros(len(THEMAS), dtype=np.float32)
        per_doc = self.thema_matrix[stop] / np.maximum(
            self.thema_matrix[stop].sum(1, keepdims=True), 1
        )
        sret = (sw[:, None] * per_doc).sum(0)
        return (sret / (sret.max() or 1.0)).astype(np.float32)

    # --- ranking -----------------------------------------------------------------------------

    def beschikbaar(self, gebied: Sequence[tuple[str, str]] | None) -> np.ndarray:
        """Mask of documents available in an area: national ones plus those covering it; with
        no area, national ones plus one stand-in per network of regional desks."""
        mask = self.landelijk.copy() if gebied else self.landelijk | self.netwerken
        for g in gebied or ():
            i = self.per_gebied.get(g)
            if i is not None:
                mask[i] = True
        return mask

    def zoek(
        self,
        vraag: str,
        gebied: Sequence[tuple[str, str]] | None = None,
        aantal: int = 5,
        doelgroepen: frozenset[str] = frozenset(),
        sector: str = "",
        verduidelijking: str | None = None,
    ) -> tuple[Analyse, list[Treffer]]:
        """Analyse the question and rank the diensten available in the area, one per provider.
        `verduidelijking`, a thema code the user chose in answer to a clarifying question,
        becomes the question's only thema, and its description widens the search."""
        # one BLAS thread: a request is one thread of work, and on a busy machine BLAS's own
        # threads turn a 0.5 ms product into 30 ms of spinning
        with _een_draad():
            return self._zoek(vraag, gebied, aantal, doelgroepen, sector, verduidelijking)

    def _zoek(
        self,
        vraag: str,
        gebied: Sequence[tuple[str, str]] | None,
        aantal: int,
        doelgroepen: frozenset[str],
        sector: str,
        verduidelijking: str | None,
    ) -> tuple[Analyse, list[Treffer]]:
        if verduidelijking is not None:
            omschrijving = next(t.omschrijving for t in tx.THEMAS if t.code == verduidelijking)
            sector = f"{sector} {omschrijving}"
        analyse, scores, query_stems = self.analyseer(vraag, sector)
        if verduidelijking is not None:
            analyse.themas = [verduidelijking]
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
        if analyse.themas and self.w.regio_drempel < 0.15:
            hoofd = self.thema_matrix[:, THEMAS.index(analyse.themas[0])] > 0
            relevant = relevant | (regionaal & hoofd & (bm > self.w.regio_drempel))
        total = (
            bm
            + self.w.semantiek * sem
            + self.w.thema * overlap
            + self.w.soort * soort_fit * (bm > 0)
            + self.w.regio * (regionaal & relevant)
            + self.w.eerstelijns * self.eerstelijns * relevant
            - self.w.markt * self.markt
        )
        hoofd_fit = np.zeros(len(self.docs), dtype=np.float32)
        precisie_fit = np.zeros(len(self.docs), dtype=np.float32)
        if q_themas.any():
            hoofd_fit = self.thema_matrix[:, THEMAS.index(analyse.themas[0])]
            precisie_fit = (self.thema_matrix @ (q_themas > 0)) / np.maximum(self.thema_aantal, 1)
        if doelgroepen:
            past = np.array([bool(g & doelgroepen) for g in self.doelgroepen], dtype=bool)
            total = total + self.w.profiel * (past & relevant)
        total = np.where(mask & ((bm > 0) | (overlap > 0) | (sem > 0)), total, -np.inf)
        orde = _beste(total, KANDIDATEN)
        if self.w.rrf and analyse.semantisch is not None and len(orde):
            # reciprocal rank fusion of the lexical ranking with the encoder's, over the best
            # KANDIDATEN of each (a rank beyond them counts as KANDIDATEN)
            # every available dienst takes part: the encoder also finds those that share no
            # word with the question
            cos = np.where(
                mask if self.w.vangnet else np.isfinite(total), analyse.semantisch, -np.inf
            )
            sem_orde = _beste(cos, KANDIDATEN)
            kandidaten = np.unique(np.concatenate([orde, sem_orde]))
            rang_lex = np.full(len(total), float(KANDIDATEN))
            rang_lex[orde] = np.arange(len(orde))
            rang_sem = np.full(len(total), float(KANDIDATEN))
            rang_sem[sem_orde] = np.arange(len(sem_orde))
            fused = np.full(len(total), -np.inf)
            fused[kandidaten] = 1 / (self.w.rrf_k + rang_lex[kandidaten]) + self.w.rrf / (
                self.w.rrf_k + rang_sem[kandidaten]
            )
            total = fused
            orde = kandidaten[np.argsort(-fused[kandidaten], kind="stable")]
            if self.w.rangschikker is not None or self.kenmerken_nodig:
                kop = orde[:HERORDEN]
                x = self._kenmerken(
                    kop,
                    analyse,
                    gebied,
                    [
                        1 / (self.w.rrf_k + rang_lex[kop]),
                        1 / (self.w.rrf_k + rang_sem[kop]),
                        bm[kop],
                        overlap[kop],
                        hoofd_fit[kop],
                        precisie_fit[kop],
                        (soort_fit & (bm > 0))[kop],
                        (regionaal & relevant)[kop],
                        (self.eerstelijns * relevant)[kop],
                        (past & relevant)[kop] if doelgroepen else np.zeros(len(kop)),
                    ],
                    query_stems,
                )
                if self.kenmerken_nodig:
                    self.laatste_kenmerken, self.laatste_analyse = (kop, x), analyse
                if self.w.rangschikker is not None and self.w.rangschikker.past(x):
                    # the model picks "Begin hier" among the first dienst of each of the
                    # three best providers; the three stay the same, so does the rest
                    eerste: dict[str, int] = {}
                    for r, i in enumerate(kop):
                        eerste.setdefault(self.docs[i].aanbieder_id, r)
                        if len(eerste) == BEGIN_UIT:
                            break
                    rijen = list(eerste.values())
                    beste = rijen[int(np.argmax(self.w.rangschikker.score(x[rijen])))]
                    if beste:
                        i = kop[beste]
                        total = total.copy()
                        total[i] = total[orde[0]] + 1e-6
                        orde = np.concatenate([[i], orde[orde != i]])
        treffers: list[Treffer] = []
        gezien: set[str] = set()
        query_set = set(query_stems)
        for i in orde:
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
                    woorden=sorted(query_set & set(self._doc_stems(d)))[:5],
                    netwerk=not gebied and d.netwerk is not None,
                    semantisch=round(float(sem[i]), 4),
                )
            )
        return analyse, treffers


class Bm25:
    """BM25 (Lucene's variant, k1 1.5, b 0.75: the scores bm25s gives) over documents given as
    stem numbers, built with array operations only. It keeps each document's stem counts
    (`tf`, next to the scores) and lengths, so a rebuild after a register edit takes the
    unchanged documents from the previous index without reading their texts again."""

    K1, B = 1.5, 0.75

    def __init__(
        self,
        vocab: dict[str, int],
        tf,  # scipy CSR, one row per stem: its documents and counts
        lengte: np.ndarray,
    ):
        self.vocab = vocab
        n = len(lengte)
        k1, b = self.K1, self.B
        aantal = np.diff(tf.indptr)
        df = aantal.astype(np.float64)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        gem = float(lengte.mean()) if n else 1.0
        # k1 * ((1 - b) + b * lengte / gem) + t, and idf * t / that: in place, in float64
        noemer = lengte[tf.indices] * b
        noemer /= gem
        noemer += 1 - b
        noemer *= k1
        noemer += tf.data
        gewicht = np.repeat(idf, aantal)
        gewicht *= tf.data
        gewicht /= noemer
        del noemer
        self.data = gewicht.astype(np.float32)
        del gewicht
        self.indices = tf.indices.astype(np.int32, copy=False)
        self.indptr = tf.indptr
        self.tf = tf.data.astype(np.uint16)
        self.lengte = lengte.astype(np.int32)
        self.n = n

    @classmethod
    def uit(
        cls,
        vocab: dict[str, int],
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        tf: np.ndarray,
        lengte: np.ndarray,
    ) -> "Bm25":
        """An index from the arrays of one built before (the stored index)."""
        b = cls.__new__(cls)
        b.vocab, b.data, b.indices, b.indptr, b.tf, b.lengte = (
            vocab,
            data,
            indices,
            indptr,
            tf,
            lengte,
        )
        b.n = len(lengte)
        return b

    @classmethod
    def bouw(
        cls,
        n: int,
        vocab: dict[str, int],
        vorige: "Bm25 | None",
        van_oud: np.ndarray,
        nieuw: list[np.ndarray],
        nieuwe_docs: np.ndarray,
        dubbel: np.ndarray,
    ) -> "Bm25":
        """The index of `n` documents: those the previous index held (`van_oud`, per previous
        document its new number or -1) with their counts from it, the newly read ones
        (`nieuw`, each document's stem numbers, for the documents `nieuwe_docs`), and
        documents with the same texts as an earlier one (`dubbel`, rows (document, earlier
        document))."""
        from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

        lengte = np.zeros(n, dtype=np.int64)
        stam, doc, tel = [], [], []
        if vorige is not None and (van_oud >= 0).any():
            oud_doc = van_oud[vorige.indices]
            blijft = oud_doc >= 0
            rijen = np.arange(len(vorige.indptr) - 1, dtype=np.int32)
            rij = np.repeat(rijen, np.diff(vorige.indptr))
            stam.append(rij[blijft])
            doc.append(oud_doc[blijft].astype(np.int32))
            tel.append(vorige.tf[blijft].astype(np.float32))
            del oud_doc, blijft, rij
            behouden = van_oud >= 0
            lengte[van_oud[behouden]] = vorige.lengte[behouden]
        if nieuw:
            per_doc = np.fromiter((len(x) for x in nieuw), dtype=np.int64, count=len(nieuw))
            lengte[nieuwe_docs] = per_doc
            stam.append(np.concatenate(nieuw))
            doc.append(np.repeat(nieuwe_docs.astype(np.int32), per_doc))
            tel.append(np.ones(int(per_doc.sum()), dtype=np.float32))
        vorm = (len(vocab) + 1, n)

        def csr():
            if not stam:
                return coo_matrix(vorm, dtype=np.float32).tocsr()
            m = coo_matrix(
                (np.concatenate(tel), (np.concatenate(stam), np.concatenate(doc))), shape=vorm
            ).tocsr()
            m.sum_duplicates()
            return m

        tf = csr()
        if len(dubbel):
            # the same texts as an earlier document: its counts, once more
            lengte[dubbel[:, 0]] = lengte[dubbel[:, 1]]
            kopie = tf.tocsc()[:, dubbel[:, 1]].tocoo()
            stam, doc, tel = (
                [tf.tocoo().row.astype(np.int32), kopie.row.astype(np.int32)],
                [tf.tocoo().col.astype(np.int32), dubbel[kopie.col, 0].astype(np.int32)],
                [tf.tocoo().data, kopie.data.astype(np.float32)],
            )
            tf = csr()
        return cls(vocab, tf, lengte)

    def get_scores(self, stammen: list[str]) -> np.ndarray:
        """Each document's score for these stems (a stem named twice counts twice)."""
        nrs = [self.vocab[s] for s in stammen if s in self.vocab]
        if not nrs:
            return np.zeros(self.n, dtype=np.float32)
        plekken = np.concatenate([np.arange(self.indptr[i], self.indptr[i + 1]) for i in nrs])
        return np.bincount(
            self.indices[plekken], weights=self.data[plekken], minlength=self.n
        ).astype(np.float32)


def _tekstsleutel(d: Document) -> tuple:
    """What a document's stems and words are made of."""
    return (d.naam, d.omschrijving, d.trefwoorden, d.aanbieder_naam, d.aanbieder_korte_naam)


def thema_kenmerken(
    termen: Sequence[lx.Term],
    retrieval: np.ndarray,
    combined: np.ndarray,
    zeroshot: np.ndarray,
    semantisch_thema: np.ndarray,
) -> np.ndarray:
    """One row per thema: the signals the learnt thema model weighs. The lexicon (a content
    word names it, a context word names it and no content word names any, how many terms),
    the thema's of the retrieved diensten, the rule's combined score and its rank, the
    encoder's cosine with the thema's description (relative to the others) and the thema's of
    the diensten nearest in meaning; per thema its own bias and its own trust in the lexicon
    and in retrieval."""
    n = len(THEMAS)
    lex, ctx, aantal = np.zeros(n), np.zeros(n), np.zeros(n)
    for t in termen:
        for c in t.themas:
            if t.context:
                ctx[THEMAS.index(c)] = 1
            else:
                lex[THEMAS.index(c)] = 1
                aantal[THEMAS.index(c)] += 1
    comb = combined / (combined.max() or 1.0)
    z = zeroshot
    zr = np.clip((z - z.mean()) / max(float(z.max() - z.mean()), 1e-6), 0, 1)
    rang = np.argsort(np.argsort(-comb, kind="stable"), kind="stable")
    nlex = lex.sum()
    een = np.eye(n)
    return np.column_stack(
        [
            lex,
            ctx * (nlex == 0),
            ctx,
            np.minimum(aantal, 3) / 3,
            retrieval,
            comb,
            zr,
            semantisch_thema,
            rang == 0,
            rang == 1,
            np.full(n, nlex / 3),
            een,
            een * lex[:, None],
            een * retrieval[:, None],
        ]
    ).astype(np.float64)


def _thema_kansen(model, termen, retrieval, combined, zeroshot, sem, matcher) -> np.ndarray:
    z = np.array([zeroshot[c] for c in THEMAS])
    x = thema_kenmerken(termen, retrieval, combined, z, matcher._thema_van(sem))
    w = np.asarray(model)
    return 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))


KANDIDATEN = 500  # documents ranked in full; the rest cannot reach the first cards
HERORDEN = 30  # the best fused candidates the learnt ranking sees (its features' rank)
BEGIN_UIT = 3  # the learnt ranking picks the first card among this many best providers
MODEL = Path(__file__).parent / "data" / "model.npz"  # the learnt models (`evaluatie.leer`)


@dataclass(frozen=True, eq=False)
class Bomen:
    """Boosted regression trees as arrays (one row per tree, nodes in columns; a leaf points
    to itself): the learnt ranking, evaluated for all candidates and trees at once."""

    kenmerk: np.ndarray  # feature per node (int)
    drempel: np.ndarray  # go left when the feature ≤ this (float32, as the trees were fitted)
    links: np.ndarray
    rechts: np.ndarray
    waarde: np.ndarray  # the node's contribution when it is a leaf (learning rate included)
    diepte: int
    kenmerken: int  # the number of features the trees were fitted on

    def past(self, x: np.ndarray) -> bool:
        """Whether these features are the ones the trees were fitted on (their number)."""
        return self.kenmerken == x.shape[1]

    def score(self, x: np.ndarray) -> np.ndarray:
        bomen = np.arange(len(self.kenmerk))[:, None]
        rijen = np.arange(len(x))[None, :]
        knoop = np.zeros((len(self.kenmerk), len(x)), dtype=np.int64)
        for _ in range(self.diepte):
            k = self.kenmerk[bomen, knoop]
            links = x[rijen, k] <= self.drempel[bomen, knoop]
            knoop = np.where(links, self.links[bomen, knoop], self.rechts[bomen, knoop])
        return self.waarde[bomen, knoop].sum(0)


@dataclass(frozen=True)
class _Model:
    bomen: Bomen | None
    thema: tuple[float, ...]


@lru_cache(maxsize=1)
def _model() -> _Model:
    """The learnt models shipped with the code; none when the file is missing."""
    if not MODEL.exists():
        return _Model(None, ())
    with np.load(MODEL) as z:
        bomen = Bomen(
            z["kenmerk"],
            z["drempel"],
            z["links"],
            z["rechts"],
            z["waarde"],
            int(z["diepte"]),
            int(z["kenmerken"]) if "kenmerken" in z else -1,
        )
        return _Model(bomen, tuple(float(w) for w in z["thema"]))


def _standaard_bomen() -> Bomen | None:
    return _model().bomen


def _standaard_thema() -> tuple[float, ...]:
    return _model().thema


def _breedte(docs: Sequence[Document]) -> np.ndarray:
    """Per dienst, how broad its provider is: the share of all thema's its diensten cover
    together. A national door about everything (KVK, RVO) is near 1, a specialist low."""
    per_aanbieder: dict[str, set[str]] = {}
    for d in docs:
        per_aanbieder.setdefault(d.aanbieder_id, set()).update(d.themas)
    return np.array(
        [len(per_aanbieder[d.aanbieder_id]) / len(THEMAS) for d in docs], dtype=np.float32
    )


def _beste(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest finite scores, best first (ties in index order)."""
    eindig = np.isfinite(scores)
    if len(scores) > 4 * k:
        deel = grootste(np.where(eindig, scores, -np.inf), k)
        deel = deel[eindig[deel]]
        return deel[np.lexsort((deel, -scores[deel]))]
    orde = np.argsort(-scores, kind="stable")
    return orde[eindig[orde]][:k]


_blas: ThreadpoolController | None = None


def _een_draad():
    global _blas
    if _blas is None:
        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


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


# How each thema is named in a clarifying question, in plain Dutch.
KEUZELABELS = {
    "financiering": "geld lenen, investeren of subsidie",
    "zwaar-weer": "betalingsproblemen, schulden of stoppen",
    "personeel": "personeel",
    "wet-en-regelgeving": "regels, vergunningen of belasting",
    "internationalisering": "zakendoen over de grens",
    "innovatie": "iets nieuws ontwikkelen",
    "bedrijfsvoering": "uw bedrijf beter organiseren of laten groeien",
}
KORT = 2  # a question of at most this many words (not stop words) is short
DICHTBIJ = 0.7  # two thema's whose scores are at least this close (ratio) are both likely
VERSPREID = 0.5  # in a one-word question, a second thema this close in meaning (ratio)


def verduidelijk(analyse: Analyse) -> list[str]:
    """The thema's a clarifying question should offer, or [] when the question is clear.

    Rules, over the analysis only (nothing learnt per question):
    1. two thema's with scores at least DICHTBIJ of each other: the question is ambiguous;
    2. a short question (at most KORT words that are not stop words) with more than one
       thema: it does not say which is meant;
    3. a one-word question that the sentence encoder places near two thema descriptions (the
       second at least VERSPREID of the first, both with some support in the analysis): the
       word is used for both ('geld': lenen, or geldzorgen).
    The offer is the two (at most three) best thema's."""
    scores = sorted(((v, k) for k, v in analyse.thema_scores.items() if v > 0), reverse=True)
    if len(scores) < 2 or not analyse.themas:
        return []
    (s1, t1), (s2, _) = scores[0], scores[1]
    keuze: list[str] = []
    if s2 >= DICHTBIJ * s1:
        keuze = [t for v, t in scores[:3] if v >= DICHTBIJ * s1]
    elif analyse.inhoudswoorden <= KORT and len(analyse.themas) > 1:
        keuze = analyse.themas[:3]
    elif analyse.inhoudswoorden == 1 and analyse.zeroshot:
        z = sorted(((v, k) for k, v in analyse.zeroshot.items()), reverse=True)
        (z1, a), (z2, b) = z[0], z[1]
        steun = analyse.thema_scores
        if z1 > 0 and z2 >= VERSPREID * z1 and steun.get(a, 0) > 0 and steun.get(b, 0) > 0:
            keuze = list(dict.fromkeys([t1, a, b]))[:3]
    return keuze if len(keuze) >= 2 else []


def keuzevraag(themas: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """The clarifying question and its choices (code, label) for these thema's."""
    labels = [KEUZELABELS.get(t, tx.label(tx.THEMAS, t).lower()) for t in themas]
    vraag = "Gaat het om " + ", ".join(labels[:-1]) + ", of om " + labels[-1] + "?"
    return vraag, [
        (t, label[0].upper() + label[1:]) for t, label in zip(themas, labels, strict=True)
    ]


def _citaat(items: list[str]) -> str:
    return _opsomming([f"‘{w}’" for w in items])


def _gevonden_woorden(t: Treffer, analyse: Analyse) -> list[str]:
    """The question's own words found in the dienst, as the user wrote them: a corrected
    typo as typed ('betaald'), a part of a compound as the whole word ('drankvergunning')."""
    return [vraag for vraag, _ in _gevonden(t, analyse)]


def _gevonden(t: Treffer, analyse: Analyse) -> list[tuple[str, str]]:
    """(the user's word, its stem) for each of the question's stems found in the dienst, at
    most three."""
    stems = set(t.woorden)
    terug = {nieuw: oud for oud, nieuw in analyse.verbeterd.items()}
    out: list[tuple[str, str]] = []
    geheel = ""  # the last whole word: the parts of a compound follow it
    for w in analyse.woorden:
        if geheel and w != geheel and w in geheel:
            getoond = geheel
        else:
            getoond = geheel = terug.get(w, w)
        s = stam(w)
        if s in stems and all(getoond != g and s != st for g, st in out):
            out.append((getoond, s))
    return out[:3]


def _in_dienst(d: Document, stems: list[str]) -> tuple[list[str], bool]:
    """The dienst's own words for these stems, as written there (its name and keywords
    first, then its description and provider), and whether all are in its name or keywords."""
    naam = woorden(" ".join([d.naam, *d.trefwoorden]))
    rest = woorden(" ".join([d.omschrijving, d.aanbieder_naam]))
    eigen = {stam(w): w for w in reversed(rest)} | {stam(w): w for w in reversed(naam)}
    in_naam = {stam(w) for w in naam}
    gevonden = [s for s in stems if s in eigen]
    return [eigen[s] for s in gevonden], bool(gevonden) and all(s in in_naam for s in gevonden)


def _waarom_hoger(t: Treffer, volgende: Treffer, analyse: Analyse) -> str | None:
    """Why this card ranks above the next one, from the first signal that differs."""
    naam = volgende.aanbieder_naam
    if t.in_regio and not volgende.in_regio:
        return f"Staat boven {naam} omdat deze deur in uw eigen regio is."
    if len(t.thema_overlap) > len(volgende.thema_overlap):
        extra = [c for c in t.thema_overlap if c not in volgende.thema_overlap]
        if extra:
            label = tx.label(tx.THEMAS, extra[0]).lower()
            return f"Staat boven {naam} omdat deze dienst ook over {label} gaat."
    if analyse.themas and t.thema_overlap[:1] == analyse.themas[:1] != volgende.thema_overlap[:1]:
        label = tx.label(tx.THEMAS, analyse.themas[0]).lower()
        return f"Staat boven {naam} omdat uw vraag vooral over {label} gaat."
    if len(t.woorden) > len(volgende.woorden):
        return f"Staat boven {naam} omdat meer woorden uit uw vraag in deze dienst staan."
    if volgende.document.markt and not t.document.markt:
        return f"Staat boven {naam}: een publieke of non-profit deur gaat voor een commerciële."
    if t.document.eerstelijns and not volgende.document.eerstelijns:
        return f"Staat boven {naam} omdat {t.aanbieder_naam} een eerste aanspreekpunt is."
    if t.semantisch > volgende.semantisch + 0.05:
        return f"Staat boven {naam} omdat de beschrijving nog dichter bij uw vraag ligt."
    return None


def uitleg_kaarten(
    treffers: list[Treffer], analyse: Analyse, regionaam: str | None
) -> list[list[str]]:
    """Per card, short plain-Dutch sentences: what in the question matched what in the dienst,
    why this region, and why it ranks above the next card. A sentence that would be the same
    on every card (national reach, first-line role) is said once, on the first card it fits."""
    kaarten: list[list[str]] = []
    landelijk_gezegd = eerstelijns_gezegd = False
    for k, t in enumerate(treffers):
        zinnen: list[str] = []
        paren = _gevonden(t, analyse)
        vraagwoorden = [v for v, _ in paren]
        eigen, in_naam = _in_dienst(t.document, [s for _, s in paren])
        themas = [tx.label(tx.THEMAS, c).lower() for c in t.thema_overlap]
        if vraagwoorden:
            # what in the question matched what in the dienst, in the dienst's own words
            waar = " in de naam of de trefwoorden" if in_naam else ""
            if not eigen:
                zin = f"U noemt {_citaat(vraagwoorden)}, en dat staat ook in deze dienst."
            elif eigen == vraagwoorden:
                zin = f"U noemt {_citaat(vraagwoorden)}, en deze dienst ook{waar}."
            else:
                zin = f"U noemt {_citaat(vraagwoorden)}; deze dienst noemt{waar} {_citaat(eigen)}."
            if themas:
                zin += f" Deze dienst gaat over {_opsomming(themas[:2])}."
            zinnen.append(zin)
        elif themas:
            zinnen.append(f"Uw vraag gaat over {_opsomming(themas[:2])}, net als deze dienst.")
        elif t.semantisch > 0:
            zinnen.append("De beschrijving van deze dienst lijkt op uw vraag, in andere woorden.")
        if t.in_regio:
            zinnen.append(
                f"Voor ondernemers in {regionaam}." if regionaam else "Voor uw eigen regio."
            )
        elif t.netwerk:
            zinnen.append("Er is er een in elke regio: vul uw gemeente of postcode in.")
        elif t.document.landelijk and not landelijk_gezegd:
            zinnen.append(
                f"Landelijk: ook voor ondernemers in {regionaam}."
                if regionaam
                else "Landelijk: voor ondernemers in heel Nederland."
            )
            landelijk_gezegd = True
        if t.document.eerstelijns and not eerstelijns_gezegd:
            zinnen.append(
                f"{t.aanbieder_naam} is een eerste aanspreekpunt en verwijst u zo nodig door."
            )
            eerstelijns_gezegd = True
        if t.document.kosten != "gratis":
            zinnen.append("Kosten: " + tx.label(tx.KOSTEN, t.document.kosten).lower() + ".")
        if k + 1 < len(treffers) and (hoger := _waarom_hoger(t, treffers[k + 1], analyse)):
            zinnen.append(hoger)
        kaarten.append(zinnen)
    return kaarten


def uitleg(t: Treffer, analyse: Analyse, regionaam: str | None) -> str:
    """The explanation of one card on its own, as one text."""
    return " ".join(uitleg_kaarten([t], analyse, regionaam)[0])


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
