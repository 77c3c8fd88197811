"""The public face of the kwaliteit domain.

Surveys (enquete.py): invitations after a closed case, the signed link, the response; the
feedback widget (feedback.py); the import of survey exports (importeren.py); demo data
(demo.py). Other layers use only what this module exports.
"""

from stelsel.kwaliteit.demo import aanwezig as demo_aanwezig
from stelsel.kwaliteit.enquete import (
    AlBeantwoord,
    Antwoorden,
    beantwoord,
    controleer,
    open_link,
    opschonen,
    uitnodigen,
)
from stelsel.kwaliteit.feedback import FeedbackIn
from stelsel.kwaliteit.feedback import geef as geef_feedback
from stelsel.kwaliteit.queries import Filter as CijferFilter
from stelsel.kwaliteit.queries import overzicht as cijfers_overzicht
from stelsel.kwaliteit.queries import uitsplitsing as cijfers_uitsplitsing
from stelsel.kwaliteit.rollup import herbouw as rollup_herbouw

__all__ = [
    "AlBeantwoord",
    "Antwoorden",
    "CijferFilter",
    "FeedbackIn",
    "beantwoord",
    "cijfers_overzicht",
    "cijfers_uitsplitsing",
    "controleer",
    "demo_aanwezig",
    "geef_feedback",
    "open_link",
    "opschonen",
    "rollup_herbouw",
    "uitnodigen",
]
