"""The OpenAPI document passes the official NL API Design Rules linter (Spectral)."""

import json
import re
import subprocess
from pathlib import Path

from stelsel.openapi import document

REPO = Path(__file__).resolve().parent.parent
LOCAL_RULESET = REPO / "tests" / "data" / "nl-api-design-rules" / "linter.yaml"
SPECTRAL = REPO / "node_modules" / ".bin" / "spectral"


def test_openapi_is_served_and_versioned(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert r.headers["API-Version"] == "1.0.0"
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][-1]["url"].endswith("/api/v1")
    assert "/diensten" in doc["paths"]


def test_spectral_nl_api_design_rules_no_errors(tmp_path):
    assert SPECTRAL.exists(), "run `npm ci` (make test does) to install Spectral"
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document()))
    result = subprocess.run(
        [str(SPECTRAL), "lint", "--fail-severity", "error", "-r", str(LOCAL_RULESET), str(spec)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 errors" in result.stdout or "No results" in result.stdout


def test_operations_behind_a_login_declare_the_bearer_token():
    doc = document()
    assert doc["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    beveiligd = {
        (path, method)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if op.get("security") == [{"bearerToken": []}]
    }
    assert ("post", "/hulpvragen") in {(m, p) for p, m in beveiligd}
    assert ("/audit", "get") in beveiligd and ("/doorverwijzingen/{id}", "patch") in beveiligd
    assert not {p for p, _ in beveiligd} & {"/diensten", "/aanbieders", "/wegwijzer"}
    assert all("401" in doc["paths"][p][m]["responses"] for p, m in beveiligd)


def test_api_docs_work_offline(client):
    """The docs page loads Swagger UI from this server, never from a CDN."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "https://" not in page.text
    for asset in re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset
    assert "swagger-ui-bundle.js" in page.text
