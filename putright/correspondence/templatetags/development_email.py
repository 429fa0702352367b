"""`{% development_email_url as url %}`: the development email page's address, or "" where it does
not exist (without DEBUG), so that a template shows its link only where it leads somewhere."""

from __future__ import annotations

from django import template
from django.urls import reverse

from putright.correspondence import development_email

register = template.Library()


@register.simple_tag
def development_email_url() -> str:
    return reverse("workspace:development-email") if development_email.available() else ""
