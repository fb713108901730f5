"""Files kept with a matter (issue #5: "implementation progress updates (with photos or documents) are kept on the
matter"; R-ARCH-04/05: the matter's content and its original materials belong in its dossier).

Each file is checked and stored by jiceng.core.uploads, and filed as a "matter.document" record (name, kind, size,
SHA-256) into the matter's dossier; the provider below puts the file itself into the exported dossier .zip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from jiceng.archives import services as archives
from jiceng.archives.exports import register_attachment_provider
from jiceng.audit.services import record_event
from jiceng.core import uploads
from jiceng.core.errors import Conflict, ValidationFailed

from .models import Matter, MatterDocument, Progress
from .services import _locked, _require

MAX_DOCUMENTS_PER_MATTER = 200


def attach_document(actor, matter: Matter, *, name: str, content: bytes, kind: str,
                    progress: Progress | None = None) -> MatterDocument:
    """Keep a file with `matter`: original material, a progress photo (JPG or PNG) or another document, optionally
    tied to one of its progress entries. Needs RUN_MEETINGS on the community; refused once the matter is closed
    (409 matter_closed). Raises PermissionDenied, Conflict or ValidationFailed (the upload checks) and then writes
    nothing; otherwise stores the file, files its record into the dossier and audits, in one transaction."""
    if kind not in MatterDocument.Kind.values:
        raise ValidationFailed("资料类型须为原始资料、进展照片或其他文件。", "kind is original, photo or other.",
                               facts={"field": "kind"})
    with transaction.atomic():
        matter = _locked(matter)
        _require(actor, matter.community)
        if matter.status == Matter.Status.CLOSED:
            raise Conflict("事项已结案，档案已立卷，不能再添加资料。",
                           "The matter is closed and its dossier filed; no document can be added.",
                           code="matter_closed", facts={"status": matter.status})
        if progress is not None and progress.matter_id != matter.pk:
            raise ValidationFailed("请选择本事项的一条进展记录。", "Choose a progress entry of this matter.",
                                   facts={"field": "progress"})
        checked = uploads.check(name, content)
        if kind == MatterDocument.Kind.PHOTO and checked.media_type not in uploads.IMAGE_TYPES:
            raise uploads.refusal("进展照片须为JPG或PNG格式。", "A progress photo is a JPG or PNG file.",
                                  "photo_not_an_image", media_type=checked.media_type)
        if matter.documents.count() >= MAX_DOCUMENTS_PER_MATTER:
            raise uploads.refusal(f"每个事项最多{MAX_DOCUMENTS_PER_MATTER}份资料。",
                                  f"At most {MAX_DOCUMENTS_PER_MATTER} documents per matter.", "too_many_documents")
        document = MatterDocument(matter=matter, progress=progress, kind=kind, name=checked.name,
                                  media_type=checked.media_type, size=checked.size, sha256=checked.sha256,
                                  uploaded_by=actor)
        uploads.save(document.file, checked)
        document.save()
        facts = {"document": document.pk, "name": document.name, "kind": kind, "media_type": document.media_type,
                 "size": document.size, "sha256": document.sha256, "progress": progress.pk if progress else None}
        record_event(actor, "decisions.document_attached", matter, area=matter.community, after=facts)
        archives.file_record(actor, matter.dossier, kind="matter.document",
                             title=f"{MatterDocument.Kind(kind).label}：{document.name}", source=document,
                             occurred_at=timezone.now(), data={"matter": matter.pk, "title": matter.title, **facts})
        return document


@register_attachment_provider("decisions.matterdocument")
def document_files(source_id: int) -> Iterator[tuple[str, bytes]]:
    """The file of a "matter.document" record, named by its SHA-256 (the record holds the uploaded name)."""
    document = MatterDocument.objects.filter(pk=source_id).first()
    if document is None:
        return
    with document.file.open("rb") as handle:
        yield f"{document.sha256}{os.path.splitext(document.name)[1].lower()}", handle.read()
