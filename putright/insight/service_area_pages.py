"""/staff/insight/service-areas/: the landlord's names for Putright's standard service areas.

Every reader of insight sees the names; the complaints officer and managers change them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from putright.complaints.errors import InvalidInput
from putright.complaints.models import ServiceArea
from putright.insight import access
from putright.insight.service_areas import NAME_MAX, name_service_areas, names_of
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import Form, text


class ServiceAreaNamesForm(Form):
    """One optional name per standard area; an empty one keeps Putright's name."""

    label_size = "s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in ServiceArea.choices:
            self.fields[key] = text(
                label,
                required=False,
                max_length=NAME_MAX,
                what=f"your name for {label.lower()}",
                help_text=f"Leave empty to call it {label}",
            )
        self.setup_helper()


@require_http_methods(["GET", "POST"])
@staff_view
def service_areas(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    names = names_of(staff.landlord)
    editing = access.can_edit(staff)
    form = ServiceAreaNamesForm(request.POST or None, initial=names)
    if request.method == "POST":
        access.require_editor(request.user)
        if form.is_valid():
            try:
                name_service_areas(staff.landlord, request.user, form.cleaned_data)
            except InvalidInput as refusal:
                form.add_domain_errors(refusal.errors)
            else:
                messages.success(request, "Your names for the service areas are saved")
                return redirect("insight:service-areas")
    rows = [(label, names.get(key, "")) for key, label in ServiceArea.choices]
    return render(
        request,
        "insight/service_areas.html",
        {
            "section": "annual",
            "landlord": staff.landlord,
            "can_edit": editing,
            "form": form,
            "errors": form.error_links(),
            "rows": rows,
        },
    )


urlpatterns = [path("service-areas/", service_areas, name="service-areas")]
