"""Print the API's OpenAPI document: `python -m stelsel.openapi > docs/openapi.json`."""

import json
import sys
from typing import Any

from fastapi import FastAPI
from sqlalchemy import create_engine
from starlette.routing import Mount


def document() -> dict[str, Any]:
    """The OpenAPI document of the whole API, without touching a real database."""
    from stelsel.app import create_app

    app = create_app(create_engine("sqlite://"))
    for route in app.routes:
        if isinstance(route, Mount) and route.path == "/api/v1" and isinstance(route.app, FastAPI):
            return route.app.openapi()
    raise LookupError("no FastAPI app mounted at /api/v1")


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
