"""Property-based fuzzing of the API against its own OpenAPI document (schemathesis).

Schemathesis turns the document the app serves into Hypothesis strategies: requests that are
valid by the document (positive) and, where the document constrains something, invalid ones
(negative). Every answer of a public operation (the register, the geography, the wegwijzer) must

- never be a 5xx, and always carry the API-Version header;
- use a documented status code and content type, and match the documented schema;
- for a 4xx be problem+json whose `status` is the HTTP status; a 400 names in invalid_params a
  parameter (or body field) the operation has;
- for invalid input (negative) be a 4xx.

The operations behind a login only get anonymous, valid requests: each must answer 401.

Runs on SQLite and PostgreSQL: one app per backend for this module, inside a transaction that
is rolled back at the end, so nothing leaks into other tests. No test here depends on another:
the only writes are the wegwijzer's demand signals, which nothing here reads (anonymous calls are
refused before they write anything). The generation is derandomized and uses no example
database: every run sends the same requests, whatever the order or selection of the tests, so a
failure in CI reproduces locally (the message carries the request as a curl command).
"""

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from stelsel.app import create_app
from stelsel.openapi import document
from stelsel.web.problems import API_VERSION, PROBLEM_JSON

POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# At least 300 examples per operation (issue 9); STELSEL_FUZZ_VOORBEELDEN=20 for a quick local run.
MAX_EXAMPLES = int(os.environ.get("STELSEL_FUZZ_VOORBEELDEN", "300"))
MAX_EXAMPLES_ANONIEM = max(15, MAX_EXAMPLES // 4)

# Public operations and how to fuzz them. Negative cases need something the document
# constrains: a lone string path parameter, or no parameters at all, cannot be made invalid.
PUBLIC = {
    ("GET", "/aanbieders"): (POSITIVE, NEGATIVE),
    ("GET", "/aanbieders/{id}"): (POSITIVE,),
    ("GET", "/diensten"): (POSITIVE, NEGATIVE),
    ("GET", "/diensten/{id}"): (POSITIVE,),
    ("GET", "/gemeenten"): (POSITIVE, NEGATIVE),
    ("GET", "/gemeenten/{code}"): (POSITIVE,),
    ("GET", "/themas"): (POSITIVE,),
    ("GET", "/verouderde-diensten"): (POSITIVE, NEGATIVE),
    ("GET", "/actualiteit"): (POSITIVE, NEGATIVE),
    ("POST", "/wegwijzer"): (POSITIVE, NEGATIVE),
    ("GET", "/gezondheid"): (POSITIVE,),
    ("GET", "/provincies"): (POSITIVE,),
    ("GET", "/provincies/{code}"): (POSITIVE,),
    ("GET", "/arbeidsmarktregios"): (POSITIVE,),
    ("GET", "/arbeidsmarktregios/{code}"): (POSITIVE,),
    ("GET", "/corop-gebieden"): (POSITIVE,),
    ("GET", "/corop-gebieden/{code}"): (POSITIVE,),
}
# Every other operation of the document needs a login (so a new one is covered automatically).
OPERATIONS = [
    (method.upper(), path) for path, item in document()["paths"].items() for method in item
]
PROTECTED = [op for op in OPERATIONS if op not in PUBLIC]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CHECKS_NEGATIVE = [*CHECKS, negative_data_rejection]

FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # Timing-based, so it would make the run depend on the machine.
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ_ANONIEM = settings(FUZZ, max_examples=MAX_EXAMPLES_ANONIEM)


@pytest.fixture(scope="module")
def api_app(register_engine: Engine) -> Iterator[Any]:
    """The whole app on the backend's register, in a transaction rolled back at the end."""
    conn = register_engine.connect()
    outer = conn.begin()
    yield create_app(conn)
    outer.rollback()
    conn.close()


@pytest.fixture(scope="module")
def api_schema(api_app):
    """The OpenAPI document as the app serves it; cases are sent to that same app."""
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", api_app)


def parameter_names(doc: dict, method: str, path: str) -> set[str]:
    """What a 400 of this operation may name: its parameters, its body's fields, or `body`."""
    op = doc["paths"][path][method.lower()]
    names = {p["name"] for p in op.get("parameters", [])}
    if "perPagina" in names:
        names.add("per_pagina")  # the snake_case alias paginering() also reads
    for media in op.get("requestBody", {}).get("content", {}).values():
        schema = media["schema"]
        if "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        names |= set(schema.get("properties", {})) | {"body"}
    return names


def assert_nl_api_rules(response, names: set[str]) -> None:
    """The NL API Design Rules parts the document cannot express."""
    assert response.headers.get("api-version") == [API_VERSION], response.headers
    if not 400 <= response.status_code < 500:
        return
    assert response.headers.get("content-type") == [PROBLEM_JSON], response.headers
    problem = response.json()
    assert problem["status"] == response.status_code, problem
    assert problem["title"] and problem["detail"], problem
    if response.status_code == 400:
        assert problem["invalid_params"], problem
        for param in problem["invalid_params"]:
            assert param["reason"], problem
            # or a query parameter the request sent that the operation does not know (issue 12)
            gestuurd = set(parse_qs(urlsplit(response.request.url).query, keep_blank_values=True))
            assert param["name"].split(".")[0] in names or param["name"] in gestuurd, (
                param["name"],
                names,
            )


def check(case, response, checks: list, names: set[str]) -> None:
    """All checks on one answer; a failure shows the request as a curl command to replay."""
    try:
        case.validate_response(response, checks=checks)
        assert_nl_api_rules(response, names)
    except (AssertionError, KeyError) as e:
        raise AssertionError(f"{e}\n{case.as_curl_command()}\n-> {response.text[:500]}") from e


def _cases() -> list:
    return [
        pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
        for (method, path), modes in PUBLIC.items()
        for mode in modes
    ]


@pytest.mark.parametrize(("method", "path", "mode"), _cases())
def test_public_operation_keeps_its_contract(api_schema, method, path, mode):
    operation = api_schema[path][method]
    names = parameter_names(api_schema.raw_schema, method, path)
    checks = CHECKS_NEGATIVE if mode is NEGATIVE else CHECKS

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        check(case, case.call(), checks, names)

    fuzz()


@pytest.mark.parametrize(("method", "path"), [pytest.param(*o, id=" ".join(o)) for o in PROTECTED])
def test_protected_operation_answers_anonymous_callers_401(api_schema, method, path):
    operation = api_schema[path][method]
    names = parameter_names(api_schema.raw_schema, method, path)

    @FUZZ_ANONIEM
    @given(case=operation.as_strategy(generation_mode=POSITIVE))
    def fuzz(case):
        response = case.call()
        check(case, response, CHECKS, names)
        assert response.status_code == 401, f"{case.as_curl_command()}\n-> {response.text}"

    fuzz()


def test_public_operations_are_in_the_document():
    assert set(PUBLIC) <= set(OPERATIONS)
    assert PROTECTED, "the doorverwijzing operations need a login"
