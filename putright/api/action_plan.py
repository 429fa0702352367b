"""Placeholder router, filled in by issue 17."""

from ninja import Router

router = Router(tags=["Governance"])
