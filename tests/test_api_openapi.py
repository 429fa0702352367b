"""The OpenAPI document at /api/v1/openapi.json: valid, and changed only on purpose.

When the API changes on purpose, rewrite the snapshot and review its diff:
    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_api_openapi.py
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from django.test import SimpleTestCase

from tests.conftest import REPOSITORY

SNAPSHOT = REPOSITORY / "tests" / "snapshots" / "openapi.json"


class OpenApiDocumentTests(SimpleTestCase):
    def document(self) -> Any:
        response = self.client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        return response.json()

    def test_the_document_matches_the_snapshot(self) -> None:
        document = self.document()
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
            SNAPSHOT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        assert SNAPSHOT.exists(), f"{SNAPSHOT} is missing: run with UPDATE_SNAPSHOTS=1 to write it"
        snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        assert document == snapshot, (
            "The OpenAPI document has changed. If that was intended, run "
            "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_api_openapi.py and review the snapshot's diff."
        )

    def test_the_document_is_valid_openapi_with_every_operation_readable(self) -> None:
        document = self.document()
        schema = schemathesis.openapi.from_dict(document)
        schema.validate()  # against the OpenAPI 3.1 meta-schema
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        # Every operation in the document is read: as many as the document's paths list, and at least the
        # lifecycle, people and Ombudsman operations.
        listed = sum(len(operations) for operations in document["paths"].values())
        assert len(operations) == listed and listed >= 60
        posts = [operation for operation in operations if operation.method == "post"]
        assert all("Idempotency-Key" in json.dumps(operation.definition.raw) for operation in posts)

    def test_every_operation_needs_a_token_and_the_docs_are_served(self) -> None:
        document = self.document()
        assert document["components"]["securitySchemes"] == {"StaffToken": {"type": "http", "scheme": "bearer"}}
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                assert operation["security"] == [{"StaffToken": []}], (method, path)
        assert self.client.get("/api/v1/docs").status_code == 200

    def test_no_two_schemas_share_a_name(self) -> None:
        """The document keys each schema by its class name, so two classes of one name would silently become
        one: the restrictions' and the needs' "EndIn" once did, and the action plan's "ActionUpdateOut" hid the
        outstanding actions' (schemathesis then found answers that broke the schema)."""
        from ninja import Schema

        import putright.api.main  # noqa: F401 - every router and its schemas

        def every(cls: type) -> list[type]:
            return [cls, *(sub for direct in cls.__subclasses__() for sub in every(direct))]

        ours = [cls for cls in every(Schema) if cls.__module__.startswith("putright.api")]
        names: dict[str, list[str]] = {}
        for cls in ours:
            names.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
        shared = {name: places for name, places in names.items() if len(places) > 1}
        assert not shared, shared
