"""Users, roles, hashed tokens and passwords; the `stelsel gebruiker maak` command."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from stelsel.accounts import service as accounts
from stelsel.accounts.models import ApiToken, Gebruiker
from stelsel.db import session_scope


def test_token_is_stored_hashed_and_identifies_the_user(session):
    g = accounts.create(session=session, email="A@kvk.example.nl", rol="adviseur", aanbieder="kvk")
    token = accounts.create_token(session=session, gebruiker=g)
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and all(len(h) == 64 for h in stored)
    actor = accounts.by_token(session=session, token=token)
    assert actor is not None and actor.id == g.id and actor.rol == "adviseur"
    assert actor.aanbieder_id == g.aanbieder_id and g.email == "a@kvk.example.nl"
    assert accounts.by_token(session=session, token=token + "x") is None


def test_password_is_argon2_and_checked(session):
    accounts.create(
        session=session,
        email="b@ezk.example.nl",
        rol="stelselregisseur",
        wachtwoord="lang-genoeg-123",
    )
    g = session.scalar(select(Gebruiker).where(Gebruiker.email == "b@ezk.example.nl"))
    assert g.wachtwoord_hash.startswith("$argon2")
    assert accounts.by_password(
        session=session, email="b@ezk.example.nl", wachtwoord="lang-genoeg-123"
    )
    assert not accounts.by_password(session=session, email="b@ezk.example.nl", wachtwoord="fout")
    assert not accounts.by_password(session=session, email="x@ezk.example.nl", wachtwoord="fout")


@pytest.mark.parametrize(
    ("kw", "veld"),
    [
        ({"email": "geen-adres", "rol": "beheerder"}, "email"),
        ({"email": "c@x.example.nl", "rol": "baas"}, "rol"),
        ({"email": "c@x.example.nl", "rol": "adviseur"}, "aanbieder"),
        ({"email": "c@x.example.nl", "rol": "adviseur", "aanbieder": "bestaat-niet"}, "aanbieder"),
        ({"email": "c@x.example.nl", "rol": "regiocoordinator", "regio": "XX99"}, "regio"),
        ({"email": "c@x.example.nl", "rol": "beheerder", "wachtwoord": "kort"}, "wachtwoord"),
    ],
)
def test_invalid_users_are_refused_naming_the_field(session, kw, veld):
    with pytest.raises(accounts.GebruikerOngeldig) as e:
        accounts.create(session=session, **kw)
    assert e.value.veld == veld


def test_cli_prints_token_alone_on_last_line(databases, monkeypatch):
    from stelsel.cli import app

    engine = databases.engine()
    monkeypatch.setattr("stelsel.accounts.cli.get_engine", lambda: engine)
    r = CliRunner().invoke(
        app,
        [
            "gebruiker",
            "maak",
            "--email",
            "r@fryslan.example.nl",
            "--rol",
            "regiocoordinator",
            "--regio",
            "PV21",
            "--toon-token",
        ],
    )
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    assert token.startswith("stl_") and " " not in token
    with session_scope(engine) as s:
        actor = accounts.by_token(session=s, token=token)
        assert actor is not None and actor.rol == "regiocoordinator" and actor.regio_code == "PV21"

    r = CliRunner().invoke(
        app, ["gebruiker", "maak", "--email", "r@fryslan.example.nl", "--rol", "beheerder"]
    )
    assert r.exit_code == 1 and "email" in r.output


def test_the_register_group_is_mounted_on_the_stelsel_command(databases, monkeypatch):
    """`stelsel register herinneringen` (the cron job) is reachable from the real entry point."""
    from stelsel.cli import app

    engine = databases.engine()  # no register: nothing to remind
    monkeypatch.setattr("stelsel.accounts.cli.get_engine", lambda: engine)
    r = CliRunner().invoke(app, ["register", "herinneringen"])
    assert r.exit_code == 0, r.output
    assert "0 herinnering(en) klaargezet" in r.output
