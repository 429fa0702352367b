"""Putright's REST API, version 1, at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation

from putright.api import (
    access_log,
    action_plan,
    complaints,
    contacts,
    errors,
    governance,
    letters,
    measures,
    needs,
    ombudsman,
    places,
    privacy,
    restrictions,
    retention,
    service_areas,
    service_requests,
    triage,
    workdays,
)
from putright.api.auth import staff_token
from putright.api.docs import OfflineSwagger
from putright.api.idempotency import HEADER, KEY_PATTERN, WRITES, idempotent


class PutrightAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # The idempotency wrapper reads the header itself, so ninja cannot see it: say so here.
        for operations in schema["paths"].values():
            for method in [m for m in WRITES if m in operations]:
                operations[method].setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": HEADER,
                        "required": False,
                        "description": "Retries with the same key get the first successful answer and change "
                        "nothing. A key is yours alone; reusing one for a different request is refused (422).",
                        "schema": {"type": "string", "pattern": KEY_PATTERN, "maxLength": 255},
                    }
                )
        return schema


api = PutrightAPI(
    title="Putright API",
    version="1",
    description="Complaint handling to the Housing Ombudsman's Complaint Handling Code. Every request acts as "
    "the member of staff whose token it carries, at their landlord and in their role.",
    auth=staff_token,
    urls_namespace="api",
    docs=OfflineSwagger(),
)
errors.install(api)
api.add_decorator(idempotent, mode="view")
api.add_router("", places.router)
api.add_router("", complaints.router)
api.add_router("", contacts.router)
api.add_router("", letters.router)
api.add_router("", restrictions.router)
api.add_router("", service_requests.router)
api.add_router("", triage.router)
api.add_router("", service_areas.router)
api.add_router("", workdays.router)
api.add_router("", measures.router)
api.add_router("", needs.router)
api.add_router("", ombudsman.router)
api.add_router("", governance.router)
api.add_router("", action_plan.router)
api.add_router("", privacy.router)
api.add_router("", retention.router)
api.add_router("", access_log.router)
api.add_router("", "putright.api.contributions.router")
