"""Every change to what a landlord publishes: publish an edition of a report, withdraw one.

As elsewhere, each action takes the acting user, checks their role (the complaints officer or a manager, through
putright.insight.access), validates everything before writing, and writes in one transaction. Publishing renders
the snapshot first, then takes a lock on the landlord so two publications of the same kind cannot take the same
edition number, and refuses a second identical edition (a double submit, or Back and submit again).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from putright import clock
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.governance.actions import calendar as governance_calendar
from putright.governance.models import DeadlineDone, DeadlineKind
from putright.insight import access, reports
from putright.insight.models import SelfAssessment
from putright.insight.periods import reporting_year_of, year_label
from putright.landlords.models import Landlord, StaffMember
from putright.publications import snapshots
from putright.publications.models import YEARLY, Edition, Kind

EARLIEST_YEAR = 2000
REASON_LIMIT = 2_000


def _at(staff: StaffMember, landlord_id: int) -> None:
    if staff.landlord_id != landlord_id:
        raise NotPermitted("You can only act for your own landlord.")


def _ended_year(year_starting: int | None) -> int:
    """A reporting year that has ended: the annual report covers a whole year (8.1)."""
    running = reporting_year_of(clock.today())
    if year_starting is None or not EARLIEST_YEAR <= year_starting < running:
        raise InvalidInput(
            {
                "year": f"Choose a reporting year that has ended, from {year_label(EARLIEST_YEAR)} to "
                f"{year_label(running - 1)}"
            }
        )
    return year_starting


def _record(
    landlord: Landlord,
    actor: User,
    kind: Kind,
    snapshot: snapshots.Snapshot,
    *,
    year_starting: int | None = None,
    assessment: SelfAssessment | None = None,
) -> Edition:
    # Serialises publishing at one landlord: the edition number and the "unchanged" check read what is there.
    Landlord.objects.select_for_update().get(pk=landlord.pk)
    latest = (
        Edition.objects.of(landlord.pk, kind).live().filter(year_starting=year_starting).defer("body", "pdf").first()
    )
    if latest is not None and latest.digest == snapshot.digest:
        raise TransitionNotAllowed(
            f"{snapshot.title}: edition {latest.number} is already published (on "
            f"{timezone.localdate(latest.published_at):%-d %B %Y}), and nothing in it has changed since."
        )
    last = Edition.objects.filter(landlord=landlord, kind=kind).order_by("-number").values_list("number", flat=True)
    edition = Edition.objects.create(
        landlord=landlord,
        kind=kind,
        number=(last.first() or 0) + 1,
        year_starting=year_starting,
        title=snapshot.title,
        body=snapshot.body,
        digest=snapshot.digest,
        pdf=snapshot.pdf,
        pdf_name=snapshot.pdf_name,
        self_assessment=assessment,
        published_by=actor,
        published_at=clock.now(),
    )
    if kind in YEARLY and year_starting is not None:
        _tell_the_calendar(landlord, actor, year_starting)
    return edition


def _tell_the_calendar(landlord: Landlord, actor: User, year_starting: int) -> None:
    """The publication deadline (8.1 to 8.3) is met once both the year's annual report and self-assessment are
    published: mark it done in the reporting calendar, with today's date, unless it already is."""
    published = set(
        Edition.objects.filter(landlord=landlord, year_starting=year_starting, kind__in=YEARLY)
        .live()
        .values_list("kind", flat=True)
    )
    if published != set(YEARLY):
        return
    if DeadlineDone.objects.filter(
        landlord=landlord, kind=DeadlineKind.PUBLICATION, year_starting=year_starting
    ).exists():
        return
    governance_calendar.mark_done(
        landlord,
        actor,
        kind=DeadlineKind.PUBLICATION,
        year_starting=year_starting,
        done_on=clock.today(),
        note="Published on Putright's complaints pages",
    )


@transaction.atomic
def publish_annual_report(landlord: Landlord, actor: User, *, year_starting: int | None) -> Edition:
    """Publish the year's complaints performance and service improvement report (8.1, 8.2) as it reads today:
    a new edition of the web page and its PDF, the Ombudsman's letters attached to the PDF."""
    staff = access.require_editor(actor)
    _at(staff, landlord.pk)
    year = _ended_year(year_starting)
    return _record(landlord, actor, Kind.ANNUAL_REPORT, snapshots.annual_report(landlord, year), year_starting=year)


@transaction.atomic
def publish_self_assessment(landlord: Landlord, actor: User, *, year_starting: int | None) -> Edition:
    """Publish the year's self-assessment (8.1): its latest assessment, once the Member Responsible for
    Complaints (or a manager) has approved it."""
    staff = access.require_editor(actor)
    _at(staff, landlord.pk)
    running = reporting_year_of(clock.today())
    if year_starting is None or not EARLIEST_YEAR <= year_starting <= running:
        raise InvalidInput(
            {"year": f"Choose a reporting year from {year_label(EARLIEST_YEAR)} to {year_label(running)}"}
        )
    assessment = reports.load_assessment(landlord, year_starting)
    if assessment is None:
        raise TransitionNotAllowed(f"There is no self-assessment for {year_label(year_starting)} to publish.")
    if assessment.state != SelfAssessment.State.APPROVED:
        raise TransitionNotAllowed(
            f"Only an approved self-assessment can be published: the {assessment.which_in_sentence}, is not "
            f"approved yet ({assessment.get_state_display().lower()})."
        )
    snapshot = snapshots.self_assessment(assessment)
    return _record(landlord, actor, Kind.SELF_ASSESSMENT, snapshot, year_starting=year_starting, assessment=assessment)


@transaction.atomic
def publish_you_said_we_did(landlord: Landlord, actor: User) -> Edition:
    """Publish "you said, we did" (9.3): the improvements marked to publish in the register, in residents' words."""
    staff = access.require_editor(actor)
    _at(staff, landlord.pk)
    improvements = reports.you_said_we_did(landlord)
    if not improvements:
        raise TransitionNotAllowed(
            "There is nothing to publish: in the improvement register, write what residents said and what was done, "
            "and choose to publish it."
        )
    return _record(landlord, actor, Kind.YOU_SAID_WE_DID, snapshots.you_said_we_did(landlord, improvements))


@transaction.atomic
def withdraw(edition: Edition, actor: User, *, reason: str | None) -> Edition:
    """Take an edition off the portal, saying why. It is kept, as published, for the record."""
    staff = access.require_editor(actor)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _at(staff, edition.landlord_id)
    if edition.withdrawn_at is not None:
        raise TransitionNotAllowed(
            f"This edition was already withdrawn on {timezone.localdate(edition.withdrawn_at):%-d %B %Y}."
        )
    text = (reason or "").strip()
    if not text:
        raise InvalidInput({"reason": "Enter why the edition is being withdrawn"})
    if len(text) > REASON_LIMIT:
        raise InvalidInput({"reason": f"The reason must be {REASON_LIMIT:,} characters or fewer (it is {len(text):,})"})
    edition.withdrawn_by, edition.withdrawn_at, edition.withdrawn_reason = actor, clock.now(), text
    edition.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    return edition
