"""The published OpenAPI is what the server answers: a bounded schemathesis run over every operation of the real
app, in process, against the real database and Redis, as an admin with a real API token.

Each operation gets a few generated requests (``CONTRACT_EXAMPLES``, derandomized); schemathesis checks every
answer: no server error, a declared status, a declared content type, a body and headers that match the declared
schema, and ``Allow`` on a 405 for a method the path does not take.
"""

from __future__ import annotations

import itertools
import os
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from core.db import transaction
from core.identity import User
from ledgerdesk.admin import create_token
from ledgerdesk.app import create_app
from tests.helpers import upload_invoice

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "6"))

EXCLUDED_CHECKS = [negative_data_rejection, positive_data_acceptance]
"""Not contract checks, and wrong for this API: a cursor is any string by schema but only the ones the API gave
out are valid (422 otherwise), an upload's bytes decide between 201 and 415, and the negative cases schemathesis
makes of ``Authorization`` become valid once the real token replaces them."""

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@pytest.fixture
def admin_token(make_user) -> str:
    admin = make_user("admin")
    with transaction() as session:
        return create_token(session, user=session.get(User, admin.id), name="contract")


class KnownIds:
    """Path parameters that exist. Every other case has each valid one it carries replaced by the known value of
    its name (a valid id stays valid, so the case still means what schemathesis made it for): 200 answers are
    checked as well as 404s."""

    def __init__(self, values: dict[str, str | int]):
        self.values = values
        self._cases = itertools.count()

    def use_in(self, case) -> None:
        if next(self._cases) % 2:
            return
        for name, value in (case.path_parameters or {}).items():
            if name in self.values and _kind(value) == _kind(self.values[name]):
                case.path_parameters[name] = self.values[name]


def _kind(value: object) -> str:
    """``uuid``, ``int`` or ``other``: what a generated path parameter is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    try:
        uuid.UUID(str(value))
    except ValueError:
        return "other"
    return "uuid"


@pytest.fixture
def known_ids(client_for, make_user, run_jobs) -> KnownIds:
    """A processed invoice waiting for review, its first page image and its draft voucher."""
    clerk = client_for(make_user("clerk"))
    document_id = upload_invoice(clerk)["id"]
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{document_id}").json()
    return KnownIds({"document_id": document_id, "voucher_id": document["voucher_id"], "number": 1})


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_answers_as_published(case, admin_token, known_ids):
    known_ids.use_in(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, excluded_checks=EXCLUDED_CHECKS)


def test_every_error_the_api_publishes_is_an_error_body(app):
    published = app.openapi()
    assert not {"HTTPValidationError", "ValidationError"} & set(published["components"]["schemas"])
    for path, operations in published["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400 and path != "/readyz":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
                if status == "503":
                    assert response["headers"]["Retry-After"]["required"], (method, path)
