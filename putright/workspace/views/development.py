"""The development email page: the email Putright sent lately, on a development machine only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from putright.correspondence import development_email


@never_cache
@require_GET
def email_list(request: HttpRequest) -> HttpResponse:
    # No sign-in, unlike the rest of the workspace: a newcomer trying the resident's journey on a
    # development copy (`make run`) comes here from the portal to read their one-time code. That is
    # safe because the page exists only with DEBUG on and the development email backend in use
    # (anything else is a 404): DEBUG is for a development machine alone (README), answers only on
    # this machine unless ALLOWED_HOSTS says otherwise, and already shows far more on its error pages;
    # and with that backend no email leaves the machine, so nothing listed here reached anyone.
    if not development_email.available():
        raise Http404
    return render(
        request,
        "workspace/development_email.html",
        {"emails": development_email.recent(), "shown": development_email.SHOWN},
    )
