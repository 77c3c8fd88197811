"""Print the API's OpenAPI document: `python -m stelsel.openapi > docs/openapi.json`."""

import json
import sys

from sqlalchemy import create_engine


def document() -> dict:
    """The OpenAPI document of the whole API, without touching a real database."""
    from stelsel.web import create_app

    app = create_app(create_engine("sqlite://"))
    api = next(r.app for r in app.routes if getattr(r, "path", "") == "/api/v1")
    return api.openapi()


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
