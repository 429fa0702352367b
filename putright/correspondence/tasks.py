"""Background work, through Django's task API (the django-tasks backport).

The database backend is the default and `putright worker` runs it; `TASKS_BACKEND=redis` puts the
queue in Redis instead. Tasks carry ids only and each one reads what it needs afresh, so running a
task twice does no harm: a rendered letter is not rendered again, a sent message is not sent again.
"""

from __future__ import annotations

from django_tasks import task

from putright.correspondence import rendering


@task()
def render_letter(letter_id: int) -> str:
    return rendering.render_letter(letter_id)


def render_soon(letter_id: int) -> None:
    """Queue the letter's PDF for the worker (called after the issuing transaction commits)."""
    render_letter.enqueue(letter_id)
