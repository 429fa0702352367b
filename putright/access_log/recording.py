"""Writing one row of the access log: a single INSERT in the request that showed the record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright import clock
from putright.access_log.models import LABEL_LIMIT, PATH_LIMIT, AccessKind, SensitiveAccess


def record_access(
    user: AbstractBaseUser | AnonymousUser | None,
    landlord_id: int,
    kind: AccessKind | str,
    object_label: str,
    path: str,
    *,
    object_id: int | None = None,
) -> SensitiveAccess:
    """Record that `user` was shown a sensitive record of `landlord_id`'s: `kind` is one of
    AccessKind, `object_label` names the record without personal data (a complaint's reference),
    `path` is the URL it was shown at. One INSERT and no read, so every page that shows such a
    record can afford it; call it only once the record has been fetched and authorised."""
    kind = AccessKind(kind)  # a kind the log does not know is a programming error, not a row to lose
    user_id = user.pk if user is not None and user.is_authenticated else None
    row = SensitiveAccess(
        landlord_id=landlord_id,
        user_id=user_id,
        at=clock.now(),
        kind=kind,
        object_id=object_id,
        object_label=object_label[:LABEL_LIMIT],
        path=path[:PATH_LIMIT],
    )
    row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class Shown:
    """One sensitive record a page showed: its kind, a label without personal data, and its id."""

    kind: AccessKind
    label: str
    object_id: int | None = None


def record_shown(
    user: AbstractBaseUser | AnonymousUser | None, landlord_id: int, path: str, shown: Sequence[Shown]
) -> None:
    """Record every sensitive record one page showed (a complaint's page can show several kinds): one
    INSERT for all of them, and nothing at all when the page showed none."""
    if not shown:
        return
    user_id = user.pk if user is not None and user.is_authenticated else None
    at = clock.now()
    SensitiveAccess.objects.bulk_create(
        SensitiveAccess(
            landlord_id=landlord_id,
            user_id=user_id,
            at=at,
            kind=AccessKind(item.kind),
            object_id=item.object_id,
            object_label=item.label[:LABEL_LIMIT],
            path=path[:PATH_LIMIT],
        )
        for item in shown
    )
