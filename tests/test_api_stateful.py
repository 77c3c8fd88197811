"""The stateful phase of the API fuzz: schemathesis chains operations (a hulpvraag created,
then referred, read, moved on, its inzage asked...) using the ids the answers hand back, as a
KVK adviser with a bearer token. Every answer of every step must be no 5xx and match the
document (status code, content type, headers, schema) and the NL API Design Rules.

Same set-up as tests/test_api_fuzz.py: one app per backend, in a transaction rolled back at the
end; derandomized, so a failure reproduces.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from stelsel.app import create_app
from stelsel.db import session_factory
from tests import factories
from tests.test_api_fuzz import assert_nl_api_rules, parameter_names

# Scenarios of up to 6 chained calls each, per backend.
STAPPENREEKSEN = 25

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def ingelogd(register_engine: Engine) -> Iterator[tuple[Any, str]]:
    """The app with a KVK adviser (token) and a Qredits adviser, rolled back at the end."""
    conn = register_engine.connect()
    outer = conn.begin()
    with session_factory(conn)() as s:
        _, token = factories.met_token(s, "adviseur", aanbieder="kvk")
        factories.gebruiker(s, "adviseur", aanbieder="qredits")
        s.commit()
    yield create_app(conn), token
    outer.rollback()
    conn.close()


def test_chained_operations_keep_their_contract(ingelogd):
    app, token = ingelogd
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    raw = schema.raw_schema
    base = schema.as_state_machine()

    class Adviseur(base):  # type: ignore[valid-type, misc]
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            try:
                case.validate_response(response, checks=CHECKS)
                names = parameter_names(raw, case.method, case.path)
                assert_nl_api_rules(response, names)
            except AssertionError as e:
                raise AssertionError(
                    f"{e}\n{case.as_curl_command()}\n-> {response.text[:500]}"
                ) from e

    Adviseur.run(
        settings=settings(
            max_examples=STAPPENREEKSEN,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
