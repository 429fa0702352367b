"""Photos and documents a resident uploads while making a complaint.

Each file is checked by its content, not its name, and kept aside under the journey's submission
token, which only that resident's session holds. Sending the complaint hands the kept files to it
in the same transaction (`take`); the files of a journey left unfinished are deleted once old.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from putright import clock
from putright.documents import filetypes
from putright.documents.limits import (
    ATTACHMENT_MAX_BYTES,
    ResidentFile,
    resident_file_problem,
)
from putright.documents.models import PendingAttachment
from putright.landlords.models import Landlord

# A journey's session ends after 30 idle minutes (settings.SESSION_COOKIE_AGE): a day is far past it.
LIFETIME = timedelta(days=1)
NAME_LIMIT = 200


def display_name(name: str) -> str:
    """The name to show and keep: no folders, no control characters, at most 200 characters with
    its extension kept. It is only ever shown (escaped), never used as a path."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join("".join(c for c in name if not unicodedata.category(c).startswith("C")).split())
    if len(name) > NAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: NAME_LIMIT - len(extension) - 1]}.{extension}" if dot and len(extension) <= 10 else name
        name = name[:NAME_LIMIT]
    return name or "file"


def check(upload: UploadedFile) -> ResidentFile | str:
    """The upload as a file the resident may send, or why it cannot be sent."""
    name = display_name(upload.name or "")
    size = upload.size or 0
    # Only a file of a size that may be kept is read to learn its type.
    content_type = filetypes.content_type(upload) if 0 < size <= ATTACHMENT_MAX_BYTES else ""
    problem = resident_file_problem(name, size, content_type)
    return problem or ResidentFile(file=upload, name=name, content_type=content_type, size=size)


def kept(landlord: Landlord, token: str) -> list[PendingAttachment]:
    return list(PendingAttachment.objects.filter(landlord=landlord, token=token))


@transaction.atomic
def keep(landlord: Landlord, token: str, files: Sequence[ResidentFile]) -> None:
    """Keep checked uploads for this journey until the complaint is sent."""
    discard_abandoned()
    now = clock.now()
    for item in files:
        PendingAttachment.objects.create(
            landlord=landlord,
            token=token,
            file=item.file,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            uploaded_at=now,
        )


def _delete(pending: Sequence[PendingAttachment]) -> None:
    names = [row.file.name for row in pending]
    PendingAttachment.objects.filter(pk__in=[row.pk for row in pending]).delete()
    if names:
        storage = pending[0].file.storage

        def delete_files() -> None:
            for name in names:
                storage.delete(name)

        # The stored files go only once the rows are gone for good.
        transaction.on_commit(delete_files)


@transaction.atomic
def remove(landlord: Landlord, token: str, pending_id: int) -> None:
    """Remove one kept file; removing one already gone (a double click) does nothing."""
    _delete(list(PendingAttachment.objects.select_for_update().filter(landlord=landlord, token=token, pk=pending_id)))


def take(landlord: Landlord, token: str) -> list[ResidentFile]:
    """The journey's kept files, to join its complaint: called in the transaction that makes the
    complaint, so that if it fails they stay kept, and a second sending finds none."""
    pending = list(PendingAttachment.objects.select_for_update().filter(landlord=landlord, token=token))
    PendingAttachment.objects.filter(pk__in=[row.pk for row in pending]).delete()
    # The stored file now belongs to the complaint's Attachment: it is handed over, not deleted.
    return [ResidentFile(file=row.file, name=row.name, content_type=row.content_type, size=row.size) for row in pending]


@transaction.atomic
def discard_abandoned() -> int:
    """Delete the files of journeys left unfinished, once they are older than any session could be."""
    old = list(
        PendingAttachment.objects.select_for_update(skip_locked=True).filter(uploaded_at__lt=clock.now() - LIFETIME)
    )
    _delete(old)
    return len(old)
