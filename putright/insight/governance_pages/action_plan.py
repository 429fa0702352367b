"""/staff/insight/action-plan/: the self-assessment's action plan (8.1 a), each line's progress, and
the provisions an open notice of 8.5 covers. Complaints officers and managers change it; the auditor
and the Member Responsible for Complaints read it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.governance import access
from putright.governance import action_plan as plan
from putright.governance.actions import action_plan as actions
from putright.governance.models import ActionPlanItem, LineStatus
from putright.governance.notices import open_notices
from putright.landlords.models import StaffMember
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import DateField, Form, long_text, radios, select, submit, text

SECTION = "action-plan"


def context(staff: StaffMember, **extra: Any) -> dict[str, Any]:
    return {"section": SECTION, "landlord": staff.landlord, "can_edit": staff.role in access.EDITORS, **extra}


def _owners(staff: StaffMember) -> list[tuple[str, str]]:
    members = StaffMember.objects.filter(landlord=staff.landlord, user__is_active=True).select_related("user")
    people = sorted(
        ((str(m.user.pk), f"{m.user.get_full_name() or m.user.username} ({m.get_role_display()})") for m in members),
        key=lambda choice: choice[1],
    )
    return [("", "Nobody with an account: name the owner below"), *people]


class LineForm(Form):
    # Not required here: the action checks every field, so the page shows every error at once.
    provision = text(
        "Code provision", required=False, max_length=5, what="the Code provision", help_text="For example, 6.2"
    )
    action = long_text("What will be done", required=False, max_length=5_000, what="what will be done", rows=4)
    owner = select(
        "Owner",
        [],
        what="the owner",
        required=False,
        help_text="A member of staff with an account is reminded by email as the target date comes near",
    )
    owner_name = text(
        "Owner's name or role, as the plan shows it",
        required=False,
        help_text="For example, Head of Housing Services. Left empty, the owner's name is used.",
    )
    target_date = DateField(
        what="the target date", label="Target date", required=False, help_text="For example, 31 3 2026"
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]

    def owner_user(self) -> User | None:
        chosen = self.cleaned_data.get("owner")
        return User.objects.filter(pk=int(chosen)).first() if chosen else None

    def line(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "provision": data["provision"],
            "action": data["action"],
            "owner": self.owner_user(),
            "owner_name": data["owner_name"],
            "target_date": data["target_date"],
        }


class UpdateForm(Form):
    note = long_text(
        "What has been done",
        required=False,
        max_length=5_000,
        rows=4,
        help_text="To drop the action, say here why it is no longer needed",
    )
    status = radios("Status", LineStatus.choices, what="the status")
    done_on = DateField(
        what="the date the action was done", label="Date done", required=False, help_text="Needed when it is done"
    )


def _line_for(staff: StaffMember, pk: int) -> ActionPlanItem:
    return get_object_or_404(ActionPlanItem.objects.select_related("owner"), pk=pk, landlord=staff.landlord)


@require_GET
@staff_view
def index(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    open_lines, closed, notices = plan.plan_page(staff.landlord, clock.today())
    return render(
        request,
        "insight/action_plan/index.html",
        context(staff, open_lines=open_lines, closed=closed, notices=notices),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def new(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    form = LineForm(request.POST or None, owners=_owners(staff))
    return submit(
        request,
        form,
        lambda: actions.add_line(staff.landlord, request.user, **form.line()),
        template="insight/action_plan/edit.html",
        context=context(staff, item=None),
        done=lambda item: reverse("insight:action-plan-line", kwargs={"pk": item.pk}),
        message=lambda item: f"The action for provision {item.provision} is on the plan",
    )


@require_GET
@staff_view
def line(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    item = _line_for(staff, pk)
    updates = list(item.updates.select_related("by").order_by("-at", "-id"))
    notices = [n for n in open_notices(staff.landlord) if item.provision in n.provisions]
    overdue = item.is_open and item.target_date is not None and item.target_date < clock.today()
    return render(
        request,
        "insight/action_plan/line.html",
        context(staff, item=item, updates=updates, notices=notices, overdue=overdue),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def change(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    item = _line_for(staff, pk)
    initial = {
        "provision": item.provision,
        "action": item.action,
        "owner": str(item.owner_id or ""),
        "owner_name": item.owner_name,
        "target_date": item.target_date,
    }
    form = LineForm(request.POST or None, initial=initial, owners=_owners(staff))
    return submit(
        request,
        form,
        lambda: actions.change_line(item, request.user, **form.line()),
        template="insight/action_plan/edit.html",
        context=context(staff, item=item),
        done=lambda changed: reverse("insight:action-plan-line", kwargs={"pk": changed.pk}),
        message=lambda changed: "The action is changed",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def update(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    item = _line_for(staff, pk)
    form = UpdateForm(request.POST or None, initial={"status": item.status})
    return submit(
        request,
        form,
        lambda: actions.post_update(
            item,
            request.user,
            note=form.cleaned_data["note"],
            status=form.cleaned_data["status"],
            done_on=form.cleaned_data["done_on"],
        ),
        template="insight/action_plan/update.html",
        context=context(staff, item=item),
        done=lambda posted: reverse("insight:action-plan-line", kwargs={"pk": item.pk}),
        message=lambda posted: "The update is recorded",
    )


urlpatterns: list[URLPattern] = [
    path("action-plan/", index, name="action-plan"),
    path("action-plan/new/", new, name="action-plan-new"),
    path("action-plan/<int:pk>/", line, name="action-plan-line"),
    path("action-plan/<int:pk>/change/", change, name="action-plan-change"),
    path("action-plan/<int:pk>/update/", update, name="action-plan-update"),
]
