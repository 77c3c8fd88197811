"""The register's fixed vocabulary: codes, Dutch labels and short explanations.

Pure data, no ORM. The codes are the ones the API, the CSV files and the HSDS export use.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    naam: str
    omschrijving: str = ""


THEMAS: tuple[Term, ...] = (
    Term("financiering", "Financiering", "Geld lenen, investeerders, subsidies en garanties."),
    Term("personeel", "Personeel", "Mensen vinden, opleiden, in dienst nemen en houden."),
    Term(
        "zwaar-weer",
        "Zwaar weer",
        "Financiële problemen, schulden, herstructureren of het bedrijf stoppen.",
    ),
    Term(
        "wet-en-regelgeving",
        "Wet- en regelgeving",
        "Regels, vergunningen, belastingen en administratieve plichten.",
    ),
    Term(
        "internationalisering",
        "Internationalisering",
        "Exporteren, importeren en zakendoen over de grens.",
    ),
    Term("innovatie", "Innovatie", "Nieuwe producten, diensten of technieken ontwikkelen, R&D."),
    Term(
        "bedrijfsvoering",
        "Vernieuwen van de bedrijfsvoering",
        "Het bedrijf beter, digitaler of duurzamer organiseren en laten groeien.",
    ),
)

TRANSITIETHEMAS: tuple[Term, ...] = (
    Term(
        "verduurzaming", "Verduurzaming", "Energie besparen, CO2 verminderen, duurzaam ondernemen."
    ),
    Term(
        "digitalisering",
        "Digitalisering",
        "Digitale middelen, online verkopen, data en automatisering.",
    ),
    Term("circulair", "Circulair ondernemen", "Grondstoffen hergebruiken en afval voorkomen."),
    Term("arbeidsmarkt", "Arbeidsmarkt", "Krapte, omscholing en wendbaar personeel."),
)

DIENST_SOORTEN: tuple[Term, ...] = (
    Term("informatie", "Informatie"),
    Term("advies", "Advies"),
    Term("financiering", "Financiering of subsidie"),
    Term("programma", "Programma of begeleiding"),
    Term("netwerk", "Netwerk of community"),
    Term("tool", "Tool of scan"),
    Term("opleiding", "Opleiding"),
)

FASEN: tuple[Term, ...] = (
    Term("ontmoeten", "Ontmoeten en inspiratie"),
    Term("weten", "Weten"),
    Term("willen", "Willen"),
    Term("kunnen", "Kunnen"),
)

DOELGROEPEN: tuple[Term, ...] = (
    Term("starters", "Starters"),
    Term("peloton", "Gevestigde mkb'ers (peloton)"),
    Term("koplopers", "Koplopers en innovatieve bedrijven"),
    Term("groeien", "Groeien"),
    Term("versnellen", "Versnellen en uitbreiden"),
    Term("vernieuwen", "Vernieuwen"),
    Term("hervormen", "Hervormen"),
    Term("stoppen", "Stoppen"),
    Term("zzp", "Zzp'ers"),
    Term("micro", "Micro (minder dan 10 medewerkers)"),
    Term("klein", "Klein (10 tot 50 medewerkers)"),
    Term("middelgroot", "Middelgroot (50 tot 250 medewerkers)"),
)

KANALEN: tuple[Term, ...] = (
    Term("online", "Online"),
    Term("telefoon", "Telefoon"),
    Term("fysiek", "Op locatie"),
)

KOSTEN: tuple[Term, ...] = (
    Term("gratis", "Gratis"),
    Term("betaald", "Betaald"),
    Term("voucher", "Met voucher of eigen bijdrage"),
)

AANBIEDER_SOORTEN: tuple[Term, ...] = (
    Term("publiek", "Publiek"),
    Term("semipubliek", "Semipubliek"),
    Term("non-profit", "Non-profit"),
    Term("vertegenwoordiging", "Vertegenwoordiging"),
    Term("privaat", "Privaat"),
)

NIVEAUS: tuple[Term, ...] = (
    Term("landelijk", "Landelijk"),
    Term("regionaal", "Regionaal"),
    Term("lokaal", "Lokaal"),
)

# Languages a dienst can be had in. Codes are ISO 639-1, or ISO 639-3 where there is no
# two-letter code (pap Papiaments, dse Nederlandse Gebarentaal, rif Tarifit, srn Sranantongo).
# The list holds the languages of the Kingdom and those most spoken by entrepreneurs here.
TALEN: tuple[Term, ...] = (
    Term("nl", "Nederlands"),
    Term("fy", "Fries"),
    Term("pap", "Papiaments"),
    Term("dse", "Nederlandse Gebarentaal"),
    Term("en", "Engels"),
    Term("de", "Duits"),
    Term("fr", "Frans"),
    Term("es", "Spaans"),
    Term("pt", "Portugees"),
    Term("it", "Italiaans"),
    Term("pl", "Pools"),
    Term("ro", "Roemeens"),
    Term("bg", "Bulgaars"),
    Term("uk", "Oekraïens"),
    Term("ru", "Russisch"),
    Term("tr", "Turks"),
    Term("ar", "Arabisch"),
    Term("rif", "Tarifit (Riffijns)"),
    Term("fa", "Perzisch (Farsi)"),
    Term("ti", "Tigrinya"),
    Term("so", "Somalisch"),
    Term("zh", "Chinees"),
    Term("hi", "Hindi"),
    Term("srn", "Sranantongo"),
)

# Kinds of area a dienst's werkgebied can list, with the prefix used in CSV cells.
WERKGEBIED_SOORTEN: tuple[str, ...] = ("provincie", "arbeidsmarktregio", "corop", "gemeente")


def codes(terms: tuple[Term, ...]) -> tuple[str, ...]:
    """The codes of a vocabulary, in its defined order."""
    return tuple(t.code for t in terms)


def label(terms: tuple[Term, ...], code: str) -> str:
    """The Dutch label for a code, or the code itself when unknown."""
    return next((t.naam for t in terms if t.code == code), code)


def onbekend(code: str, terms: tuple[Term, ...]) -> str:
    """The reason an unknown code is refused, listing the allowed codes."""
    shown = code if len(code) <= 60 else code[:60] + "…"
    return f"'{shown}' is onbekend; kies uit {', '.join(codes(terms))}"


def controleer(values: list[str], terms: tuple[Term, ...]) -> list[str]:
    """Known codes, each once, in the given order; ValueError naming the first unknown one."""
    for value in values:
        if value not in codes(terms):
            raise ValueError(onbekend(value, terms))
    return list(dict.fromkeys(values))
