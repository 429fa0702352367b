"""The daily reminder: each open request for information is reminded once, on its due date.

Run after the worker's sweep (putright.correspondence.sweep.swept), however often it sweeps: a
request already reminded on or after its due date is not reminded again, and the reminder's outbox
key can be written only once, so two workers sweeping together send one.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db.models import F, Q

from putright import clock
from putright.contributions import actions
from putright.contributions.models import InformationRequest

log = logging.getLogger(__name__)
MOST_AT_ONCE = 500  # a backlog is worked through over several sweeps


def due(today: date) -> list[InformationRequest]:
    """Open requests due today or before that have had no reminder since they fell due."""
    return list(
        InformationRequest.objects.filter(state=InformationRequest.State.OPEN, due_on__lte=today)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=F("due_on")))
        .select_related("complaint__landlord", "contractor", "colleague")
        .order_by("due_on", "id")[:MOST_AT_ONCE]
    )


def daily(today: date | None = None) -> int:
    """Send the reminders due; the number sent."""
    sent = 0
    for request in due(today or clock.today()):
        if actions.remind_on_due_date(request):
            sent += 1
    if sent:
        log.info("Reminded %s parties of requests for information due", sent)
    return sent
