"""Referral service: the domain's public face.

Every function takes the acting user (`Actor`) and enforces who may see or change what;
every read or write of personal data is audited in the same transaction. The work is done in
`hulpvragen.py` (cases), `toestemmingen.py` (consent per recipient), `doorverwijzingen.py`
(referrals, lifecycle, chain, notes), `berichten.py` (who hears what, through the outbox),
`link.py` (providers without users), `termijnen.py` (reminders, escalation, expiry), `avg.py`
(inzage, removal, retention) and `queries.py` (figures); other domains and the routes use only
what this module exports.
"""

from stelsel.doorverwijzing import analysebron as analysebron
from stelsel.doorverwijzing import kwaliteit_cijfers as kwaliteit_cijfers
from stelsel.doorverwijzing.avg import anonimiseer, inzage, opschonen
from stelsel.doorverwijzing.avg import trek_in as trek_toestemming_in
from stelsel.doorverwijzing.berichten import EMAIL, GEEN, INBOX, bereikbaarheid
from stelsel.doorverwijzing.doorverwijzingen import (
    KETEN,
    ONTVANGER_SOORTEN,
    Inzicht,
    Moment,
    NieuweToestemming,
    Ontvanger,
    aanbieder_naam,
    create_doorverwijzing,
    get,
    get_all,
    keten_kenmerken,
    keten_van,
    notitie,
    ontvangers,
    statistieken,
    suggesties,
    te_laat,
    tijdlijn,
    wijzig_status,
)
from stelsel.doorverwijzing.hulpvragen import (
    NieuweHulpvraag,
    by_toegangscode,
    create_hulpvraag,
    get_hulpvraag,
    keten,
)
from stelsel.doorverwijzing.kwaliteit_bron import (
    GeslotenZaak,
    gesloten_zaken,
    heeft_enquete_toestemming,
    schrijf_zaken,
    verwijder_zaken,
)
from stelsel.doorverwijzing.link import (
    LinkToegang,
    claim_account,
    neem,
    open_link,
    stel_vraag,
)
from stelsel.doorverwijzing.link import wijzig_status as link_wijzig_status
from stelsel.doorverwijzing.termijnen import Bewaakt, bewaak
from stelsel.doorverwijzing.toegang import (
    GEEN_DOORVERWIJZING,
    GEEN_HULPVRAAG,
    TOESTEMMING_DOEL,
    TOESTEMMING_WAT,
    ZELF,
    houdt,
    op_keten,
    telefoon_geldig,
)
from stelsel.doorverwijzing.toestemmingen import KANALEN, beantwoord
from stelsel.doorverwijzing.toestemmingen import vraag as vraag_toestemming
from stelsel.doorverwijzing.zelfverwijzing import aanbieder_naam  # noqa: F811 (also names ZELF)
from stelsel.errors import NietGevonden, Ongeldig, Verboden

__all__ = [
    "ZELF",
    "telefoon_geldig",
    "Bewaakt",
    "EMAIL",
    "GEEN",
    "GEEN_DOORVERWIJZING",
    "GEEN_HULPVRAAG",
    "GeslotenZaak",
    "INBOX",
    "Inzicht",
    "KANALEN",
    "KETEN",
    "LinkToegang",
    "Moment",
    "NietGevonden",
    "NieuweHulpvraag",
    "NieuweToestemming",
    "ONTVANGER_SOORTEN",
    "Ongeldig",
    "Ontvanger",
    "TOESTEMMING_DOEL",
    "TOESTEMMING_WAT",
    "Verboden",
    "aanbieder_naam",
    "anonimiseer",
    "beantwoord",
    "bereikbaarheid",
    "bewaak",
    "by_toegangscode",
    "claim_account",
    "create_doorverwijzing",
    "create_hulpvraag",
    "get",
    "get_all",
    "get_hulpvraag",
    "schrijf_zaken",
    "verwijder_zaken",
    "gesloten_zaken",
    "heeft_enquete_toestemming",
    "houdt",
    "inzage",
    "keten",
    "keten_kenmerken",
    "keten_van",
    "link_wijzig_status",
    "neem",
    "notitie",
    "ontvangers",
    "op_keten",
    "open_link",
    "opschonen",
    "statistieken",
    "stel_vraag",
    "suggesties",
    "te_laat",
    "tijdlijn",
    "trek_toestemming_in",
    "vraag_toestemming",
    "wijzig_status",
]
