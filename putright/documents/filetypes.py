"""What kind of file an upload is, read from its first bytes rather than from its name."""

from __future__ import annotations

import re
import struct
import zipfile

from django.core.files.uploadedfile import UploadedFile

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
# An Office file with macros in it (a .docm, .xlsm, .pptm, or one renamed .docx): programs that run
# when the file is opened. Never kept, whatever the file is called.
MACRO_OFFICE = "application/vnd.ms-office.macroenabled"
HEIC = "image/heic"
MP4 = "video/mp4"
MOV = "video/quicktime"

# ISO base media files (ISO/IEC 14496-12) open with an "ftyp" box naming a major brand and the brands
# the file is compatible with: the brand says what the file is, whatever it is called.
# HEIF stills (an iPhone's photos): "heic" and its relatives, or the generic "mif1" with "heic" among
# the compatible brands. Sequences ("msf1", "hevc") are moving pictures in HEIF: not accepted.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis"}
_HEIF_GENERIC = {b"mif1"}
# MP4 as phones and cameras write it; 3GP, audio-only (M4A) and other brands are not accepted.
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV"}
_MOV_BRAND = b"qt  "
# What may follow "ftyp" at the top level of a real file (ISO/IEC 14496-12, QuickTime).
_TOP_LEVEL_BOXES = {b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"pdin", b"moof", b"sidx", b"styp"}


# What a file's name says it is. A file whose name says one of these while its content is another is
# not what the resident meant to send, and would open wrongly for staff: it is refused (`name_contradicts`).
NAMED_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "jfif": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": WORD,
    "heic": HEIC,
    "heif": HEIC,
    "mp4": MP4,
    "m4v": MP4,
    "mov": MOV,
    "qt": MOV,
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    WORD: "docx",
    MP4: "mp4",
    MOV: "mov",
    HEIC: "heic",
    TEXT: "txt",
}
# Anything else, such as an email's attachment of a type no complaint record keeps.
UNKNOWN_EXTENSION = "bin"
# The end of a name that says what a file is: "report.pdf.exe" is shown as it came, but stored and
# downloaded as "report.pdf" if it is a PDF (and refused if it is a program).
_EXTENSION = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}$")


def extension(content_type: str) -> str:
    """The extension a file of this type is stored and downloaded with, whatever its name said."""
    return EXTENSIONS.get(content_type, UNKNOWN_EXTENSION)


def download_name(name: str, content_type: str) -> str:
    """The name a file is downloaded as: the name it came with, without whatever extensions it
    claimed, and with the one its content shows. The name as it came is only ever shown as text."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    while (claimed := _EXTENSION.search(stem)) and claimed.start() > 0:
        stem = stem[: claimed.start()]
    stem = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in stem).strip(" .") or "file"
    return f"{stem[:190]}.{extension(content_type)}"


def name_contradicts(name: str, content_type: str) -> bool:
    """Whether the name's extension says a type other than the content's. A video's name may say
    either MP4 or MOV: the two are the same kind of file, and players open both."""
    stem, dot, extension = name.rpartition(".")
    named = NAMED_TYPES.get(extension.lower()) if dot and stem else None
    if named is None:
        return False
    videos = {MP4, MOV}
    return named != content_type and not {named, content_type} <= videos


def iso_media_type(head: bytes) -> str:
    """HEIC, MP4 or MOV from an ISO base media file's "ftyp" box and the box after it; "" for
    anything else (a file merely named .mov or .heic is not one)."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return ""
    (box_size,) = struct.unpack(">I", head[:4])
    # The box holds the major brand, a version and whole four-byte brands.
    if box_size < 16 or box_size > 1024 or box_size % 4 or len(head) < box_size + 8:
        return ""
    major = head[8:12]
    compatible = {head[start : start + 4] for start in range(16, box_size, 4)}
    following = head[box_size + 4 : box_size + 8]
    if following not in _TOP_LEVEL_BOXES:
        return ""
    if major in _HEIC_BRANDS or (major in _HEIF_GENERIC and compatible & _HEIC_BRANDS):
        return HEIC
    if major == _MOV_BRAND:
        return MOV
    if major in _MP4_BRANDS:
        return MP4
    return ""


def first_bytes(upload: UploadedFile) -> bytes:
    """The first bytes of the file, which say what it is."""
    upload.seek(0)
    start = upload.read(8192)
    upload.seek(0)
    return bytes(start)


def content_type(upload: UploadedFile) -> str:
    """The MIME type the content shows, or "" when it is none that a complaint record may keep."""
    head = first_bytes(upload)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[4:8] == b"ftyp":
        return iso_media_type(head)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A character cut in two at the end of the sample is still text.
            if error.start < len(head) - 4:
                return ""
        # PDF readers open a file with "%PDF-" anywhere in its first kilobyte: text that is also a
        # PDF (an HTML page that is a PDF too) is two things at once, and is not kept as either.
        if b"%PDF-" in head[:1024]:
            return ""
        return TEXT
    return ""


# The content types an Office package declares for its macros (ECMA-376 and [MS-OFFMACRO]).
_MACRO_MARKS = (b"macroenabled", b"vbaproject", b"vbadata", b"activex")
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


def _office_type(upload: UploadedFile) -> str:
    """A Word document from a ZIP package's parts; MACRO_OFFICE for any Office package with macros
    (by its parts and its declared content types, whatever its name says); "" for anything else."""
    try:
        with zipfile.ZipFile(upload) as archive:  # the directory, and [Content_Types].xml if small
            entries = {info.filename: info for info in archive.infolist()}
            declared = entries.get("[Content_Types].xml")
            if declared is None:
                return ""
            if declared.file_size > _CONTENT_TYPES_MAX_BYTES:
                return ""
            types = archive.read(declared).lower()
    # Not a package Putright can read (zipfile raises NotImplementedError for a compression method it lacks,
    # RuntimeError for an encrypted part): not an Office file, so refused as an unknown type.
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return ""
    finally:
        upload.seek(0)
    parts = {name.lower() for name in entries}
    macro_parts = any(part.endswith(("vbaproject.bin", "vbadata.xml")) or "/activex/" in part for part in parts)
    if macro_parts or any(mark in types for mark in _MACRO_MARKS):
        return MACRO_OFFICE
    return WORD if "word/document.xml" in parts else ""
