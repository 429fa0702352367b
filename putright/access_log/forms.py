"""The access log's filters, read from the query string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User

from putright.access_log.models import AccessKind
from putright.web.forms import DateField, Form, select, text


class AccessFilterForm(Form):
    user = select("Who", [], what="a member of staff", required=False)
    kind = select("What", [("", "Anything"), *AccessKind.choices], what="what was opened", required=False)
    since = DateField(what="the first day", label="From", required=False, help_text="For example, 1 4 2026")
    until = DateField(what="the last day", label="To", required=False, help_text="For example, 30 4 2026")
    record = text(
        "Record",
        required=False,
        max_length=120,
        help_text="A complaint reference, like ASH-2026-00042, or a resident's number, like Resident 41",
    )

    def __init__(self, *args: Any, colleagues: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Anyone"), *((str(u.pk), u.get_full_name() or u.username) for u in colleagues)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be the same as or after the first day")
        return data
