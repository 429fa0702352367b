"""The admin site's configuration of landlords: policies, calendars, staff and homes.

It lives here rather than in `putright.landlords` because saving a calendar moves the deadlines of
open complaints (a complaints action): core sits above both, so landlords never imports complaints.
"""

import hashlib
import json
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from putright import clock
from putright.complaints import actions
from putright.complaints.models import ServiceArea
from putright.landlords import actions as landlord_actions
from putright.landlords.calendars import policy_version_in_force
from putright.landlords.models import (
    ClosureDay,
    HolidayChange,
    HomesCount,
    Landlord,
    ManagingAgent,
    PolicyVersion,
    ServiceAreaName,
    StaffMember,
)
from putright.rules import floor
from putright.rules.policy import (
    CODE_POLICY,
    Finding,
    Policy,
    PolicyError,
    check_against_code,
    falls_short,
    policy_from_data,
)


class PolicyChangeForm(forms.Form):
    """A new version of a landlord's policy: from which day, and its settings as JSON."""

    effective_from = forms.DateField(
        label="Takes effect from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Today or later. Complaints already received keep the version in force when they arrived.",
    )
    name = forms.CharField(max_length=300)
    settings = forms.JSONField(help_text="The policy's settings, in the shape of its TOML file.")
    confirm_falls_short = forms.BooleanField(
        required=False,
        label="I confirm this policy falls short of the Code and want to adopt it anyway",
        help_text="The Code's numbers still apply wherever the policy is weaker. Your name and the time are recorded.",
    )

    def clean_settings(self) -> Any:
        settings = self.cleaned_data["settings"]
        if not isinstance(settings, dict):
            raise forms.ValidationError("The settings must be a JSON object, as in examples/policies/.")
        try:
            policy_from_data(settings)
        except PolicyError as error:
            raise forms.ValidationError(str(error)) from None
        return settings

    def clean_effective_from(self) -> Any:
        effective_from = self.cleaned_data["effective_from"]
        today = clock.today()
        if effective_from < today:
            raise forms.ValidationError(
                f"The date the policy takes effect must be today ({today:%-d %B %Y}) or later: complaints "
                "already received keep the version that was in force when they arrived."
            )
        return effective_from

    def policy(self) -> Policy:
        return policy_from_data({**self.cleaned_data["settings"], "name": self.cleaned_data["name"]})


def findings_list(policy: Policy, findings: list[Finding]) -> str:
    """The findings as HTML for the admin, each with its kind and provision, then where the Code applies."""
    if not findings:
        return "Meets every timescale and rule of the Code that a policy can show."
    items = format_html_join(
        "",
        "<li><strong>{}</strong> ({}, {}): {}</li>",
        ((f.kind.value, f.provision, f.setting, f.message) for f in findings),
    )
    applied = format_html_join("", "<li>{}</li>", ((o.describe(policy.landlord),) for o in floor.overrides(policy)))
    if not applied:
        return format_html("<ul>{}</ul>", items)
    return format_html("<ul>{}</ul><p>Where Putright works to the Code instead:</p><ul>{}</ul>", items, applied)


