"""Photos, documents and short videos a resident uploads while making a complaint.

Each file is checked by its content, not its name (an iPhone's photo becomes a JPEG here), and kept
aside under the journey's submission token, which only that resident's session holds. Sending the
complaint hands the kept files to it in the same transaction (`take`); the files of a journey left
unfinished are deleted once old.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pillow_heif
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from putright import clock
from putright.documents import filetypes
from putright.documents.limits import (
    ATTACHMENT_MAX_BYTES,
    MAX_MEGABYTES,
    RESIDENT_ATTACHMENT_TYPES,
    RESIDENT_UPLOAD_MAX_BYTES,
    VIDEO_TYPES,
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
    """The upload as a file the resident may send, or why it cannot be sent. An iPhone's photo
    (HEIC) comes back as a JPEG of it."""
    name = display_name(upload.name or "")
    size = upload.size or 0
    # Only a file of a size that may be kept is read to learn its type; of a larger one, only the first
    # bytes, to say which limit it is over (a video's, or a photo's or document's).
    if 0 < size <= RESIDENT_UPLOAD_MAX_BYTES:
        content_type = filetypes.content_type(upload)
    else:
        content_type = filetypes.iso_media_type(filetypes.first_bytes(upload)) if size else ""
    if content_type == filetypes.HEIC:
        if size > ATTACHMENT_MAX_BYTES:
            return f"{name} must be smaller than {MAX_MEGABYTES} MB"
        return heic_as_jpeg(upload, name)
    if content_type in RESIDENT_ATTACHMENT_TYPES and filetypes.name_contradicts(name, content_type):
        right = f"{name.rpartition('.')[0]}.{filetypes.EXTENSIONS[content_type]}"
        kind = RESIDENT_ATTACHMENT_TYPES[content_type]
        article = "an" if content_type in VIDEO_TYPES else "a"  # an MP4 video, an MOV video
        return f"{name} is {article} {kind}, not what its name says. Rename it {right} and select it again"
    problem = resident_file_problem(name, size, content_type)
    return problem or ResidentFile(file=upload, name=name, content_type=content_type, size=size)


# A 48-megapixel phone photo is inside this; a larger picture is not a photo of a home, and decoding
# one would take more memory than a web process should give a single upload.
HEIC_MAX_PIXELS = 50_000_000
JPEG_QUALITIES = (92, 85, 75)


def heic_as_jpeg(upload: UploadedFile, name: str) -> ResidentFile | str:
    """An iPhone's photo (HEIC) as a JPEG at its full size, with its metadata (when and where it was
    taken, the camera) and its colour profile: staff, their computers and the Ombudsman's evidence
    bundle can all open a JPEG, and few can open HEIC.

    The HEIC itself is not kept as well: a complaint's record keeps one file for each document
    (`documents.Attachment`), and a second copy of every photo would count against the resident's
    five files and be one that staff cannot open. The JPEG keeps what the photo shows and says."""
    problem = f"{name} could not be opened as a photo. Try saving it as a JPEG and sending that"
    try:
        upload.seek(0)
        heif = pillow_heif.open_heif(upload, convert_hdr_to_8bit=True)
        width, height = heif.size
        if width * height > HEIC_MAX_PIXELS:
            return f"{name} is too large a picture. Send a smaller photo"
        image = heif.to_pillow()
    except (ValueError, OSError, RuntimeError):
        return problem
    finally:
        upload.seek(0)
    exif = image.getexif()
    extra: dict[str, Any] = {"exif": exif.tobytes()} if exif else {}
    if image.info.get("icc_profile"):
        extra["icc_profile"] = image.info["icc_profile"]
    picture = image if image.mode in ("RGB", "L") else image.convert("RGB")
    data = b""
    for quality in JPEG_QUALITIES:  # the best quality that is still a file the record may keep
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=quality, **extra)
        data = out.getvalue()
        if len(data) <= ATTACHMENT_MAX_BYTES:
            break
    else:
        return f"{name} must be smaller than {MAX_MEGABYTES} MB"
    stem, dot, extension = name.rpartition(".")
    stem = stem if dot and extension.lower() in ("heic", "heif") else name
    jpeg_name = f"{stem[: NAME_LIMIT - 4]}.jpg"
    return ResidentFile(
        file=ContentFile(data, name=jpeg_name), name=jpeg_name, content_type="image/jpeg", size=len(data)
    )


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
