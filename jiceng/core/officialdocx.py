"""The official document layout as .docx (GB/T 9704-2012 defaults and the seeds' fixed 30-pound line spacing,
rules-admin A-FMT-01/04/06/07), shared by the meeting minutes and the exported dossier.

`new_document()` gives a document with the page set up (A4; margins 37/35/28/26 mm), the body style (仿宋_GB2312
16 pt, exactly 30 pt) and the page numbers ("— 1 —" in 宋体 14 pt, right on odd and left on even pages);
`paragraph()` and `table()` add content in that layout, and `save()` returns the bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# A-FMT-06 (GB/T 9704 defaults): title, body, level-one/two/three headings, page numbers.
TITLE_FONT, BODY_FONT = "方正小标宋简体", "仿宋_GB2312"
HEADING_FONTS = {"h2": "黑体", "h3": "楷体_GB2312", "h4": BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = 22, 16, 14
LINE = 30  # A-FMT-04: every paragraph exactly 30 pt
INDENT = Pt(32)  # two characters of 16 pt
Align = WD_ALIGN_PARAGRAPH

# XML 1.0 forbids most control characters; lxml refuses them, so text from records is cleaned first.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def new_document():
    """An empty document in the official layout: A4, GB/T 9704 margins, 仿宋_GB2312 16 pt body at exactly 30 pt,
    and page numbers in the footers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    exactly(normal.paragraph_format)
    doc.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer.paragraphs[0], outer_right=True)
    page_number(section.even_page_footer.paragraphs[0], outer_right=False)
    return doc


def paragraph(doc, text: str, font: str = BODY_FONT, size: float = BODY_SIZE, *, bold: bool = False,
              align=None, indent: bool = True, color: str | None = None, page_break: bool = False):
    """Add one paragraph at exactly 30 pt: indented two characters unless `indent=False`."""
    para = doc.add_paragraph()
    exactly(para.paragraph_format)
    if indent:
        para.paragraph_format.first_line_indent = INDENT
    if align is not None:
        para.alignment = align
    if page_break:
        para.paragraph_format.page_break_before = True
    run = para.add_run(clean(text))
    set_font(run, font, size, bold=bold)
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    return para


def table(doc, rows: list[list[str]], *, header: list[str] | None = None, size: float = 12, line: float = 18,
          widths: list[float] | None = None):
    """Add a ruled table in a smaller size (as the print page's tables), header cells in 黑体; `widths` in mm."""
    grid = doc.add_table(rows=0, cols=len(header or rows[0]))
    grid.style = doc.styles["Table Grid"]
    for index, cells in enumerate(([header] if header else []) + rows):
        row = grid.add_row()
        for column, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            para = cell.paragraphs[0]
            exactly(para.paragraph_format, line)
            bold_font = HEADING_FONTS["h2"] if header and index == 0 else BODY_FONT
            set_font(para.add_run(clean(text)), bold_font, size)
            if widths:
                cell.width = Mm(widths[column])
    return grid


def exactly(paragraph_format, points: float = LINE) -> None:
    """Fixed line spacing ("exactly", 600 twips for 30 pt) and no space before or after."""
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)


def set_font(target, name: str, size: float, *, bold: bool = False) -> None:
    """Set Latin and East Asian font (w:rFonts w:eastAsia) and size of a run or a style."""
    target.font.name = name
    target.font.size = Pt(size)
    target.font.bold = bold
    r_fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), name)


def page_number(para, *, outer_right: bool) -> None:
    """GB/T 9704: "— 1 —" in 宋体 四号, one character in from the outer edge (right on odd pages)."""
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if outer_right else WD_ALIGN_PARAGRAPH.LEFT
    if outer_right:
        para.paragraph_format.right_indent = Pt(14)
    else:
        para.paragraph_format.left_indent = Pt(14)

    def run(text: str = ""):
        part = para.add_run(text)
        set_font(part, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        return part

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        part = run()
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif instruction == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        else:
            element = OxmlElement("w:t")
            element.text = instruction
        part._r.append(element)
    run(" —")


def clean(text: str) -> str:
    """The text without the control characters XML cannot hold (tabs and line breaks are kept)."""
    return _NOT_XML.sub("", text)


def save(doc, *, date_time: tuple[int, ...] | None = None) -> bytes:
    """The document as .docx bytes; with `date_time`, every part gets that time, so equal documents give equal
    bytes (python-docx stamps the parts with the current time)."""
    out = io.BytesIO()
    doc.save(out)
    if date_time is None:
        return out.getvalue()
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(copy, source.read(info.filename))
    return fixed.getvalue()
