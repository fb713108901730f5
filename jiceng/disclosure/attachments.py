"""Attachments to disclosure items: the shared upload checks (jiceng.core.uploads: formats, size, first bytes,
SHA-256) plus the per-item limit, so the archive can prove a file is the one published."""

from __future__ import annotations

from jiceng.core import uploads

from .models import Attachment, DisclosureItem

MAX_FILES_PER_ITEM = 20


def store(actor, item: DisclosureItem, *, name: str, content: bytes) -> Attachment:
    """The declared type comes from the checked extension, never from the client."""
    checked = uploads.check(name, content)
    if item.attachments.count() >= MAX_FILES_PER_ITEM:
        raise uploads.refusal(f"每项最多{MAX_FILES_PER_ITEM}个附件。",
                              f"At most {MAX_FILES_PER_ITEM} attachments per item.", "too_many_attachments")
    attachment = Attachment(item=item, name=checked.name, media_type=checked.media_type, size=checked.size,
                            sha256=checked.sha256, uploaded_by=actor)
    uploads.save(attachment.file, checked)
    attachment.save()
    return attachment
