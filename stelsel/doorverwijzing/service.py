"""Referral service: the domain's public face.

Every function takes the acting user (`Actor`) and enforces who may see or change what;
every read or write of personal data is audited in the same transaction. The work is done in
`hulpvragen.py` (cases and consent), `doorverwijzingen.py` (referrals, lifecycle,
notifications), `avg.py` (inzage, withdrawal, removal, retention) and `queries.py` (figures);
other domains and the routes use only what this module exports.
"""

from stelsel.doorverwijzing.avg import (
    anonimiseer,
    inzage,
    opschonen,
    trek_toestemming_in,
)
from stelsel.doorverwijzing.doorverwijzingen import (
    ONTVANGER_SOORTEN,
    aanbieder_naam,
    create_doorverwijzing,
    get,
    get_all,
    keten,
    keten_kenmerken,
    persoonsgegevens_zichtbaar,
    statistieken,
    suggesties,
    te_laat,
    wijzig_status,
)
from stelsel.doorverwijzing.hulpvragen import (
    NieuweHulpvraag,
    by_toegangscode,
    create_hulpvraag,
    get_hulpvraag,
)
from stelsel.doorverwijzing.toegang import (
    GEEN_DOORVERWIJZING,
    GEEN_HULPVRAAG,
    TOESTEMMING_DOEL,
    TOESTEMMING_WAT,
)
from stelsel.errors import NietGevonden, Ongeldig, Verboden

__all__ = [
    "GEEN_DOORVERWIJZING",
    "GEEN_HULPVRAAG",
    "NietGevonden",
    "NieuweHulpvraag",
    "ONTVANGER_SOORTEN",
    "Ongeldig",
    "TOESTEMMING_DOEL",
    "TOESTEMMING_WAT",
    "Verboden",
    "aanbieder_naam",
    "anonimiseer",
    "by_toegangscode",
    "create_doorverwijzing",
    "create_hulpvraag",
    "get",
    "get_all",
    "get_hulpvraag",
    "inzage",
    "keten",
    "keten_kenmerken",
    "opschonen",
    "persoonsgegevens_zichtbaar",
    "statistieken",
    "suggesties",
    "te_laat",
    "trek_toestemming_in",
    "wijzig_status",
]
