"""Pagination of collections: pagina/perPagina and the resultaten/totaal/volgende envelope."""

from dataclasses import dataclass
from typing import Any

from fastapi import Query, Request

from stelsel.web.problems import bad_request

MAX_PER_PAGINA = 1000
# LIMIT/OFFSET are signed 64-bit integers in SQLite and PostgreSQL.
MAX_OFFSET = 2**63 - 1


@dataclass
class Paginering:
    pagina: int
    per_pagina: int

    @property
    def offset(self) -> int:
        # A page far past the end is simply empty, also when its offset would not fit the database.
        return min((self.pagina - 1) * self.per_pagina, MAX_OFFSET)


def paginering(
    request: Request,
    pagina: int = Query(1, json_schema_extra={"minimum": 1}),
    perPagina: int = Query(20, json_schema_extra={"minimum": 1, "maximum": MAX_PER_PAGINA}),  # noqa: N803
) -> Paginering:
    """Read pagina/perPagina (also accepts per_pagina) and check their bounds."""
    alias = request.query_params.get("per_pagina")
    name = "perPagina"
    if alias is not None:
        name = "per_pagina"
        try:
            perPagina = int(alias)  # noqa: N806
        except ValueError:
            raise bad_request(name, "moet een geheel getal zijn") from None
    if pagina < 1:
        raise bad_request("pagina", "moet 1 of hoger zijn")
    if not 1 <= perPagina <= MAX_PER_PAGINA:
        raise bad_request(name, f"moet tussen 1 en {MAX_PER_PAGINA} liggen")
    return Paginering(pagina=pagina, per_pagina=perPagina)


def page_envelope(request: Request, p: Paginering, items: list, total: int) -> dict[str, Any]:
    """The collection body: resultaten, totaal and a link to the next page (or null)."""
    volgende = None
    if p.offset + len(items) < total:
        url = request.url.remove_query_params("per_pagina")
        volgende = str(url.include_query_params(pagina=p.pagina + 1, perPagina=p.per_pagina))
    return {"resultaten": items, "totaal": total, "volgende": volgende}


# --- text the database cannot hold ------------------------------------------------------------
