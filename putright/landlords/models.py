"""Landlords, the policy versions they adopt, and the days their calendar treats differently."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from putright.rules.calendar import Region
from putright.rules.policy import Policy, policy_from_data


class LandlordType(models.TextChoices):
    """A landlord's type, spelt as the Housing Ombudsman's published findings spell it."""

    HOUSING_ASSOCIATION = "Housing Association", "Housing association"
    LOCAL_AUTHORITY = "Local Authority / ALMO or TMO", "Local authority, ALMO or TMO"
    FOR_PROFIT = "For profit", "For-profit provider"
    VOLUNTARY = "Voluntary", "Voluntary landlord"


class ManagingAgent(models.Model):
    """An organisation that runs complaints for the landlords that own the homes, such as ForHousing for
    Cheshire West and Chester. A complaint about the agent's service stays in the owner's process (Code
    5.4, 5.5): its complaints, measures, annual report and self-assessment are the owner's. The agent's
    staff hold a place at each landlord it manages; an agent that is a landlord in its own right keeps
    that landlord separate (`own_landlord`)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    own_landlord = models.OneToOneField(
        "Landlord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="as_agent",
        help_text="The agent's own landlord record, when it owns homes itself: kept apart from those it manages.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Landlord(models.Model):
    """An organisation whose complaints are handled; everything else is scoped to one."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    reference_prefix = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Use 2 to 6 capital letters, such as ASH.")],
        help_text="Starts every complaint reference, for example ASH in ASH-2026-00042.",
    )
    region = models.CharField(
        max_length=20,
        choices=[(region.value, region.value.replace("-", " ").capitalize()) for region in Region],
        default=Region.ENGLAND_AND_WALES.value,
        help_text="Whose bank holidays are not working days.",
    )
    # Not part of the complaints policy: a landlord's own rule for its records, whatever version is in force.
    learning_required_at_closure = models.BooleanField(
        default=False,
        help_text="Refuse to close a complaint until its learning outcome and root cause are recorded (9.1).",
    )
    # Where the landlord stands beside the sector (insight's sector page): the Ombudsman's published
    # findings name landlords in their own way, such as "Ashford" for Ashford Borough Council.
    ombudsman_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The landlord's name exactly as the Housing Ombudsman's published findings spell it.",
    )
    landlord_type = models.CharField(
        max_length=40,
        choices=LandlordType.choices,
        blank=True,
        help_text="Compared with landlords of this type in the Ombudsman's published findings.",
    )
    # Complaints officers, managers and Django admins always sign in with a second factor
    # (putright.web.authorise); this asks it of everyone else at the landlord too.
    second_factor_for_all_roles = models.BooleanField(
        default=False,
        help_text="Ask every member of staff for a code from an authenticator app when they sign in, "
        "not only complaints officers, managers and administrators.",
    )
    # Bumped whenever a closure day or holiday change is saved, so cached calendars are rebuilt.
    calendar_version = models.PositiveIntegerField(default=0, editable=False)
    managing_agent = models.ForeignKey(
        ManagingAgent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_landlords",
        help_text="The agent that handles this landlord's complaints under its policy, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    """A landlord's complaints policy from a date; a complaint follows the one in force when received."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="policy_versions")
    effective_from = models.DateField()
    name = models.CharField(max_length=300)
    settings = models.JSONField(help_text="The policy's settings, in the shape of its TOML file.")
    adopted_at = models.DateTimeField(auto_now_add=True)
    # A version that falls short of the Code is saved only on someone's explicit word (issue 13): who
    # gave it and when stay on the version, because the Ombudsman judges the landlord against the Code.
    falls_short_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    falls_short_confirmed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # The user's name as it was, or the operator's account for `putright policy load --confirm-falls-short`.
    falls_short_confirmed_by_name = models.CharField(max_length=150, blank=True, editable=False)
    # When the landlord is to review this version: from the policy's own words when adopted, and
    # changed by a complaints officer or manager on the policy page (issue 17). Reminders follow it.
    review_due_on = models.DateField(null=True, blank=True)
    review_date_set_by_name = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["landlord", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "effective_from"], name="one_policy_version_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.effective_from:%-d %B %Y})"

    def policy(self) -> Policy:
        return policy_from_data(self.settings)


class ClosureDay(models.Model):
    """A day the landlord's offices are closed, such as 29 to 31 December: not a working day."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["landlord", "date"]
        constraints = [models.UniqueConstraint(fields=["landlord", "date"], name="one_closure_per_day")]

    def __str__(self) -> str:
        return f"{self.landlord}: closed {self.date}"


class HolidayChange(models.Model):
    """A one-off change to the region's bank holidays for one landlord."""

    class Change(models.TextChoices):
        ADD = "add", "Add a one-off bank holiday"
        REMOVE = "remove", "Work on a listed bank holiday"

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="holiday_changes")
    date = models.DateField()
    change = models.CharField(max_length=6, choices=Change.choices)
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["landlord", "date"]
        constraints = [models.UniqueConstraint(fields=["landlord", "date"], name="one_holiday_change_per_day")]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.get_change_display().lower()} on {self.date}"


