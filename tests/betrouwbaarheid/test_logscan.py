"""No personal data in any log line: a server with two workers is sent the requests that used
to leak (a question in a query, private links, an oversized field, malformed JSON), and its
whole log is then scanned for every personal value and every private link code."""

import re

import httpx

from tests.factories import HULPVRAAG

VRAAG_IN_FORMULIER = "Mijn bakkerij Zonnebloem aan de Kerkstraat zoekt een lening"
VRAAG_IN_URL = "Kapsalon Vleugel in Dokkum wil exporteren"


def test_a_server_with_two_workers_logs_no_personal_data(db, adviseur_token, server_factory):
    server = server_factory(workers=2)
    server.start()
    headers = {"Authorization": f"Bearer {adviseur_token}"}
    codes = []
    with httpx.Client(base_url=server.base, timeout=10) as http:
        for _ in range(6):  # enough requests that both workers answer some
            r = http.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=headers)
            assert r.status_code == 201, r.text
            link = r.json()["prive_link"]
            codes.append(link.rsplit("/", 1)[1])
            assert http.get(link.replace("http://127.0.0.1:8000", "")).status_code == 200
            http.get(f"/mijn-hulpvraag/{codes[-1]}/inzage")
        assert http.post("/wegwijzer", data={"vraag": VRAAG_IN_FORMULIER}).status_code == 200
        assert http.get("/wegwijzer", params={"vraag": VRAAG_IN_URL}).status_code == 200
        te_lang = {**HULPVRAAG, "themas": ["financiering" + "x" * 300]}
        assert http.post("/api/v1/hulpvragen", json=te_lang, headers=headers).status_code < 500
        kapot = '{"ondernemer": {"naam": "Jan de Vries", "email": "jan.devries@example.nl"'
        r = http.post(
            "/api/v1/hulpvragen",
            content=kapot,
            headers={**headers, "content-type": "application/json"},
        )
        assert r.status_code == 400
    server.stop()
    log = server.log.read_text()
    assert len(re.findall(r'"(GET|POST) /', log)) >= 20, "the access log is missing: " + log[-500:]
    geheim = [
        *HULPVRAAG["ondernemer"].values(),
        "bakoven",
        "Zonnebloem",
        "Kerkstraat",
        "Vleugel",
        "Dokkum",
        "127.0.0.1:",  # the client's address (the server's own is in its start-up line)
        *codes,
    ]
    gevonden = {g for g in geheim if g in log and not (g == "127.0.0.1:" and _alleen_opstart(log))}
    assert not gevonden, f"personal data in the log: {sorted(gevonden)}"


def _alleen_opstart(log: str) -> bool:
    """True when 127.0.0.1: occurs only in uvicorn's 'running on' line."""
    return all("Uvicorn running on" in regel for regel in log.splitlines() if "127.0.0.1:" in regel)
