"""The 综治 documents as .docx in the official layout (jiceng.core.officialdocx; A-FMT-01 A4, A-FMT-04 every
paragraph exactly 30 pt, A-FMT-06 title 方正小标宋简体 22 pt and body 仿宋_GB2312 16 pt, A-FMT-08 headings 一、,
A-FMT-05 signature block and full date): the mediation agreement (A-ZZ-79, inferred document) and the report
upward (A-ZZ-27 statistics with the 个案登记表; A-ZZ-28 quarterly analysis)."""

from __future__ import annotations

import datetime

from jiceng.core import officialdocx as docx
from jiceng.core.masking import mask_id_number, mask_name, mask_phone

from .ledgers import figure_lines

H1 = docx.HEADING_FONTS["h2"]  # level-one heading: 黑体 三号


def full_date(day: datetime.date) -> str:
    """A-FMT-05: Arabic numerals without leading zeros, 年月日 in full."""
    return f"{day.year}年{day.month}月{day.day}日"


def _title(doc, text: str) -> None:
    docx.paragraph(doc, text, docx.TITLE_FONT, docx.TITLE_SIZE, align=docx.Align.CENTER, indent=False)


def _heading(doc, number: int, text: str) -> None:
    docx.paragraph(doc, f"{'一二三四五六七八九十'[number - 1]}、{text}", H1, docx.BODY_SIZE)


def _signature(doc, unit: str, day: datetime.date) -> None:
    """Unit name over the date, the date right-indented four characters (A-FMT-05)."""
    docx.paragraph(doc, "", indent=False)
    unit_para = docx.paragraph(doc, unit, align=docx.Align.RIGHT, indent=False)
    unit_para.paragraph_format.right_indent = docx.Pt(docx.BODY_SIZE * 2)
    date_para = docx.paragraph(doc, full_date(day), align=docx.Align.RIGHT, indent=False)
    date_para.paragraph_format.right_indent = docx.Pt(docx.BODY_SIZE * 4)


def agreement_docx(dispute, *, masked: bool) -> bytes:
    """人民调解协议书 of `dispute` (which must have an agreement); parties' personal data masked when `masked`."""
    agreement = dispute.agreement
    doc = docx.new_document()
    _title(doc, "人民调解协议书")
    docx.paragraph(doc, f"编号：{dispute.register_no}", align=docx.Align.RIGHT, indent=False)
    for party in dispute.parties.all():
        name = mask_name(party.name) if masked else party.name
        details = [f"{party.get_side_display()}：{name}"]
        if party.id_number:
            details.append(f"公民身份号码：{mask_id_number(party.id_number) if masked else party.id_number}")
        if party.phone:
            details.append(f"联系电话：{mask_phone(party.phone) if masked else party.phone}")
        if party.address and not masked:
            details.append(f"住址：{party.address}")
        docx.paragraph(doc, "，".join(details))
    _heading(doc, 1, "纠纷主要事实、争议事项")
    docx.paragraph(doc, dispute.facts)
    _heading(doc, 2, "经调解，自愿达成如下协议")
    for line in agreement.terms.splitlines():
        if line.strip():
            docx.paragraph(doc, line.strip())
    _heading(doc, 3, "履行方式、时限")
    docx.paragraph(doc, agreement.performance or "双方当事人按上述协议自觉履行。")
    _heading(doc, 4, "其他")
    docx.paragraph(doc, "本协议一式三份，双方当事人、调解组织各持一份，自各方签名之日起生效。调解实行无偿服务。")
    docx.paragraph(doc, "", indent=False)
    docx.paragraph(doc, "当事人（签名）：", indent=False)
    mediator = dispute.mediator.name if dispute.mediator else ""
    docx.paragraph(doc, f"调解员（签名）：{mediator}", indent=False)
    _signature(doc, f"{dispute.area.name}人民调解委员会", agreement.signed_on)
    return docx.save(doc)


def report_docx(area, *, title: str, period_label: str, figures: dict, cases: list[dict], analysis: str,
                day: datetime.date, quarterly: bool = False) -> bytes:
    """The report upward: basic figures, the statistics table, the 个案登记表 (or the zero report), the analysis."""
    doc = docx.new_document()
    _title(doc, title)
    docx.paragraph(doc, "区综治办、区司法局：", indent=False)
    docx.paragraph(doc, f"现将{area.name}{period_label}矛盾纠纷排查调处情况报告如下。")
    _heading(doc, 1, "基本情况")
    if figures["registered"]:
        docx.paragraph(doc, f"本期共受理矛盾纠纷{figures['registered']}件，调解成功{figures['resolved']}件，"
                            f"调解不成{figures['failed']}件，正在调处{figures['in_progress']}件，上报"
                            f"{figures['escalated']}件；开展排查{figures['screening_rounds']}次，排查发现问题"
                            f"{figures['screening_findings']}个。")
    else:
        docx.paragraph(doc, f"本期未受理矛盾纠纷，实行零报告；开展排查{figures['screening_rounds']}次。")
    _heading(doc, 2, "矛盾纠纷排查调处情况统计")
    docx.table(doc, [[label, str(value)] for label, value in figure_lines(figures)], header=["项目", "数量"],
               line=docx.LINE, widths=[110, 46])
    _heading(doc, 3, "个案登记")
    if cases:
        docx.table(doc, [[c["register_no"], c["title"], c["category"], c["status"], c["outcome"]] for c in cases],
                   header=["登记编号", "纠纷事项", "类别", "状态", "结果"], line=docx.LINE)
    else:
        docx.paragraph(doc, "本期无案件。")
    _heading(doc, 4, "治安形势分析" if quarterly else "情况分析")
    docx.paragraph(doc, analysis or "无。")
    _signature(doc, f"{area.name}综治中心" if area.level == "street" else f"{area.name}综治办", day)
    return docx.save(doc)


def report_title(area) -> str:
    """`{单位}{文种}` within 20 characters (A-FMT-02/03); the period is named in the first paragraph."""
    return f"{area.name}矛盾纠纷排查调处情况报告"

