"""What every API route shares (stelsel.api): problem+json errors, the API-Version header."""

from fastapi import APIRouter
from fastapi.testclient import TestClient

from stelsel.web.api import create_api
from stelsel.web.paginering import MAX_OFFSET, Paginering
from stelsel.web.problems import API_VERSION, PROBLEM_JSON


def test_unexpected_error_is_a_problem_with_the_api_version():
    router = APIRouter()

    @router.get("/stuk")
    def stuk():
        raise RuntimeError("jan.devries@example.nl")

    r = TestClient(create_api([router]), raise_server_exceptions=False).get("/stuk")
    assert r.status_code == 500 and r.headers["content-type"] == PROBLEM_JSON
    # The 500 leaves the app past the middleware that sets the header: it used to be missing.
    assert r.headers["API-Version"] == API_VERSION
    assert r.json()["status"] == 500 and "jan.devries" not in r.text


def test_offset_of_a_page_far_past_the_end_fits_the_database():
    assert Paginering(pagina=3, per_pagina=20).offset == 40
    assert Paginering(pagina=10**30, per_pagina=1000).offset == MAX_OFFSET
