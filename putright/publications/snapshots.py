"""The snapshot of each report as residents read it: the page's HTML and, where the report has one, its PDF.

Rendered from insight's own report views and templates at the moment of publication, and stored; the portal
shows the stored copy, so it never changes with the records. The web copy of the annual report is rendered as
the PDF's is (`pdf=True`): its letters are attached to the PDF rather than linked to staff pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string

from putright import clock
from putright.documents.pdf import render_pdf
from putright.insight import exports, reports
from putright.insight.code_wording import wording_for
from putright.insight.models import SelfAssessment, ServiceImprovement
from putright.insight.periods import year_label
from putright.landlords.models import Landlord


@dataclass(frozen=True)
class Snapshot:
    title: str
    body: str
    pdf: bytes = b""
    pdf_name: str = ""

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()


def annual_report_title(year_starting: int) -> str:
    return f"Complaints performance and service improvement report {year_label(year_starting)}"


def self_assessment_title(year_starting: int) -> str:
    return f"Self-assessment against the Complaint Handling Code {year_label(year_starting)}"


def annual_report(landlord: Landlord, year_starting: int) -> Snapshot:
    view = reports.annual_report(landlord, year_starting)
    body = render_to_string("insight/annual/_body.html", {"report": view, "pdf": True})
    pdf = render_pdf("insight/annual/pdf.html", {"report": view}, attachments=view.attachments)
    return Snapshot(
        annual_report_title(year_starting), body, pdf, f"{landlord.slug}-complaints-report-{year_starting}.pdf"
    )


def self_assessment(assessment: SelfAssessment) -> Snapshot:
    view = reports.assessment_view(assessment)
    wording = wording_for(assessment.landlord)
    label = year_label(assessment.year_starting)
    context = {
        "view": view,
        "label": label,
        "wording": wording,
        "generated_on": clock.today(),
        "header": exports.assessment_header(assessment, wording)[1:],
    }
    body = render_to_string("insight/publish/assessment_body.html", context)
    pdf = render_pdf("insight/assessment/pdf.html", context)
    name = f"{assessment.landlord.slug}-self-assessment-{assessment.year_starting}"
    if assessment.sequence > 1:
        name += f"-{assessment.sequence}"
    return Snapshot(self_assessment_title(assessment.year_starting), body, pdf, f"{name}.pdf")


def you_said_we_did(landlord: Landlord, improvements: list[ServiceImprovement]) -> Snapshot:
    body = render_to_string("insight/publish/you_said_we_did_body.html", {"rows": improvements})
    return Snapshot("You said, we did", body)
