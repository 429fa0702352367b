"""`{{ style.website|kept_whole }}`: a letterhead's web or email address that never wraps at a hyphen
(`putright.correspondence.web_addresses`)."""

from __future__ import annotations

from django import template
from markupsafe import Markup

from putright.correspondence import web_addresses

register = template.Library()


@register.filter
def kept_whole(value: object) -> Markup:
    return web_addresses.address_kept_whole(str(value))
