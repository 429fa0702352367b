"""Every operation of the API, fuzzed from its OpenAPI document: bad input never makes a server error."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from putright.api import tokens
from putright.complaints import actions
from putright.complaints.models import OutstandingAction, Remedy
from putright.wsgi import application
from tests.cast import acknowledge, log, make_cast, respond

TODAY = date(2025, 3, 3)
# The references the data below makes, in order: fuzzed requests use one of them half the time, so
# they reach the actions' own checks as well as the 404 for a reference that does not exist.
REFERENCES = [f"ASH-2025-{n:05d}" for n in range(1, 6)]

with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(db: None, settings: Settings) -> Iterator[str]:
    """A complaints officer's token, with complaints at each stage made by the real actions."""
    settings.ALLOWED_HOSTS = ["localhost"]
    # As Django's test client does: a request must not close the connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with time_machine.travel(TODAY, tick=False):
            secret = _data()
        yield secret
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _data() -> str:
    cast = make_cast()
    log(cast, date(2025, 2, 3))  # received
    acknowledge(cast, log(cast, date(2025, 2, 3)), date(2025, 2, 5))  # stage 1 open
    responded = acknowledge(cast, log(cast, date(2025, 1, 6)), date(2025, 1, 8))
    respond(
        cast,
        responded,
        date(2025, 1, 20),
        actions=[actions.ActionInput("Replace the boiler", date(2025, 3, 31), cast.handler)],
    )
    escalated = acknowledge(cast, log(cast, date(2025, 1, 6)), date(2025, 1, 8))
    escalated = respond(cast, escalated, date(2025, 1, 20))
    actions.escalate(escalated, cast.officer, requested_on=date(2025, 2, 3))  # stage 2 open
    log(cast, date(2025, 2, 24))  # received, to be closed or withdrawn by the fuzzer if it can
    actions.log_service_request(
        cast.landlord,
        cast.handler,
        resident=actions.ResidentDetails(name="Sam Tenant"),
        service_area="repairs",
        description="The kitchen tap drips.",
        received_on=date(2025, 2, 10),
    )
    return tokens.issue(cast.officer)[1]


@schema.parametrize()
@schema.given(real=st.booleans(), index=st.integers(0, len(REFERENCES) - 1))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_input_makes_a_server_error(
    case: schemathesis.Case,  # type: ignore[type-arg]
    token: str,
    real: bool,
    index: int,
) -> None:
    if real and case.path_parameters:
        if "reference" in case.path_parameters:
            case.path_parameters["reference"] = REFERENCES[index]
        if "remedy_id" in case.path_parameters:
            case.path_parameters["remedy_id"] = Remedy.objects.order_by("id").values_list("id", flat=True)[0]
        if "action_id" in case.path_parameters:
            case.path_parameters["action_id"] = OutstandingAction.objects.values_list("id", flat=True)[0]
    with time_machine.travel(TODAY, tick=False):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        )
