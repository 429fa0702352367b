"""Shared by the workspace tests (no tests here): the cast signed in, and forms filled like a person would."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from putright.complaints.models import Complaint


class StaffClient(Client):
    """A member of staff's browser. A step that issues a letter answers its form with a redirect
    to a confirmation page showing the letter; this client goes on as a person pressing Send
    would: it opens the confirmation page (which must show the letter) and sends it. Tests of the
    confirmation itself use `signed_in(user, confirm=False)`."""

    confirm = True

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        follow = kwargs.pop("follow", False)
        response = super().post(path, data, *args, **kwargs)
        location = response.get("Location", "") if response.status_code == 302 else ""
        if self.confirm and "?confirm=" in location:
            preview = self.get(location)
            assert preview.status_code == 200, preview.status_code
            assert "Check the letter" in preview.content.decode(), "the confirmation page shows no letter"
            response = super().post(location.split("?")[0], {"send": location.split("?confirm=")[1]})
        if follow:
            response = self._handle_redirects(response, data=data)
        return response


def signed_in(user: User, *, confirm: bool = True) -> StaffClient:
    client = StaffClient()
    client.confirm = confirm
    client.force_login(user)
    return client


def date_fields(name: str, day: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def page(response: Any) -> str:
    return response.content.decode()


def complaint_url(complaint: Complaint, step: str = "") -> str:
    return f"/staff/complaints/{complaint.reference}/" + (f"{step}/" if step else "")


def log_form(received: date, **changes: str) -> dict[str, str]:
    data = {
        "resident_name": "Rosa Resident",
        "resident_email": "rosa@example.org",
        "resident_phone": "07700 900123",
        "resident_address": "",
        "tenancy_reference": "T-1001",
        "preferred_contact": "phone",
        "tenure": "lcra",
        "channel": "phone",
        **date_fields("received_on", received),
        "service_area": "repairs",
        "description": "The boiler has not worked for three weeks.",
        "outcome_sought": "Fix it",
        "issue_received_on": "",
        "rep_name": "",
        "rep_relationship": "",
        "rep_authority": "",
        "rep_email": "",
        "rep_phone": "",
        "discretion_note": "",
        "outcome": "accept",
        "step": "check",
    }
    data.update(changes)
    return data


def acknowledge_form(complaint: Complaint, on: date, **changes: str) -> dict[str, str]:
    data = {
        "expected_version": str(complaint.version),
        **date_fields("on", on),
        "understanding": "The boiler has been broken for three weeks and an appointment was missed.",
        "outcomes_sought": "A working boiler",
        "points": "The repair has taken too long\nThe appointment was missed",
        "responsible_for": "Repairs",
        "not_responsible_for": "",
        "conflict_of_interest": "no",
    }
    data.update(changes)
    return data


def respond_form(complaint: Complaint, on: date, **changes: str) -> dict[str, str]:
    data = {
        "expected_version": str(complaint.version),
        **date_fields("on", on),
        "decision_1": "upheld",
        "reasons_1": "The repair took 21 days against our 7-day target.",
        "decision_2": "not-upheld",
        "reasons_2": "The contractor's log shows the resident rearranged it.",
        "remedy_rows": "1",
        "action_rows": "1",
        "remedy_0_kind": "apology",
        "remedy_0_description": "We apologise for the delay.",
        "summary": "",
    }
    data.update(changes)
    return data
