"""Attachment providers for exported dossiers (exports.register_attachment_provider), one per source type.

The disclosure board's files live with the items (jiceng.disclosure.models.Attachment); each record of a published
item carries their names and SHA-256 in its snapshot, and the export adds the files themselves. The owning app may
move its provider into its own module; registering the same source type again replaces this one.
"""

from __future__ import annotations

from collections.abc import Iterator

from .exports import register_attachment_provider


@register_attachment_provider("disclosure.disclosureitem")
def disclosure_attachments(source_id: int) -> Iterator[tuple[str, bytes]]:
    from jiceng.disclosure.models import Attachment

    for attachment in Attachment.objects.filter(item_id=source_id).order_by("pk"):
        with attachment.file.open("rb") as handle:
            yield attachment.name, handle.read()
