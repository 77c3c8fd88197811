"""Survey invitations and responses: consent gates the invitation, the link is single-use,
expires and cannot be forged, a response is written once and never changed."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.errors import NietGevonden, Ongeldig
from stelsel.kwaliteit import enquete
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema, EnqueteUitnodiging
from stelsel.meldingen.models import Bericht
from tests import factories

GOED = enquete.Antwoorden(
    csat="8", ces="4", opgelost="volledig", nps="9", aantal_organisaties="2", opmerking="Prima"
)


def _mails(session) -> list[Bericht]:
    return [
        b
        for b in session.scalars(select(Bericht))
        if json.loads(b.inhoud)["type"] == "ondernemer.enquete"
    ]


def _token(bericht: Bericht) -> str:
    return json.loads(bericht.inhoud)["link"].rsplit("/", 1)[1]


def _uitnodiging(session, **velden) -> tuple[factories.Zaak, str]:
    zaak = factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"], **velden)
    assert enquete.uitnodigen(session=session) == 1
    (mail,) = _mails(session)
    return zaak, _token(mail)


def test_no_consent_no_invitation(session):
    factories.zaak(session, lc.AFGEROND, themas=["financiering"])  # no enquete consent
    factories.zaak(
        session, lc.AFGEROND, berichten=True, themas=["financiering"]
    )  # contact consent is not enough
    assert enquete.uitnodigen(session=session) == 0
    assert session.scalar(select(func.count()).select_from(EnqueteUitnodiging)) == 0
    assert _mails(session) == []


def test_consent_gives_one_invitation_per_case_idempotent(session):
    zaak = factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    factories.zaak(
        session, lc.IN_BEHANDELING, enquete=True, themas=["financiering"]
    )  # still open: not yet
    assert enquete.uitnodigen(session=session) == 1
    assert enquete.uitnodigen(session=session) == 0  # the cron runs again: nothing new
    (u,) = session.scalars(select(EnqueteUitnodiging)).all()
    assert u.hulpvraag_id == zaak.hulpvraag_id
    assert u.aanbieder_id is not None and u.eerste_keer_goed is True
    assert u.aantal_doorverwijzingen == 1 and u.gemeente_code == "GM0080"
    assert u.corop_code and u.provincie_code == "PV21"
    (mail,) = _mails(session)
    assert mail.bestemming == "jan.devries@example.nl"
    token = _token(mail)
    assert u.token_hash != token and token not in u.token_hash
    # the mail carries a link, never the question or the entrepreneur's data
    for persoonlijk in ("Jan de Vries", "bakoven", "0612345678", "12345678"):
        assert persoonlijk not in mail.inhoud and persoonlijk not in mail.onderwerp


def test_withdrawal_before_the_cron_means_no_invitation(session):
    zaak = factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    h = doorverwijzing.by_toegangscode(session=session, code=zaak.code)
    doorverwijzing.trek_toestemming_in(session=session, hulpvraag=h, door=None)
    session.flush()
    assert enquete.uitnodigen(session=session) == 0
    assert _mails(session) == []


def test_removed_case_gets_no_invitation(session):
    zaak = factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    doorverwijzing.anonimiseer(
        session=session,
        hulpvraag=doorverwijzing.by_toegangscode(session=session, code=zaak.code),
        door=None,
        doel="verzoek ondernemer",
    )
    session.flush()
    assert enquete.uitnodigen(session=session) == 0


def test_declined_case_waits_before_it_counts_as_closed(session):
    factories.zaak(session, lc.GEWEIGERD, enquete=True, themas=["financiering"])
    assert enquete.uitnodigen(session=session) == 0  # the sender may still refer it on
    later = datetime.now(UTC) + timedelta(days=15)
    assert enquete.uitnodigen(session=session, nu=later) == 1


def test_response_is_written_once_and_never_changed(session):
    _, token = _uitnodiging(session)
    assert enquete.open_link(session=session, token=token).beantwoord is False
    antwoord_id = enquete.beantwoord(session=session, token=token, antwoorden=GOED)
    a = session.get(EnqueteAntwoord, antwoord_id)
    assert (a.csat, a.ces, a.opgelost, a.nps, a.aantal_organisaties) == (8, 4, "volledig", 9, 2)
    assert a.bron == "enquete" and a.gemeente_code == "GM0080" and a.eerste_keer_goed is True
    themas = session.scalars(
        select(EnqueteAntwoordThema.thema).where(EnqueteAntwoordThema.antwoord_id == antwoord_id)
    ).all()
    assert themas == ["financiering"]  # the case's thema, copied at invitation time
    # a second submit, with other answers: refused, and the stored answers stay as they were
    anders = enquete.Antwoorden(csat="1", ces="1", opgelost="deels", nps="0")
    with pytest.raises(enquete.AlBeantwoord):
        enquete.beantwoord(session=session, token=token, antwoorden=anders)
    session.expire_all()
    a = session.get(EnqueteAntwoord, antwoord_id)
    assert (a.csat, a.nps, a.opgelost) == (8, 9, "volledig")
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 1
    assert enquete.open_link(session=session, token=token).beantwoord is True


def test_forged_and_expired_links_are_refused_and_write_nothing(session):
    zaak, token = _uitnodiging(session)
    for vals in (token[:-2] + "xx", "geen-token", token + "a"):
        with pytest.raises(NietGevonden):
            enquete.open_link(session=session, token=vals)
        with pytest.raises(NietGevonden):
            enquete.beantwoord(session=session, token=vals, antwoorden=GOED)
    # a correctly signed token for an invitation whose hash is not stored
    nagemaakt = enquete._serializer().dumps(str(zaak.hulpvraag_id))
    with pytest.raises(NietGevonden):
        enquete.beantwoord(session=session, token=nagemaakt, antwoorden=GOED)
    # expired
    session.execute(
        update(EnqueteUitnodiging).values(verloopt_op=datetime.now(UTC) - timedelta(seconds=1))
    )
    with pytest.raises(NietGevonden):
        enquete.open_link(session=session, token=token)
    with pytest.raises(NietGevonden):
        enquete.beantwoord(session=session, token=token, antwoorden=GOED)
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 0
    u = session.scalars(select(EnqueteUitnodiging)).one()
    assert u.beantwoord_op is None


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("csat", "0"),
        ("csat", "11"),
        ("csat", "acht"),
        ("ces", "6"),
        ("opgelost", "misschien"),
        ("nps", "-1"),
        ("nps", ""),
        ("aantal_organisaties", "51"),
        ("opmerking", "x" * 2001),
    ],
)
def test_validation_names_the_field(veld, waarde):
    waarden, fouten = enquete.controleer(enquete.Antwoorden(**{**GOED.__dict__, veld: waarde}))
    assert waarden is None and list(fouten) == [veld]


def test_all_errors_at_once_and_nothing_written(session):
    _, token = _uitnodiging(session)
    _, fouten = enquete.controleer(enquete.Antwoorden())
    assert set(fouten) == {"csat", "ces", "opgelost", "nps"}
    with pytest.raises(Ongeldig) as e:
        enquete.beantwoord(session=session, token=token, antwoorden=enquete.Antwoorden(csat="5"))
    assert e.value.veld == "ces"
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 0
    assert enquete.open_link(session=session, token=token).beantwoord is False


def test_response_survives_removal_of_the_case(session):
    zaak, token = _uitnodiging(session)
    antwoord_id = enquete.beantwoord(session=session, token=token, antwoorden=GOED)
    doorverwijzing.anonimiseer(
        session=session,
        hulpvraag=doorverwijzing.by_toegangscode(session=session, code=zaak.code),
        door=None,
        doel="verzoek ondernemer",
    )
    session.flush()
    session.expire_all()
    assert session.get(EnqueteAntwoord, antwoord_id).csat == 8


def test_comment_is_removed_after_the_retention_period(session):
    _, token = _uitnodiging(session)
    oud = enquete.beantwoord(session=session, token=token, antwoorden=GOED)
    session.execute(
        update(EnqueteAntwoord)
        .where(EnqueteAntwoord.id == oud)
        .values(ontvangen_op=datetime.now(UTC) - timedelta(days=400))
    )
    assert enquete.opschonen(session=session) == 1
    assert enquete.opschonen(session=session) == 0
    session.expire_all()
    a = session.get(EnqueteAntwoord, oud)
    assert a.opmerking is None and (a.csat, a.nps) == (8, 9)  # the measurement stays


def test_a_recent_comment_stays(session):
    _, token = _uitnodiging(session)
    antwoord_id = enquete.beantwoord(session=session, token=token, antwoorden=GOED)
    assert enquete.opschonen(session=session) == 0
    assert session.get(EnqueteAntwoord, antwoord_id).opmerking == "Prima"


def test_removing_the_case_drops_the_queued_invitation_mail(session):
    zaak = factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    assert enquete.uitnodigen(session=session) == 1
    assert len(_mails(session)) == 1
    doorverwijzing.anonimiseer(
        session=session,
        hulpvraag=doorverwijzing.by_toegangscode(session=session, code=zaak.code),
        door=None,
        doel="verzoek ondernemer",
    )
    session.flush()
    for b in _mails(session):  # gone, or emptied of the address and the link
        assert "jan.devries@example.nl" not in b.bestemming and "/enquete/" not in b.inhoud
