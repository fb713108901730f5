"""The agreement and the report upward read back with python-docx: A4, every paragraph exactly 30 pt, title
方正小标宋简体 22 pt, body 仿宋_GB2312 16 pt, headings 黑体 numbered 一、, the full date (A-FMT-01/04/05/06/08); and the
ledgers' contents (A-LEDG-01)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jiceng.zongzhi import documents, ledgers, services, stats
from jiceng.zongzhi.models import Dispute

from .conftest import days_ago, mediate, register

pytestmark = pytest.mark.django_db


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def assert_official(doc, title: str):
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for para in paragraphs(doc):
        assert para.paragraph_format.line_spacing == Pt(30)
        assert para.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    first = doc.paragraphs[0]
    assert first.text == title
    assert east_asian(first.runs[0]) == "方正小标宋简体" and first.runs[0].font.size == Pt(22)
    body = [p for p in doc.paragraphs[1:] if p.runs and p.text and p.text[0] not in "一二三四"]
    assert body and all(east_asian(p.runs[0]) == "仿宋_GB2312" and p.runs[0].font.size == Pt(16) for p in body)
    headings = [p for p in doc.paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、")]
    assert [h.text[:2] for h in headings] == ["一、", "二、", "三、", "四、"]
    assert all(east_asian(h.runs[0]) == "黑体" and h.runs[0].font.size == Pt(16) for h in headings)


def agreed(zz) -> Dispute:
    dispute = register(zz, ago=3)
    mediate(zz, dispute, ago=2)
    services.record_agreement(zz.worker_a, dispute, terms="李四赔偿张三丰800元。\n于十日内付清。",
                              signed_on=timezone.localdate())
    return Dispute.objects.get(pk=dispute.pk)


def test_agreement_docx_layout_and_masking(zz):
    dispute = agreed(zz)
    doc = Document(io.BytesIO(documents.agreement_docx(dispute, masked=False)))
    assert_official(doc, "人民调解协议书")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "张三丰" in text and "李四赔偿张三丰800元。" in text
    today = timezone.localdate()
    assert text.rstrip().endswith(f"{today.year}年{today.month}月{today.day}日")     # full date, no leading zeros
    masked = "\n".join(p.text for p in Document(io.BytesIO(documents.agreement_docx(dispute, masked=True))).paragraphs)
    assert "张三丰：" not in masked and "张*丰" in masked and "13812341234" not in masked


def test_report_docx_layout_with_cases_and_zero_report(zz):
    register(zz)
    today = timezone.localdate()
    start, end = today.replace(day=1), today
    figures, cases = stats.figures(zz.street, start, end), stats.case_rows(zz.street, start, end)
    title = documents.report_title(zz.street)
    assert len(title) <= 20                      # A-FMT-02
    doc = Document(io.BytesIO(documents.report_docx(zz.street, title=title, period_label="本月", figures=figures,
                                                    cases=cases, analysis="总体平稳。", day=today)))
    assert_official(doc, title)
    assert len(doc.tables) == 2 and doc.tables[1].rows[1].cells[0].text == cases[0]["register_no"]
    empty = stats.figures(zz.street, datetime.date(2020, 1, 1), datetime.date(2020, 1, 31))
    zero = Document(io.BytesIO(documents.report_docx(zz.street, title=title, period_label="2020年1月",
                                                     figures=empty, cases=[], analysis="", day=today)))
    assert any("零报告" in p.text for p in zero.paragraphs)


def test_full_date_has_no_leading_zeros():
    assert documents.full_date(datetime.date(2024, 6, 1)) == "2024年6月1日"


def test_ledgers_hold_the_right_records(zz):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)
    register(zz, category="illegal_building", level="general", title="违建阳台")
    register(zz, category="neighbour", title="邻里噪音")
    services.record_round(zz.worker_a, area=zz.a, held_on=today, findings=[
        {"description": "占道摆摊", "category": "street_occupation", "location": "长春路口"}])
    services.record_round(zz.worker_b, area=zz.b, held_on=today, findings=[])
    services.add_ledger_entry(zz.staff, area=zz.street, ledger="safe_building", occurred_on=today,
                              title="平安社区创建推进会")
    urban = ledgers.rows(zz.street, "urban_hotspot_remediation", start, today)
    assert {row["title"] for row in urban} == {"违建阳台", "占道摆摊"}
    main = ledgers.rows(zz.street, "dispute_screening_mediation", start, today)
    assert {row["title"] for row in main if row["source"] != "排查"} == {"违建阳台", "邻里噪音"}
    assert any(row["handling"] == "未排查出矛盾纠纷和问题隐患" and row["community"] == "青岛路社区" for row in main)
    assert [row["number"] for row in main] == list(range(1, len(main) + 1))
    assert [row["title"] for row in ledgers.rows(zz.street, "safe_building", start, today)] == ["平安社区创建推进会"]
    assert ledgers.rows(zz.street, "assessment_rewards", start, today) == []
    # A-LEDG-04: a community's own view holds only its records.
    assert {row["community"] for row in ledgers.rows(zz.b, "dispute_screening_mediation", start, today)} == {
        "青岛路社区"}
    # Outside the period nothing shows.
    assert ledgers.rows(zz.street, "urban_hotspot_remediation", start, today - datetime.timedelta(days=1)) == []


def test_ledger_includes_escalated_major_disputes_in_petition_ledger(zz):
    dispute = register(zz, level="major", category="major_dispute", title="群体性讨薪", ago=1)
    services.escalate(zz.staff, dispute, reason="需区级协调")
    rows = ledgers.rows(zz.street, "petition_stability", timezone.localdate(days_ago(5)), timezone.localdate())
    assert [row["title"] for row in rows] == ["群体性讨薪"]
