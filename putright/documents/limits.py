"""What may be kept with a complaint's record (5.12), how large, and how many a resident may send.

A file's type is always the one its content shows (`putright.documents.filetypes`), never its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files import File

from putright.documents.filetypes import MACRO_OFFICE

ATTACHMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "text/plain": "text file",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_MEGABYTES = ATTACHMENT_MAX_BYTES // (1024 * 1024)

# What a resident may send: photos, documents and short videos. Not plain text, which is how a web
# page or a script reads, whatever its name says. An iPhone's photo (HEIC) arrives as one of these:
# it is kept as a JPEG (`putright.documents.staging`), which every computer opens.
VIDEO_TYPES: dict[str, str] = {"video/mp4": "MP4 video", "video/quicktime": "MOV video"}
RESIDENT_ATTACHMENT_TYPES: dict[str, str] = {
    **{
        content_type: ATTACHMENT_TYPES[content_type]
        for content_type in (
            "image/jpeg",
            "image/png",
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    },
    **VIDEO_TYPES,
}
RESIDENT_MAX_FILES = 5
# A short video of a leak or of mould: about 30 seconds from a phone.
VIDEO_MAX_BYTES = 50 * 1024 * 1024
VIDEO_MAX_MEGABYTES = VIDEO_MAX_BYTES // (1024 * 1024)
# The largest file a resident may upload: larger ones are refused before their content is read.
RESIDENT_UPLOAD_MAX_BYTES = max(ATTACHMENT_MAX_BYTES, VIDEO_MAX_BYTES)
# Words for the refusal of a file of a type not accepted; its start is what the page's hint says.
ACCEPTED_TYPES_TEXT = "a JPEG, PNG, PDF or Word document, a photo from an iPhone (HEIC), or an MP4 or MOV video"


@dataclass(frozen=True)
class ResidentFile:
    """A photo or document from the resident, with the type its content shows (read by the caller)."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


def macro_problem(name: str, content_type: str) -> str:
    """Why an Office file with macros is refused, in words for whoever sent it; "" for any other."""
    if content_type != MACRO_OFFICE:
        return ""
    return (
        f"{name} has macros in it, which can harm a computer. "
        "Save it as a Word document (.docx) or a PDF and select that"
    )


def resident_max_bytes(content_type: str) -> int:
    """How large a file of this type a resident may send: videos may be larger than photos."""
    return VIDEO_MAX_BYTES if content_type in VIDEO_TYPES else ATTACHMENT_MAX_BYTES


def resident_file_problem(name: str, size: int, content_type: str) -> str:
    """Why a resident cannot send this file, in words for them; "" when they can. A file too large
    for any type may come with its type unread ("")."""
    if size <= 0:
        return f"{name} is empty"
    if content_type in RESIDENT_ATTACHMENT_TYPES and size > resident_max_bytes(content_type):
        return f"{name} must be smaller than {resident_max_bytes(content_type) // (1024 * 1024)} MB"
    if size > RESIDENT_UPLOAD_MAX_BYTES:
        return f"{name} must be smaller than {MAX_MEGABYTES} MB, or {VIDEO_MAX_MEGABYTES} MB for a video"
    if content_type not in RESIDENT_ATTACHMENT_TYPES:
        return macro_problem(name, content_type) or f"{name} must be {ACCEPTED_TYPES_TEXT}"
    return ""
