"""The dossier as an official .docx (issue #5), the same content as dossier.html in the minutes' layout
(jiceng.core.officialdocx: GB/T 9704-2012 page, fonts, spacing and page numbers, rules-admin A-FMT-01/04/06/07).

A cover (title, 立档单位, category, 卷号, retention, date range, number of records), the contents (卷内文件目录),
each record on a new page with its fields as the print page shows them (exports.readable), then the attachments
with their SHA-256. export_zip puts it in the zip as dossier.docx, hashed in the manifest like every other file.
"""

from __future__ import annotations

from django.utils import timezone, translation

from jiceng.core import officialdocx as ox

from .exports import readable
from .models import Dossier, Record

# Fixed part times inside the .docx, as the zip's own members (exports.ZIP_TIME).
DOCX_TIME = (1980, 1, 1, 0, 0, 0)
SHORT_HASH = 12  # hex digits of the SHA-256 shown in the contents; the record's page gives all 64


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _day(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d")


def _cover_facts(dossier: Dossier, records: list[Record]) -> list[list[str]]:
    retention = dossier.get_retention_display()
    if dossier.retention_until:
        retention += f"（至{dossier.retention_until:%Y-%m-%d}）"
    if records:
        times = [r.occurred_at for r in records]
        span = f"{_day(min(times))} 至 {_day(max(times))}"
    else:
        span = "—"
    return [["立档单位", dossier.area.name], ["档案类别", dossier.get_series_display()], ["卷号", dossier.key],
            ["保管期限", retention], ["起止日期", span], ["件数", str(len(records))]]


def render_dossier_docx(dossier: Dossier, records: list[Record], attachments: list[dict] | None = None) -> bytes:
    """The dossier as .docx bytes in the official layout: cover, contents, each record, the attachment list.

    `attachments` are the manifest's attachment entries (file, size, sha256). Equal content gives equal bytes."""
    heading = ox.HEADING_FONTS["h2"]
    doc = ox.new_document()
    doc.core_properties.title = ox.clean(dossier.title)
    doc.core_properties.created = dossier.created_at
    doc.core_properties.modified = max((r.filed_at for r in records), default=dossier.created_at)
    with translation.override("zh-hans"):
        ox.paragraph(doc, dossier.title, ox.TITLE_FONT, ox.TITLE_SIZE, align=ox.Align.CENTER, indent=False)
        ox.table(doc, _cover_facts(dossier, records), widths=[30, 126])

        ox.paragraph(doc, "卷内文件目录", heading, indent=False, page_break=True)
        if records:
            ox.table(doc, [[str(r.sequence), r.title, _when(r.occurred_at), _when(r.filed_at), r.sha256[:SHORT_HASH]]
                           for r in records],
                     header=["件号", "文件题名", "形成时间", "归档时间", "内容摘要"], widths=[12, 60, 28, 28, 28])
        else:
            ox.paragraph(doc, "本卷尚无文件。")

        for record in records:
            ox.paragraph(doc, f"{record.sequence}．{record.title}", heading, indent=False, page_break=True)
            ox.table(doc, [["文件类型", record.kind], ["形成时间", _when(record.occurred_at)],
                           ["归档时间", _when(record.filed_at)], ["内容摘要", record.sha256]], widths=[30, 126])
            rows = [[key, value] for key, value in readable(record)]
            if rows:
                ox.paragraph(doc, "内容", heading, indent=False)
                ox.table(doc, rows, widths=[30, 126])

        if attachments:
            ox.paragraph(doc, "附件", heading, indent=False, page_break=True)
            ox.table(doc, [[a["file"], str(a["size"]), a["sha256"]] for a in attachments],
                     header=["文件", "大小（字节）", "SHA-256"], widths=[60, 20, 76])
    return ox.save(doc, date_time=DOCX_TIME)
