"""A complaint marked confidential, or cleared: complaints officers and managers only.

The complaint is fetched through the access layer (another landlord's, or one about the reader, is a
404), then the reader's role is checked (a 403 naming who can) before the form is shown.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from putright.complaints import access, actions
from putright.complaints.models import Complaint
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace.forms.choices import staff_choices
from putright.workspace.forms.confidentiality import ConfidentialityForm
from putright.workspace.views.common import complaint_url


def _colleagues(landlord_id: int) -> dict[str, User]:
    users = User.objects.filter(staff__landlord_id=landlord_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return {str(user.pk): user for user in users}


@require_http_methods(["GET", "POST"])
@staff_view
def confidentiality(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    access.require_confidentiality_keeper(request.staff, complaint)
    people = _colleagues(complaint.landlord_id)
    form = ConfidentialityForm(
        request.POST or None,
        colleagues=staff_choices(list(people.values())),
        initial={
            "expected_version": complaint.version,
            "confidential": "yes" if complaint.is_confidential else "no",
            "about_staff": str(complaint.about_staff_id or ""),
            "reason": complaint.confidential_reason,
        },
    )

    def commit() -> Complaint:
        data = form.cleaned_data
        return actions.set_confidentiality(
            complaint,
            request.user,
            confidential=data["confidential"] == "yes",
            about_staff=people.get(data["about_staff"] or ""),
            reason=data["reason"],
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/confidentiality.html",
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "The complaint is confidential" if c.is_confidential else "The complaint is not confidential",
    )
