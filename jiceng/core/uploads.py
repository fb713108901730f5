"""Uploaded files kept as evidence (disclosure attachments, a matter's documents): only the formats a board shows
or prints, bounded in size (settings.JICENG_ATTACHMENT_MAX_BYTES), typed by extension and by the file's first
bytes, and stored under their SHA-256 so the archive can prove a file is the one uploaded.

    checked = uploads.check(name, content)        # raises ValidationFailed (400), writes nothing
    uploads.save(row.file, checked)               # the FileField of an unsaved row; then row.save()
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from jiceng.core.errors import ValidationFailed

# Type by extension and by the file's first bytes: a renamed executable is refused.
FORMATS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the base name as uploaded, at most 200 characters
    extension: str
    media_type: str  # from the checked extension, never from the client
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def refusal(zh: str, en: str, code: str, **facts) -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": "file", **facts})


def _too_large(size: int) -> ValidationFailed:
    limit = settings.JICENG_ATTACHMENT_MAX_BYTES
    return refusal(f"附件大小须在1字节至{limit // (1024 * 1024)}MB之间。",
                   f"Attachments must be 1 byte to {limit // (1024 * 1024)} MB.", "attachment_too_large",
                   size=size, limit=limit)


def read(upload) -> bytes:
    """The bytes of an uploaded file, refused before reading when its declared size is already over the limit."""
    if upload.size is not None and upload.size > settings.JICENG_ATTACHMENT_MAX_BYTES:
        raise _too_large(upload.size)
    return upload.read()


def check(name: str, content: bytes) -> CheckedFile:
    """The extension, the size and the first bytes; raises ValidationFailed (unsupported_attachment_type,
    attachment_too_large, attachment_content_mismatch)."""
    name = os.path.basename((name or "").strip())[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in FORMATS:
        raise refusal(f"不支持的附件格式「{ext or '无扩展名'}」，可上传：PDF、JPG、PNG、DOCX、XLSX。",
                      f"Unsupported attachment type {ext!r}; allowed: PDF, JPG, PNG, DOCX, XLSX.",
                      "unsupported_attachment_type", allowed=sorted(FORMATS))
    if not content or len(content) > settings.JICENG_ATTACHMENT_MAX_BYTES:
        raise _too_large(len(content or b""))
    declared, magics = FORMATS[ext]
    if not content.startswith(magics):
        raise refusal("附件内容与扩展名不符。", "The file's content does not match its extension.",
                      "attachment_content_mismatch", extension=ext)
    return CheckedFile(name=name, extension=ext, media_type=declared, content=content,
                       sha256=hashlib.sha256(content).hexdigest())


def save(field: FieldFile, checked: CheckedFile) -> None:
    """Write the file under its SHA-256 into `field` (of a row not yet saved: the caller saves it)."""
    field.save(f"{checked.sha256}{checked.extension}", ContentFile(checked.content), save=False)
