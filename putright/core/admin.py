"""The admin site's configuration of landlords: policies, calendars, staff and homes.

It lives here rather than in `putright.landlords` because saving a calendar moves the deadlines of
open complaints (a complaints action): core sits above both, so landlords never imports complaints.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from putright.complaints import actions
from putright.landlords.models import ClosureDay, HolidayChange, HomesCount, Landlord, PolicyVersion, StaffMember
from putright.rules.policy import PolicyError, policy_from_data


class PolicyVersionForm(forms.ModelForm[PolicyVersion]):
    class Meta:
        model = PolicyVersion
        fields = ["effective_from", "name", "settings"]

    def clean_settings(self) -> Any:
        settings = self.cleaned_data["settings"]
        if not isinstance(settings, dict):
            raise forms.ValidationError("The settings must be a JSON object, as in examples/policies/.")
        try:
            policy_from_data(settings)
        except PolicyError as error:
            raise forms.ValidationError(str(error)) from None
        return settings


class PolicyVersionInline(admin.StackedInline[PolicyVersion, Landlord]):
    model = PolicyVersion
    form = PolicyVersionForm
    extra = 0


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


class HomesCountInline(admin.TabularInline[HomesCount, Landlord]):
    model = HomesCount
    extra = 0


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin[Landlord]):
    list_display = ["name", "slug", "reference_prefix", "region"]
    search_fields = ["name", "slug"]
    inlines = [PolicyVersionInline, ClosureDayInline, HolidayChangeInline, StaffMemberInline, HomesCountInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Closure days and holiday changes alter deadlines: rebuild the landlord's calendar.
        landlord = form.instance
        landlord.calendar_version += 1
        landlord.save(update_fields=["calendar_version"])
        result = actions.recompute_deadlines(landlord, request.user, "the calendar was changed in the admin")  # type: ignore[arg-type]
        if result.changed:
            self.message_user(request, f"Deadlines moved on {len(result.changed)} open complaints.")
