"""The HSDS 3.0 read API (Open Referral): /hsds/services, /hsds/organizations and their {id},
/hsds/taxonomy_terms, with paging and `modified_after`.

The same objects as `stelsel export hsds` (hsds.py), from the published register only (the live
tables hold nothing else; archived entries are left out). Served beside /api/v1, not in it: the
Open Referral API specification fixes the paths, parameters and page shape (total_items,
total_pages, page_number, size, first_page, last_page, empty, contents), so the NL API Design
Rules of /api/v1 (Dutch names, the API-Version header, pagina/perPagina) do not apply here; the
HSDS version is what `/hsds/` answers. Errors are problem+json as in /api/v1, and an unknown
query parameter is a 400 naming it.
"""

import math
import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from starlette.exceptions import HTTPException as StarletteHTTPException

from stelsel.geo import service as geo
from stelsel.register import hsds, service
from stelsel.register.models import Aanbieder, Dienst
from stelsel.web.deps import get_session
from stelsel.web.invoer import alleen_bekende_parameters
from stelsel.web.problems import (
    ProblemError,
    bad_request,
    http_problem,
    not_found,
    problem_response,
)

MAX_PER_PAGE = 1000


class _HsdsRoute(APIRoute):
    """Every error of a route as problem+json (the pages' app around it answers HTML)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request):
            try:
                return await handler(request)
            except ProblemError as e:
                return problem_response(request, e)
            except RequestValidationError as e:
                velden = [(str(f["loc"][-1]), f["msg"]) for f in e.errors()]
                detail = "; ".join(f"{n}: {r}" for n, r in velden)
                return problem_response(
                    request, ProblemError(400, "Ongeldige invoer", detail, velden)
                )
            except StarletteHTTPException as e:
                return http_problem(request, e)

        return route


router = APIRouter(
    prefix="/hsds",
    tags=["hsds"],
    route_class=_HsdsRoute,
    dependencies=[Depends(alleen_bekende_parameters)],
)


def _paging(
    page: int = Query(1, description="Page number of paginated result."),
    per_page: int = Query(50, description="Number of results requested in a single page."),
) -> tuple[int, int]:
    if page < 1:
        raise bad_request("page", "moet 1 of hoger zijn")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise bad_request("per_page", f"moet tussen 1 en {MAX_PER_PAGE} liggen")
    return page, per_page


def _page(contents: list[dict], total: int, page: int, per_page: int) -> JSONResponse:
    """A page as the HSDS API specification's Page schema."""
    total_pages = math.ceil(total / per_page)
    return JSONResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _modified_after(value: str | None) -> str | None:
    """The parameter in the form of the services' last_modified (UTC, milliseconds, Z), so the
    two compare as text; a date alone is its midnight UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise bad_request(
            "modified_after", "moet een datum-tijd zijn als 2026-11-23T10:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@router.get("", include_in_schema=False)
@router.get("/")
def hsds_root() -> dict:
    """The HSDS version of this API and its OpenAPI document."""
    return hsds.META


@router.get("/services")
def list_services(
    modified_after: str | None = Query(
        None, description="Return all results modified on or after this datetime."
    ),
    organization_id: str | None = Query(
        None, description="Only the services of this organization."
    ),
    paging: tuple[int, int] = Depends(_paging),
    session: Session = Depends(get_session),
):
    page, per_page = paging
    na = _modified_after(modified_after)
    gewijzigd = service.last_modified(session=session)
    stmt = select(Dienst.slug).where(Dienst.gearchiveerd.is_(False)).order_by(Dienst.slug)
    if organization_id is not None:
        stmt = stmt.where(Dienst.aanbieder_id == _uuid(organization_id))
    slugs = [s for s in session.scalars(stmt) if na is None or gewijzigd[s] >= na]
    deel = slugs[(page - 1) * per_page : page * per_page]
    diensten = session.scalars(
        select(Dienst)
        .where(Dienst.slug.in_(deel))
        .options(selectinload(Dienst.kenmerken), selectinload(Dienst.werkgebied))
        .order_by(Dienst.slug)
    ).all()
    namen = geo.area_names(session=session) if diensten else {}
    contents = [
        hsds.service(service.dienst_record(d), namen, gewijzigd.get(d.slug)) for d in diensten
    ]
    return _page(contents, len(slugs), page, per_page)


@router.get("/services/{id}")
def get_service(id: str, session: Session = Depends(get_session)):
    sleutel = _uuid(id)
    d = (
        session.scalar(select(Dienst).where(Dienst.id == sleutel, Dienst.gearchiveerd.is_(False)))
        if sleutel
        else None
    )
    if d is None:
        raise not_found(f"service {id}")
    gewijzigd = service.last_modified(session=session).get(d.slug)
    return hsds.service(service.dienst_record(d), geo.area_names(session=session), gewijzigd)


@router.get("/organizations")
def list_organizations(
    paging: tuple[int, int] = Depends(_paging),
    session: Session = Depends(get_session),
):
    page, per_page = paging
    waar = Aanbieder.gearchiveerd.is_(False)
    total = session.scalar(select(func.count()).select_from(Aanbieder).where(waar)) or 0
    aanbieders = session.scalars(
        select(Aanbieder)
        .where(waar)
        .order_by(Aanbieder.slug)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    contents = [hsds.organization(service.aanbieder_record(a)) for a in aanbieders]
    return _page(contents, total, page, per_page)


@router.get("/organizations/{id}")
def get_organization(id: str, session: Session = Depends(get_session)):
    sleutel = _uuid(id)
    a = (
        session.scalar(
            select(Aanbieder).where(Aanbieder.id == sleutel, Aanbieder.gearchiveerd.is_(False))
        )
        if sleutel
        else None
    )
    if a is None:
        raise not_found(f"organization {id}")
    return hsds.organization(service.aanbieder_record(a))


@router.get("/taxonomy_terms")
def list_taxonomy_terms(
    taxonomy_id: str | None = Query(None, description="Only the terms of this taxonomy."),
    paging: tuple[int, int] = Depends(_paging),
    session: Session = Depends(get_session),
):
    page, per_page = paging
    upl = session.scalars(
        select(Dienst.upl_uri)
        .where(Dienst.gearchiveerd.is_(False), Dienst.upl_uri != "")
        .distinct()
    )
    _, terms = hsds.taxonomies(upl)
    if taxonomy_id is not None:
        terms = [t for t in terms if t["taxonomy_id"] == taxonomy_id]
    return _page(terms[(page - 1) * per_page : page * per_page], len(terms), page, per_page)
