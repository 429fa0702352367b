"""Email no landlord claimed: an operator reads it here and forwards it to the right mailbox.

A message is kept without a landlord when none of its recipients is a landlord's complaints
mailbox, so no member of staff sees it in the workspace. The admin shows it read only.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from putright.correspondence.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["received_at", "from_address", "subject", "landlord", "state", "matched_by", "problems"]
    list_filter = [("landlord", admin.EmptyFieldListFilter), "state"]
    search_fields = ["from_address", "subject", "to_addresses"]
    # The text body only: the sanitised HTML is never rendered here either.
    readonly_fields = [field.name for field in InboundMessage._meta.fields if field.name not in ("id", "html")]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: InboundMessage | None = None) -> bool:
        return False
