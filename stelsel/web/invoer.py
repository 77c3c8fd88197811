"""Input every API route refuses at the edge, naming the parameter: text the database cannot hold
(a NUL character), and a query parameter the route does not know."""

from typing import Any

from fastapi import Request, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from stelsel.web.problems import ProblemError, bad_request

NUL_REDEN = "mag geen NUL-teken (U+0000) bevatten"


def _nul_in(value: Any, name: str) -> str | None:
    """The name of the first string in a JSON value that contains U+0000 (dotted, like
    invalid_params of a validation error: `ondernemer.naam`, `themas.0`)."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        found = _nul_in(item, f"{name}.{key}")
        if found is not None:
            return found
    return None


def _gelezen(dependant: Dependant) -> tuple[set[str], list[Any]]:
    """The path/query parameter names and the body fields a route (with its dependencies)
    declares: what it reads. Anything else in a request is ignored, so it may hold anything."""
    names = {f.alias for f in [*dependant.path_params, *dependant.query_params]}
    body = list(dependant.body_params)
    for sub in dependant.dependencies:
        sub_names, sub_body = _gelezen(sub)
        names |= sub_names
        body += sub_body
    return names, body


def _body_velden(body: list[Any]) -> set[str]:
    """The top-level keys of a JSON body: a lone model's fields, else one per body parameter."""
    if len(body) == 1 and not getattr(body[0].field_info, "embed", False):
        model = body[0].field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            return {f.alias or n for n, f in model.model_fields.items()}
    return {f.alias for f in body}


# What a route reads, worked out once and kept on the route instead of on every request.
_GELEZEN = "_stelsel_gelezen"


async def parameter_met_nul(request: Request) -> str | None:
    """The first parameter or body field the route reads whose text contains a NUL character
    (U+0000), or None. PostgreSQL can neither store nor compare such text, so it is refused at
    the edge instead of failing deep inside a query. Parameters the route does not read are
    ignored, as any unknown parameter is."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    gelezen = getattr(route, _GELEZEN, None)
    if gelezen is None:
        gelezen = _gelezen(route.dependant)
        setattr(route, _GELEZEN, gelezen)
    names, body = set(gelezen[0]), gelezen[1]
    items: list[tuple[str, Any]] = [
        *request.path_params.items(),
        *request.query_params.multi_items(),
    ]
    # FastAPI parsed (and Starlette cached) the body already, before solving the dependencies.
    if body and isinstance(body[0].field_info, params.Form):
        items += (await request.form()).multi_items()
        names |= {f.alias for f in body}
    elif body and "json" in request.headers.get("content-type", ""):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if isinstance(data, dict):  # else not the object the route expects: a 400 follows
            items += data.items()
            names |= _body_velden(body)
    for name, value in items:
        found = _nul_in(value, name) if name in names else None
        if found is not None:
            return found
    return None


async def weiger_nul_tekens(request: Request) -> None:
    """Dependency of every API route: a 400 naming the parameter that holds a NUL character."""
    name = await parameter_met_nul(request)
    if name is not None:
        raise bad_request(name, NUL_REDEN)


def _query_namen(dependant: Dependant) -> set[str]:
    namen = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        namen |= _query_namen(sub)
    return namen


_BEKEND = "_stelsel_bekende_parameters"


def alleen_bekende_parameters(request: Request) -> None:
    """Dependency of an API router: a query parameter the route does not know is a 400 naming
    it, not silently ignored (`?provincie=` was, before the filter existed). Works for any
    route: it reads the route's own parameters (and those of its dependencies, such as
    pagina/perPagina)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    bekend: frozenset[str] | None = getattr(route, _BEKEND, None)
    if bekend is None:
        namen = _query_namen(route.dependant)
        if "perPagina" in namen:
            namen.add("per_pagina")  # the documented alias (web/paginering.py)
        bekend = frozenset(namen)
        setattr(route, _BEKEND, bekend)
    # (an empty name, as in `?=x`, names no parameter: there is nothing to refuse)
    onbekend = sorted(n for n in set(request.query_params) - bekend if n)
    if onbekend:
        reden = "onbekende parameter; deze vraag kent " + (", ".join(sorted(bekend)) or "geen")
        raise ProblemError(
            400,
            "Ongeldige invoer",
            "; ".join(f"{n}: {reden}" for n in onbekend),
            [(n, reden) for n in onbekend],
        )
