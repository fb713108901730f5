"""Attachments to disclosure items: only the formats a board shows or prints, bounded in size, stored once under
their SHA-256 so the archive can prove a file is the one published."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.files.base import ContentFile

from jiceng.core.errors import ValidationFailed

from .models import Attachment, DisclosureItem

# Type by extension and by the file's first bytes: a renamed executable is refused.
FORMATS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
MAX_FILES_PER_ITEM = 20


def _bad(zh: str, en: str, code: str, **facts) -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": "file", **facts})


def store(actor, item: DisclosureItem, *, name: str, content: bytes) -> Attachment:
    """The declared type comes from the checked extension, never from the client."""
    name = os.path.basename((name or "").strip())[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in FORMATS:
        raise _bad(f"不支持的附件格式「{ext or '无扩展名'}」，可上传：PDF、JPG、PNG、DOCX、XLSX。",
                   f"Unsupported attachment type {ext!r}; allowed: PDF, JPG, PNG, DOCX, XLSX.",
                   "unsupported_attachment_type", allowed=sorted(FORMATS))
    limit = settings.JICENG_ATTACHMENT_MAX_BYTES
    if not content or len(content) > limit:
        raise _bad(f"附件大小须在1字节至{limit // (1024 * 1024)}MB之间。",
                   f"Attachments must be 1 byte to {limit // (1024 * 1024)} MB.", "attachment_too_large",
                   size=len(content or b""), limit=limit)
    declared, magics = FORMATS[ext]
    if not content.startswith(magics):
        raise _bad("附件内容与扩展名不符。", "The file's content does not match its extension.",
                   "attachment_content_mismatch", extension=ext)
    if item.attachments.count() >= MAX_FILES_PER_ITEM:
        raise _bad(f"每项最多{MAX_FILES_PER_ITEM}个附件。", f"At most {MAX_FILES_PER_ITEM} attachments per item.",
                   "too_many_attachments")
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(item=item, name=name, media_type=declared, size=len(content), sha256=digest,
                            uploaded_by=actor)
    attachment.file.save(f"{digest}{ext}", ContentFile(content), save=False)
    attachment.save()
    return attachment
