"""The OpenAPI 3 document, post-processed for the NL API Design Rules."""

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from stelsel import __version__
from stelsel.config import get_settings
from stelsel.web.problems import API_VERSION, PROBLEM_JSON, InvalidParam, Problem

_VERSION_HEADER = {
    "API-Version": {
        "description": "De volledige versie van de API.",
        "schema": {"type": "string", "example": API_VERSION},
    }
}


def _problem_schema_ref() -> dict:
    return {"$ref": "#/components/schemas/Problem"}


def build_openapi(app: FastAPI, beveiligd: frozenset[tuple[str, str]] = frozenset()) -> dict:
    """OpenAPI 3 document, post-processed to satisfy the NL API Design Rules linter. The
    operations in `beveiligd` ((path, method) pairs) are marked as needing a bearer token."""
    if app.openapi_schema:
        return app.openapi_schema
    settings = get_settings()
    doc = get_openapi(
        title="stelsel API",
        version=API_VERSION,
        description=(
            "Open API van het stelsel van mkb-dienstverlening: het dienstenregister, de "
            "wegwijzer en warme doorverwijzing. Volgt de NL API Design Rules."
        ),
        routes=app.routes,
    )
    doc["info"]["contact"] = {
        "name": "stelsel",
        "email": "stelsel@example.org",
        "url": settings.base_url,
    }
    doc["info"]["license"] = {
        "name": "EUPL-1.2",
        "url": "https://eupl.eu/1.2/nl/",
    }
    doc["info"]["x-stelsel-versie"] = __version__
    doc["servers"] = [{"url": settings.base_url.rstrip("/") + "/api/v1"}]
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["InvalidParam"] = InvalidParam.model_json_schema()
    schemas["Problem"].pop("$defs", None)
    schemas["Problem"]["properties"]["invalid_params"] = {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/components/schemas/InvalidParam"}},
            {"type": "null"},
        ]
    }
    doc["components"]["securitySchemes"] = {
        "bearerToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "Token van `stelsel gebruiker maak --toon-token`.",
        }
    }
    for path, path_item in doc.get("paths", {}).items():
        for method, op in path_item.items():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            if (path, method) in beveiligd:
                op["security"] = [{"bearerToken": []}]
                responses.setdefault("401", {"description": "Niet ingelogd"})
            has_params = bool(op.get("parameters")) or "requestBody" in op
            if method in ("post", "put", "patch") or has_params:
                responses.setdefault("400", {"description": "Ongeldige invoer"})
            for code, resp in responses.items():
                if code.startswith(("2", "3")):
                    resp["headers"] = {**resp.get("headers", {}), **_VERSION_HEADER}
                elif code.startswith(("4", "5")):
                    resp["content"] = {PROBLEM_JSON: {"schema": _problem_schema_ref()}}
    app.openapi_schema = doc
    return doc
