"""What the workspace's views share: today, and the shape of a step that changes a complaint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted
from putright.complaints.models import Complaint
from putright.workspace.authorise import StaffRequest
from putright.workspace.fields import GovForm

PAGE_SIZE = 50


def complaint_url(complaint: Complaint) -> str:
    return reverse("workspace:complaint", args=[complaint.reference])


def submit(
    request: StaffRequest,
    form: GovForm,
    commit: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any],
    done: Callable[[Any], str],
    message: Callable[[Any], str],
) -> HttpResponse:
    """Call the action once the form is valid; on success say so and go on, otherwise show the
    form again with the action's refusal beside the fields it is about (or in the summary)."""
    if request.method == "POST" and form.is_valid():  # type: ignore[attr-defined]
        try:
            result = commit()
        except NotPermitted:
            raise
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:  # TransitionNotAllowed, StaleVersion
            form.add_error(None, refusal.message)  # type: ignore[attr-defined]
        else:
            messages.success(request, message(result))
            return redirect(done(result))
    return render(request, template, {**context, "form": form, "errors": form.error_links()})


def show(request: StaffRequest, form: GovForm, *, template: str, context: dict[str, Any]) -> HttpResponse:
    """Show a form again without acting, as after a preview or 'Add another'."""
    return render(request, template, {**context, "form": form, "errors": form.error_links()})


def only_errors_for(form: Any, keep: tuple[str, ...]) -> None:
    """A form posted to preview something, not to act: keep only the errors about what the preview
    needs, so the rest of the form is not marked wrong before it was submitted."""
    errors = form.errors
    kept = {name: errors[name] for name in keep if name in errors}
    errors.clear()
    errors.update(kept)