def checked_signature(cleaned: dict[str, Any]) -> str:
    """What was checked, so a save can tell that the findings shown were for the policy being saved."""
    text = json.dumps([cleaned["effective_from"].isoformat(), cleaned["name"], cleaned["settings"]], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class PolicyVersionInline(admin.StackedInline[PolicyVersion, Landlord]):
    """Versions are read here, never edited: a change is a new version (issue 13), made on its own page."""

    model = PolicyVersion
    extra = 0
    fields = ["effective_from", "name", "settings", "findings", "falls_short_confirmation"]
    readonly_fields = ["effective_from", "name", "settings", "findings", "falls_short_confirmation"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Against the Code")
    def findings(self, version: PolicyVersion) -> str:
        return findings_list(version.policy(), check_against_code(version.policy()))

    @admin.display(description="Falls short, confirmed by")
    def falls_short_confirmation(self, version: PolicyVersion) -> str:
        if version.falls_short_confirmed_at is None:
            return "-"
        at = timezone.localtime(version.falls_short_confirmed_at)
        return f"{version.falls_short_confirmed_by_name} at {at:%-d %B %Y %H:%M}"


class ClosureDayInline(admin.TabularInline[ClosureDay, Landlord]):
    model = ClosureDay
    extra = 0


class HolidayChangeInline(admin.TabularInline[HolidayChange, Landlord]):
    model = HolidayChange
    extra = 0


class StaffMemberInline(admin.TabularInline[StaffMember, Landlord]):
    model = StaffMember
    extra = 0
    autocomplete_fields = ["user"]


class ServiceAreaNameForm(forms.ModelForm[ServiceAreaName]):
    area = forms.ChoiceField(
        label="Putright's service area",
        choices=ServiceArea.choices,
        error_messages={
            "required": "Select Putright's service area",
            "invalid_choice": "Select Putright's service area",
        },
    )
    name = forms.CharField(
        label="Your name for it", max_length=100, error_messages={"required": "Enter your name for the service area"}
    )

    class Meta:
        model = ServiceAreaName
        fields = ["area", "name"]


class ServiceAreaNameInline(admin.TabularInline[ServiceAreaName, Landlord]):
    """The landlord's own names for Putright's service areas, shown in its annual report (issue 17)."""

    model = ServiceAreaName
    form = ServiceAreaNameForm
    extra = 0


class HomesCountInline(admin.TabularInline[HomesCount, Landlord]):
    model = HomesCount
    extra = 0


@admin.register(ManagingAgent)
class ManagingAgentAdmin(admin.ModelAdmin[ManagingAgent]):
    """An agent that handles complaints for landlords: set it on each landlord it manages, and give its staff a
    place at each of them (the staff table on the landlord's page, with the agent named)."""

    list_display = ["name", "slug", "own_landlord"]
    search_fields = ["name", "slug"]


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin[Landlord]):
    list_display = ["name", "slug", "reference_prefix", "region", "managing_agent", "ombudsman_name", "landlord_type"]
    list_filter = ["landlord_type", "managing_agent"]
    search_fields = ["name", "slug", "ombudsman_name"]
    inlines = [
        PolicyVersionInline,
        ClosureDayInline,
        HolidayChangeInline,
        StaffMemberInline,
        HomesCountInline,
        ServiceAreaNameInline,
    ]
    readonly_fields = ["policy_today"]

    @admin.display(description="Policy in force today, against the Code")
    def policy_today(self, landlord: Landlord) -> str:
        if landlord.pk is None:
            return "-"
        version = policy_version_in_force(landlord, clock.today())
        link = format_html(
            '<p><a href="{}">Adopt a new version of the policy</a></p>',
            reverse("admin:landlords_landlord_policy", args=[landlord.pk]),
        )
        if version is None:
            return format_html("<p>No policy recorded: the Code's own numbers apply.</p>{}", link)
        return format_html(
            "<p>{}</p>{}{}", version, findings_list(version.policy(), check_against_code(version.policy())), link
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/policy/",
                self.admin_site.admin_view(self.policy_change_view),
                name="landlords_landlord_policy",
            )
        ]
        return own + super().get_urls()

    def policy_change_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Check a new version against the Code and show its findings, then save it on a second POST."""
        landlord = get_object_or_404(Landlord, pk=pk)
        if not self.has_change_permission(request, landlord):
            raise PermissionDenied
        today = clock.today()
        current = policy_version_in_force(landlord, today)
        findings: list[Finding] | None = None
        signature = ""
        if request.method == "POST":
            form = PolicyChangeForm(request.POST)
            if form.is_valid():
                policy = form.policy()
                findings = check_against_code(policy)
                # The first POST only shows the findings: nothing is saved until the findings for exactly
                # this date, name and settings have been shown (the signature carries that across).
                # A new version never governs a complaint already logged (adopt_checked_policy refuses
                # a date that has had complaints), so no deadline moves and none needs recomputing.
                signature = checked_signature(form.cleaned_data)
                if "save" in request.POST and request.POST.get("checked") != signature:
                    form.add_error(None, "The policy changed after it was checked: read its findings below, then save.")
                elif "save" in request.POST:
                    try:
                        landlord_actions.adopt_checked_policy(
                            landlord,
                            policy,
                            form.cleaned_data["effective_from"],
                            confirm_falls_short=form.cleaned_data["confirm_falls_short"],
                            actor=request.user if isinstance(request.user, User) else None,
                            earliest=today,
                        )
                    except landlord_actions.PolicyNotAdopted as refused:
                        form.add_error(refused.field, refused.message)
                    else:
                        self.message_user(
                            request,
                            f"{landlord} follows {policy.name} for complaints received from "
                            f"{form.cleaned_data['effective_from']:%-d %B %Y}.",
                        )
                        return HttpResponseRedirect(reverse("admin:landlords_landlord_change", args=[landlord.pk]))
        else:
            policy = current.policy() if current else CODE_POLICY
            settings = policy.to_data()
            form = PolicyChangeForm(initial={"effective_from": today, "name": policy.name, "settings": settings})
        context = {
            **self.admin_site.each_context(request),
            "title": f"A new version of {landlord}'s complaints policy",
            "opts": self.model._meta,
            "original": landlord,
            "landlord": landlord,
            "current": current,
            "form": form,
            "findings": findings,
            "findings_html": findings_list(policy, findings) if findings is not None else "",
            "checked": signature,
            "falls_short": falls_short(findings or []),
        }
        return TemplateResponse(request, "admin/landlords/policy_change.html", context)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Closure days and holiday changes alter deadlines: rebuild the landlord's calendar.
        landlord = form.instance
        landlord.calendar_version += 1
        landlord.save(update_fields=["calendar_version"])
        result = actions.recompute_deadlines(landlord, request.user, "the calendar was changed in the admin")  # type: ignore[arg-type]
        if result.changed:
            self.message_user(request, f"Deadlines moved on {len(result.changed)} open complaints.")
