"""The provider link's permission matrix, on both databases: only a valid, unexpired link that
was not withdrawn (by claiming an account, or by removal of the entrepreneur's data) opens the
referral or changes it; every other link gets 404, sees no personal data, changes nothing and
leaves an audit entry."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from stelsel.accounts.models import AuditRegel
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import AanbiederLink, Doorverwijzing, Hulpvraag
from tests.doorverwijzing.conftest import PERSOONSGEGEVENS
from tests.doorverwijzing.test_pages import (
    _link,
    intake,
    mensen,  # noqa: F401 (fixture)
    post,
    verwijs,
)

ACTIES = {
    "GET": None,
    "neem": {"naam": "Riet Balie", "email": "riet@rvo.example.nl"},
    "status": {"status": "geaccepteerd"},
    "vraag": {"tekst": "Mag ik de jaarcijfers zien?"},
    "account": {"wachtwoord": "paarse olifant fietst naar zee"}
    | {"herhaal": "paarse olifant fietst naar zee"},
}


def _verval(session, url: str, staat: str) -> str:
    """The link in a state: geldig, vervalst (signature changed), verlopen, geclaimd (an account
    was made with it) or verwijderd (the entrepreneur's data was removed)."""
    if staat == "vervalst":
        return url[:-2] + ("AA" if not url.endswith("AA") else "BB")
    if staat == "verlopen":
        session.execute(
            update(AanbiederLink).values(verloopt_op=datetime.now(UTC) - timedelta(minutes=1))
        )
    if staat == "geclaimd":
        session.execute(update(AanbiederLink).values(ingetrokken_op=datetime.now(UTC)))
    if staat == "verwijderd":
        h = session.scalars(select(Hulpvraag)).one()
        service.anonimiseer(session=session, hulpvraag=h, door=None, doel="test")
    session.flush()
    return url


@pytest.mark.parametrize("staat", ["vervalst", "verlopen", "geclaimd", "verwijderd"])
def test_only_a_valid_link_opens_or_changes_the_referral(mensen, session, client, staat):  # noqa: F811
    kvk = mensen["kvk"]
    verwijs(kvk, intake(kvk), "rvo")
    url = "/" + _link(session)
    balie = TestClient(client.app)
    # the person took the link while it still worked
    assert post(balie, f"{url}/neem", ACTIES["neem"], url).status_code == 303
    bron = balie.get(url)
    assert bron.status_code == 200
    csrf = bron.text.split('name="csrf" value="')[1].split('"')[0]
    url = _verval(session, url, staat)
    # as seen; removing the data also closed the referral (nobody may act on it any more)
    voor = lc.GEANNULEERD if staat == "verwijderd" else lc.ONTVANGEN
    for actie, data in ACTIES.items():
        geweigerd = session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
        if data is None:
            r = balie.get(url)
        else:
            r = balie.post(f"{url}/{actie}", data={**data, "csrf": csrf}, follow_redirects=False)
        assert r.status_code == 404, (staat, actie, r.status_code)
        for waarde in PERSOONSGEGEVENS:
            assert waarde not in r.text
        session.expire_all()
        assert session.scalars(select(Doorverwijzing)).one().status == voor
        assert session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd")) > (
            geweigerd
        ), f"a refused link leaves an audit entry ({actie})"


def test_a_valid_link_works_for_each_action(mensen, session, client):  # noqa: F811
    kvk = mensen["kvk"]
    verwijs(kvk, intake(kvk), "rvo")
    url = "/" + _link(session)
    balie = TestClient(client.app)
    eerst = balie.get(url)
    assert eerst.status_code == 200 and "Jan de Vries" not in eerst.text
    for actie in ("neem", "status", "vraag", "account"):
        r = post(balie, f"{url}/{actie}", ACTIES[actie], url)
        assert r.status_code in (200, 303), (actie, r.status_code, r.text[:300])
    session.expire_all()
    assert session.scalars(select(Doorverwijzing)).one().status == "geaccepteerd"


def test_typing_the_claimers_address_in_another_browser_does_not_open_the_link(
    mensen,  # noqa: F811
    session,
    client,
):
    """The address is not verified: a second browser that types the same one (in capitals)
    got the entrepreneur's data and renamed the claimer. Now only the first browser goes on."""
    kvk = mensen["kvk"]
    verwijs(kvk, intake(kvk), "rvo")
    url = "/" + _link(session)
    eerste = TestClient(client.app)
    assert post(eerste, f"{url}/neem", ACTIES["neem"], url).status_code == 303
    ander = TestClient(client.app)
    r = post(ander, f"{url}/neem", {"naam": "Iemand anders", "email": "RIET@rvo.example.nl"}, url)
    assert r.status_code == 400 and "al in gebruik" in r.text
    for pagina in (r, ander.get(url)):
        for waarde in PERSOONSGEGEVENS:
            assert waarde not in pagina.text
    session.expire_all()
    assert session.scalars(select(AanbiederLink)).one().naam == "Riet Balie"
    assert "Jan de Vries" in eerste.get(url).text  # the one who took it goes on
