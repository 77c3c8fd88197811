"""The factories make what their names say, through the services, on both databases."""

import pytest

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from tests import factories

STATEN = [*factories.STAPPEN, lc.GEANNULEERD]


@pytest.mark.parametrize("staat", STATEN)
def test_a_named_state_is_reached_and_seen_by_both_parties(session, staat):
    zaak = factories.zaak(session, staat=staat)
    i = service.get(session=session, actor=zaak.verzender, doorverwijzing_id=zaak.doorverwijzing_id)
    assert (i.doorverwijzing.status, i.partij) == (staat, lc.VERZENDER)
    i = service.get(session=session, actor=zaak.ontvanger, doorverwijzing_id=zaak.doorverwijzing_id)
    # the receiver's first look marks a sent referral as received
    assert i.doorverwijzing.status == (lc.ONTVANGEN if staat == lc.VERZONDEN else staat)
    assert i.partij == lc.ONTVANGER


def test_a_token_belongs_to_its_user(client, session):
    actor, token = factories.met_token(session, "stelselregisseur")
    r = client.get("/api/v1/audit", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert actor.rol == "stelselregisseur"
