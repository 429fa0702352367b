"""What may be kept with a complaint's record (5.12), how large, and how many a resident may send.

A file's type is always the one its content shows (`putright.documents.filetypes`), never its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files import File

ATTACHMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "text/plain": "text file",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_MEGABYTES = ATTACHMENT_MAX_BYTES // (1024 * 1024)

# What a resident may send: photos and documents. Not plain text, which is how a web page or a
# script reads, whatever its name says.
RESIDENT_ATTACHMENT_TYPES: dict[str, str] = {
    content_type: ATTACHMENT_TYPES[content_type]
    for content_type in (
        "image/jpeg",
        "image/png",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
}
RESIDENT_MAX_FILES = 5


@dataclass(frozen=True)
class ResidentFile:
    """A photo or document from the resident, with the type its content shows (read by the caller)."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


def resident_file_problem(name: str, size: int, content_type: str) -> str:
    """Why a resident cannot send this file, in words for them; "" when they can."""
    if size <= 0:
        return f"{name} is empty"
    if size > ATTACHMENT_MAX_BYTES:
        return f"{name} must be smaller than {MAX_MEGABYTES} MB"
    if content_type not in RESIDENT_ATTACHMENT_TYPES:
        return f"{name} must be a JPEG, PNG, PDF or Word document"
    return ""
