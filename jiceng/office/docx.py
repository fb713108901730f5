"""An outgoing document as .docx in the official layout (GB/T 9704-2012 via jiceng.core.officialdocx; rules-admin
A-FMT-01/04/05/06/08/11): red issuer mark, number, red rule, title, main recipients, body with level headings in
their fonts, signature block and date written in full."""

from __future__ import annotations

import re

from jiceng.core import officialdocx as od

from .models import OutgoingDocument

RED = "FF0000"
ISSUER_NAMES = {"party_wc": "中共{street}工作委员会", "street_office": "{street}办事处", "mass_org": "{street}群团组织"}
LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def issuer_name(doc: OutgoingDocument) -> str:
    return ISSUER_NAMES[doc.issuer].format(street=doc.area.name)


def full_date(day) -> str:
    """A-FMT-05: year, month and day in Arabic numerals without leading zeros ("2024年6月1日")."""
    return f"{day.year}年{day.month}月{day.day}日"


def render(doc: OutgoingDocument) -> bytes:
    document = od.new_document()
    od.paragraph(document, f"{issuer_name(doc)}文件", od.TITLE_FONT, 26, align=od.Align.CENTER, indent=False,
                 color=RED)
    od.paragraph(document, doc.number or "（未编号）", align=od.Align.CENTER, indent=False)
    od.paragraph(document, "━" * 24, align=od.Align.CENTER, indent=False, color=RED)
    od.paragraph(document, doc.title, od.TITLE_FONT, od.TITLE_SIZE, align=od.Align.CENTER, indent=False)
    od.paragraph(document, f"{doc.recipients}：", indent=False)
    for line in (text.strip() for text in doc.body.splitlines()):
        if not line:
            continue
        if LEVEL1.match(line):
            od.paragraph(document, line, od.HEADING_FONTS["h2"])
        elif LEVEL2.match(line):
            od.paragraph(document, line, od.HEADING_FONTS["h3"])
        else:
            od.paragraph(document, line)
    od.paragraph(document, "", indent=False)
    signature = od.paragraph(document, issuer_name(doc), align=od.Align.RIGHT, indent=False)
    signature.paragraph_format.right_indent = od.Pt(64)
    if doc.issued_on:
        dated = od.paragraph(document, full_date(doc.issued_on), align=od.Align.RIGHT, indent=False)
        dated.paragraph_format.right_indent = od.Pt(64)  # four characters in from the right (GB/T 9704)
    return od.save(document)
