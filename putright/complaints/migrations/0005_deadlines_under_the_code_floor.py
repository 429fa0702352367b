"""Bring the stored deadlines of open complaints under the Code's floor (issue 13).

Deadlines were computed from each landlord's policy as written, so a policy weaker than the Code
(Dartford's 7 working days to acknowledge) left dates later than the Code allows. Deadlines are
now worked to the stricter of the policy's and the Code's; this recomputes every open stage once,
with the same action a calendar change uses, recording a "deadlines-recomputed" event on each
complaint whose dates move.

It asks the historical models whether anything is open, then calls the action with the app's own
models, because the deadline rules live in code, not in the schema. That is safe while no later migration changes these
tables; one that does should come before this in a squash, or replace this with a no-op.
"""

from typing import Any

from django.db import migrations


def recompute_under_the_floor(apps: Any, schema_editor: object) -> None:
    # Which landlords have open complaints, asked of the historical models: a new database (and every test
    # database) has none, so the app's own models are touched only where there is something to move.
    historical = apps.get_model("complaints", "Complaint")
    open_statuses = ["received", "stage1-open", "stage2-open"]  # OPEN_STATUSES when this was written
    landlord_ids = set(historical.objects.filter(status__in=open_statuses).values_list("landlord_id", flat=True))
    if not landlord_ids:
        return
    from putright.complaints.actions import recompute_deadlines
    from putright.landlords.models import Landlord

    for landlord in Landlord.objects.filter(pk__in=landlord_ids):
        recompute_deadlines(
            landlord, None, "the Code is the floor: where the landlord's policy is weaker, the Code's timescales apply"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_open_work_by_handler"),
        # Every landlords migration first: the action reads the landlord and its policy versions.
        ("landlords", "__latest__"),
    ]

    operations = [migrations.RunPython(recompute_under_the_floor, migrations.RunPython.noop)]
