"""Liveness/readiness and metrics for the operator on call."""

from sqlalchemy import text

from stelsel.app import create_app


def test_health_is_ok_on_a_current_database(client):
    r = client.get("/api/v1/gezondheid")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["database"] == "bereikbaar" and r.json()["schema"] == "actueel"


def test_health_says_not_ready_when_the_schema_is_behind(databases):
    from fastapi.testclient import TestClient

    engine = databases.engine()
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with TestClient(create_app(engine)) as c:
        r = c.get("/api/v1/gezondheid")
    assert r.status_code == 503
    assert r.json() == {**r.json(), "status": "niet gereed", "schema": "verouderd"}


def test_health_says_not_ready_when_the_database_is_gone(tmp_path):
    from fastapi.testclient import TestClient

    from stelsel.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'nergens' / 'weg.db'}")
    with TestClient(create_app(engine)) as c:
        r = c.get("/api/v1/gezondheid")
    assert r.status_code == 503 and r.json()["database"] == "onbereikbaar"


def test_metrics_count_requests_per_route_template_not_per_path(client):
    client.get("/api/v1/diensten/qredits-krediet-bestaat-niet")
    client.get("/api/v1/themas")
    body = client.get("/metrics").text
    assert 'route="/api/v1/diensten/{id}"' in body
    assert "qredits-krediet-bestaat-niet" not in body  # what someone typed never becomes a label
    assert 'stelsel_verzoeken_total{methode="GET",route="/api/v1/themas",status="200"}' in body
    assert "stelsel_verzoek_seconden_bucket" in body


def test_metrics_show_the_outbox_backlog(client, session):
    from stelsel.meldingen import service as meldingen

    def gauge(body: str, naam: str) -> float:
        (regel,) = [r for r in body.splitlines() if r.startswith(naam + " ")]
        return float(regel.split()[1])

    voor = gauge(client.get("/metrics").text, "stelsel_outbox_wachtrij")
    meldingen.zet_klaar(
        session=session,
        soort="doorverwijzing.nieuw",
        sleutel="test:metrics",
        onderwerp="Nieuwe doorverwijzing",
        gegevens={"status": "verzonden", "link": "http://127.0.0.1/x", "doorverwijzing": "x"},
        emails=["a@kvk.example.nl", "b@kvk.example.nl"],
    )
    session.flush()
    body = client.get("/metrics").text
    assert gauge(body, "stelsel_outbox_wachtrij") == voor + 2
    assert gauge(body, "stelsel_outbox_achterstand_seconden") >= 0