class StaffRole(models.TextChoices):
    """What a member of a landlord's staff may do (4.1 to 4.3)."""

    HANDLER = "handler", "Complaint handler"
    REVIEWER = "reviewer", "Stage 2 reviewer"
    COMPLAINTS_OFFICER = "officer", "Complaints officer"
    MANAGER = "manager", "Manager"
    AUDITOR = "auditor", "Auditor (read only)"
    MEMBER = "member", "Member Responsible for Complaints (board member)"


class StaffMember(models.Model):
    """A user's place at one landlord, with their role there. One person may hold places at several
    landlords (an agent's complaints team works for each landlord the agent manages): every read and
    every action is authorised by their place at the record's own landlord, never another
    (putright.complaints.access), so a handler at A who audits B reads B and changes nothing there."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="staff")
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=10, choices=StaffRole.choices)
    # Given to residents in acknowledgements when the landlord's letters name the handler (its letter style).
    direct_phone = models.CharField(max_length=40, blank=True, help_text="A direct line residents can call")
    # Held as the landlord's managing agent's staff rather than the landlord's own.
    agent = models.ForeignKey(
        ManagingAgent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_places",
        help_text="Set when this person works here for the landlord's managing agent.",
    )

    class Meta:
        ordering = ["landlord", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "landlord"], name="one_place_per_landlord")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()}, {self.landlord})"

    def clean(self) -> None:
        if self.agent_id is not None and self.landlord_id is not None:
            if self.landlord.managing_agent_id != self.agent_id:
                raise ValidationError({"agent": "This landlord is not managed by that agent."})
            if self.role == StaffRole.MEMBER:
                raise ValidationError(
                    {"role": "The Member Responsible for Complaints sits on the landlord's own board, not the agent's."}
                )


class PasswordResetRequest(models.Model):
    """One request for a staff password reset link, counted against the hourly limits per address
    and per email (putright.workspace.accounts). Digests only: the limits need no one's address."""

    address_key = models.CharField(max_length=64)
    email_key = models.CharField(max_length=64)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["address_key", "requested_at"], name="reset_by_address"),
            models.Index(fields=["email_key", "requested_at"], name="reset_by_email"),
        ]

    def __str__(self) -> str:
        return f"Password reset asked for at {self.requested_at:%Y-%m-%d %H:%M}"


class ServiceAreaName(models.Model):
    """The landlord's own name for one of Putright's standard service areas (issue 17), such as Dartford's
    "Communal areas" for estates, grounds and cleaning: its reports show the landlord's names. Complaints are
    recorded against the standard area, so each standard area has at most one name."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="service_area_names")
    # A key of putright.complaints.models.ServiceArea (landlords imports nothing of complaints; the admin's form
    # offers the choices and checks them).
    area = models.CharField(max_length=20)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["landlord", "name"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "area"], name="one_name_per_service_area"),
            models.UniqueConstraint(fields=["landlord", "name"], name="service_area_names_differ"),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.name}"


class LandlordServiceArea(models.Model):
    """One of the landlord's own service areas (issue 19), such as Medway's "Housing options" or "Voids",
    mapped to one of Putright's standard areas so that the measures and the Ombudsman's comparisons still
    line up: several of the landlord's areas may map to one standard area. A complaint touches one or more
    areas, one of them leading the response (complaints.ComplaintArea).

    `ServiceAreaName` stays what it was: the landlord's heading for a whole standard area in its reports.
    These are finer: what staff choose on a complaint. An area no longer used is made inactive, never
    deleted, so the complaints recorded against it keep their words."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="own_service_areas")
    name = models.CharField(max_length=100)
    # A key of putright.complaints.models.ServiceArea, checked by complaints.actions.areas (landlords imports
    # nothing of complaints).
    standard_area = models.CharField(max_length=20)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["landlord", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "landlord", name="landlord_service_area_names_differ"),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.name}"


class HomesCount(models.Model):
    """Homes owned in a reporting year (1 April to 31 March), for complaints per 1,000 homes (CH01)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="homes_counts")
    year_starting = models.PositiveSmallIntegerField(help_text="2024 for the year 1 April 2024 to 31 March 2025")
    low_cost_rental = models.PositiveIntegerField(help_text="LCRA homes")
    low_cost_home_ownership = models.PositiveIntegerField(default=0, help_text="LCHO homes")

    class Meta:
        ordering = ["landlord", "-year_starting"]
        constraints = [models.UniqueConstraint(fields=["landlord", "year_starting"], name="one_homes_count_per_year")]

    def __str__(self) -> str:
        return f"{self.landlord}: homes in {self.year_starting}/{(self.year_starting + 1) % 100:02d}"
