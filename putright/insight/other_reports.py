"""Other relevant reports in the annual report (8.1 f): the Ombudsman's other reports or publications about the
landlord's work, such as a special investigation, each listed in the year's report with a line on what it says.

A report is a link to where it is published or an uploaded PDF kept with the annual report.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import models, transaction

from putright import clock
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.insight import access
from putright.landlords.models import Landlord

FILE_MAX_BYTES = 10 * 1024 * 1024
EARLIEST_YEAR = 2000


class OtherReport(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="other_reports")
    year_starting = models.PositiveSmallIntegerField()  # the annual report it is listed in
    title = models.CharField(max_length=200)
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="insight/other-reports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    published_on = models.DateField()
    summary = models.CharField(max_length=300, help_text="A line on what the report says")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "year_starting", "published_on", "id"]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.title}"


def other_reports_for(landlord: Landlord, year_starting: int) -> list[OtherReport]:
    return list(
        OtherReport.objects.filter(landlord=landlord, year_starting=year_starting).order_by("published_on", "id")
    )


@transaction.atomic
def add_other_report(
    landlord: Landlord,
    actor: User,
    *,
    year_starting: int,
    title: str,
    published_on: date | None,
    summary: str,
    link: str = "",
    file_name: str = "",
    content: bytes | None = None,
) -> OtherReport:
    """List a report in the year's annual report: a link or a PDF, not both, and never neither."""
    staff = access.require_editor(actor)
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can only act for your own landlord.")
    errors: dict[str, str] = {}
    if not EARLIEST_YEAR <= year_starting <= clock.today().year:
        errors["year"] = f"Choose a reporting year from {EARLIEST_YEAR} to {clock.today().year}"
    title, summary, link = title.strip(), summary.strip(), link.strip()
    if not title:
        errors["title"] = "Enter the report's title"
    elif len(title) > 200:
        errors["title"] = "The report's title must be 200 characters or fewer"
    if not summary:
        errors["summary"] = "Enter a line on what the report says"
    elif len(summary) > 300:
        errors["summary"] = "The line on what the report says must be 300 characters or fewer"
    if published_on is None:
        errors["published_on"] = "Enter the date the report was published"
    elif published_on > clock.today():
        errors["published_on"] = "The date the report was published must be today or in the past"
    if link and content:
        errors["link"] = "Give a link or upload a PDF, not both"
    elif not link and not content:
        errors["link"] = "Enter a link to the report or upload it as a PDF"
    elif link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            errors["link"] = "Enter the link in the right format, like https://www.example.org/report.pdf"
        if len(link) > 500:
            errors["link"] = "The link must be 500 characters or fewer"
    elif content is not None:
        if len(content) > FILE_MAX_BYTES:
            errors["file"] = f"The selected file must be smaller than {FILE_MAX_BYTES // (1024 * 1024)} MB"
        elif not content.startswith(b"%PDF-"):
            errors["file"] = "The selected file must be a PDF"
    if errors or published_on is None:
        raise InvalidInput(errors)
    report = OtherReport(
        landlord=landlord,
        year_starting=year_starting,
        title=title,
        link=link,
        published_on=published_on,
        summary=summary,
        added_by=actor,
        added_at=clock.now(),
    )
    if content:
        report.file_name = (file_name or "report.pdf").rsplit("/", 1)[-1][:150]
        report.file.save(f"{landlord.slug}-{year_starting}.pdf", ContentFile(content), save=False)
    report.save()
    return report


@transaction.atomic
def remove_other_report(report: OtherReport, actor: User) -> None:
    staff = access.require_editor(actor)
    if staff.landlord_id != report.landlord_id:
        raise NotPermitted("You can only act for your own landlord.")
    if report.file:
        report.file.delete(save=False)
    report.delete()
