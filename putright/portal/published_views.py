"""/<landlord>/published/: what the landlord publishes about complaints, for anyone to read without signing in.

The complaints policy as it stands, in plain words (the numbers promised are the effective ones, never weaker
than the Code's), and the latest edition of each report the landlord has published from insight, with its
earlier editions. Only published editions are shown: a withdrawn one, another landlord's, or a report never
published is "Page not found", exactly like an address that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from putright import clock
from putright.landlords.calendars import policy_in_force, policy_version_in_force
from putright.landlords.models import Landlord
from putright.portal import explain
from putright.publications.models import Edition, Kind
from putright.rules import responses
from putright.rules.floor import setting_value
from putright.rules.policy import CODE_POLICY, NOT_STATED_CODE

# The numbers a resident is promised, in the order they meet them, with the words for each.
PROMISES = (
    ("acceptance_window_months", "How long after the problem you can complain"),
    ("stage1.acknowledge_days", "Acknowledging your complaint (stage 1)"),
    ("stage1.respond_days", "Our stage 1 response"),
    ("stage1.extension_cap_days", "Extra time we can take at stage 1, unless there is a good reason"),
    ("stage2.acknowledge_days", "Acknowledging your request for stage 2"),
    ("stage2.respond_days", "Our stage 2 response"),
    ("stage2.extension_cap_days", "Extra time we can take at stage 2, unless there is a good reason"),
)


@dataclass(frozen=True)
class Promise:
    what: str
    ours: str
    codes: str
    provision: str


def _amount(value: int, unit: str) -> str:
    return f"{value} {unit if value != 1 else unit.removesuffix('s')}"


def _landlord(slug: str) -> Landlord:
    return get_object_or_404(Landlord, slug=slug)


def _kind(kind: str) -> Kind:
    if kind not in Kind.values:
        raise Http404("Nothing is published under that name")
    return Kind(kind)


def _page(request: HttpRequest, landlord: Landlord, template: str, **context: object) -> HttpResponse:
    return render(request, f"portal/published/{template}.html", {"landlord": landlord, **context})


@require_GET
def published(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    latest = [
        (kind.value, kind.label, Edition.objects.of(found.pk, kind).live().defer("body", "pdf").first())
        for kind in Kind
    ]
    return _page(request, found, "index", latest=latest)


@require_GET
def policy(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    today = clock.today()
    working = policy_in_force(found, today)
    promises = []
    for setting, what in PROMISES:
        provision, _, unit = NOT_STATED_CODE[setting]
        promises.append(
            Promise(
                what,
                _amount(setting_value(working, setting), unit),
                _amount(setting_value(CODE_POLICY, setting), unit),
                provision,
            )
        )
    return _page(
        request,
        found,
        "policy",
        version=policy_version_in_force(found, today),
        plain_words=explain.policy_in_plain_words(working),
        promises=promises,
        exclusions=[label for _, label in working.exclusions],
        ombudsman=responses,
    )


def _edition(landlord: Landlord, kind: Kind, number: int | None) -> Edition:
    editions = Edition.objects.of(landlord.pk, kind).live().select_related("landlord")
    found = editions.first() if number is None else editions.filter(number=number).first()
    if found is None:
        raise Http404("No such edition is published")
    return found


@require_GET
def edition(request: HttpRequest, landlord: str, kind: str, number: int | None = None) -> HttpResponse:
    found = _landlord(landlord)
    shown = _edition(found, _kind(kind), number)
    others = Edition.objects.of(found.pk, shown.kind).live().exclude(pk=shown.pk).defer("body", "pdf")
    latest = Edition.objects.of(found.pk, shown.kind).live().values_list("pk", flat=True).first()
    return _page(request, found, "edition", edition=shown, others=list(others), is_latest=latest == shown.pk)


@require_GET
def edition_pdf(request: HttpRequest, landlord: str, kind: str, number: int) -> HttpResponse:
    found = _landlord(landlord)
    shown = _edition(found, _kind(kind), number)
    if not shown.has_pdf:
        raise Http404("This edition has no PDF")
    response = HttpResponse(bytes(shown.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{shown.pdf_name}"'
    return response
