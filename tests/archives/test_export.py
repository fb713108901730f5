"""Export of a dossier as a self-verifying .zip and its offline check (R-ARCH-02, A-SEC-01, `jiceng verify
--dossier`)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jiceng.archives import services
from jiceng.archives.exports import export_zip, verify_zip
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import RuleViolation
from tests.disclosure.conftest import disc_world, party_draft, passed_item  # noqa: F401


def _rewrite(data: bytes, name: str, content: bytes) -> bytes:
    """The zip with member `name` replaced by `content`, everything else as it was."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


def test_export_round_trip_is_clean(arc):
    data = export_zip(arc.dossier)
    assert verify_zip(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert [r["file"] for r in manifest["records"]] == ["records/001-test.filed.json", "records/002-test.filed.json"]
    first = arc.dossier.records.get(sequence=1)
    assert archive.read("records/001-test.filed.json").decode() == first.content
    assert manifest["records"][0]["sha256"] == first.sha256
    assert manifest["dossier"]["retention"] == "permanent"
    html = archive.read("dossier.html").decode()
    assert "卷内文件目录" in html and "收入100元" in html and "size: A4" in html


def test_a_tampered_record_file_is_reported(arc):
    data = _rewrite(export_zip(arc.dossier), "records/002-test.filed.json", b'{"amount":"125.00"}')
    problems = verify_zip(data)
    assert len(problems) == 1 and "record 2" in problems[0]


def test_a_tampered_manifest_is_reported(arc):
    data = export_zip(arc.dossier)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    manifest["records"][0]["title"] = "改过的题名"
    problems = verify_zip(_rewrite(data, "manifest.json", json.dumps(manifest).encode()))
    assert problems == ["manifest.json does not match the hash in manifest.sha256"]


def test_an_added_file_and_garbage_are_reported(arc):
    data = export_zip(arc.dossier)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("records/999-extra.json", b"{}")
    assert verify_zip(out.getvalue()) == ["records/999-extra.json is not listed in the manifest"]
    assert verify_zip(b"not a zip") == ["not a zip file"]


def test_verify_dossier_option(arc, tmp_path, capsys):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    data = export_zip(arc.dossier)
    good.write_bytes(data)
    bad.write_bytes(_rewrite(data, "records/001-test.filed.json", b"{}"))
    call_command("verify", dossier=[str(good)])
    assert "intact" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 of 1 exported dossier"):
        call_command("verify", dossier=[str(bad)])
    assert "record 1" in capsys.readouterr().err


def test_verify_dossier_exit_codes_from_the_command_line(arc, tmp_path):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    data = export_zip(arc.dossier)
    good.write_bytes(data)
    bad.write_bytes(_rewrite(data, "manifest.sha256", b"0" * 64 + b"  manifest.json\n"))
    command = [sys.executable, "-m", "jiceng.cli", "verify", "--dossier"]
    assert subprocess.run([*command, str(good)], capture_output=True).returncode == 0
    failed = subprocess.run([*command, str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1 and "manifest.sha256" in failed.stderr


def _docx(data: bytes):
    return Document(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("dossier.docx")))


def _cells(doc) -> list[str]:
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def test_the_zip_carries_the_dossier_as_an_official_docx_listed_with_its_hash(arc):
    data = export_zip(arc.dossier)
    archive = zipfile.ZipFile(io.BytesIO(data))
    entry = next(d for d in json.loads(archive.read("manifest.json"))["documents"] if d["name"] == "dossier.docx")
    docx = archive.read("dossier.docx")
    assert entry == {"name": "dossier.docx", "file": "dossier.docx", "sha256": hashlib.sha256(docx).hexdigest(),
                     "size": len(docx)}
    doc = _docx(data)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == arc.dossier.title and doc.core_properties.title == arc.dossier.title
    assert "卷内文件目录" in texts and "1．第一件" in texts and "2．第二件" in texts
    cells = _cells(doc)
    first = arc.dossier.records.get(sequence=1)
    assert "件数" in cells and "第一件" in cells and "第二件" in cells and first.sha256[:12] in cells
    assert first.sha256 in cells and "收入100元" in cells and "12.50" in cells
    assert "永久" in cells  # the retention shown by its label, not "permanent"


def test_dossier_docx_is_a4_with_the_official_margins_fonts_and_page_numbers(arc):
    doc = _docx(export_zip(arc.dossier))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    for paragraph in doc.paragraphs:
        assert paragraph.paragraph_format.line_spacing == Pt(30)
        assert paragraph.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    record = next(p for p in doc.paragraphs if p.text == "1．第一件")
    assert record.paragraph_format.page_break_before
    assert "PAGE" in section.footer.paragraphs[0]._p.xml and "PAGE" in section.even_page_footer.paragraphs[0]._p.xml


def test_two_exports_of_the_same_dossier_carry_the_same_docx(arc):
    first, second = (zipfile.ZipFile(io.BytesIO(export_zip(arc.dossier))).read("dossier.docx") for _ in range(2))
    assert first == second


def test_a_tampered_or_missing_docx_is_reported(arc, tmp_path, capsys):
    data = export_zip(arc.dossier)
    forged = io.BytesIO()
    doc = _docx(data)
    doc.add_paragraph("补写的一段")
    doc.save(forged)
    problems = verify_zip(_rewrite(data, "dossier.docx", forged.getvalue()))
    assert len(problems) == 1 and problems[0].startswith("document dossier.docx: dossier.docx does not match")
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "dossier.docx":
                target.writestr(info, source.read(info.filename))
    assert verify_zip(out.getvalue()) == ["document dossier.docx: dossier.docx is missing"]
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(data)
    bad.write_bytes(_rewrite(data, "dossier.docx", forged.getvalue()))
    call_command("verify", dossier=[str(good)])
    assert "intact" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 of 1 exported dossier"):
        call_command("verify", dossier=[str(bad)])
    assert "dossier.docx" in capsys.readouterr().err


def test_a_record_with_control_characters_still_renders_in_the_docx(arc):
    services.file_record(arc.worker_a, arc.dossier, kind="test.filed", title="第三件\x07",
                         data={"note": "响铃\x07与换行\n第二行"}, source=arc.a, occurred_at=timezone.now())
    data = export_zip(arc.dossier)
    assert verify_zip(data) == []
    doc = _docx(data)
    assert "3．第三件" in [p.text for p in doc.paragraphs]
    assert "响铃与换行\n第二行" in _cells(doc)


def test_external_export_requires_an_approval_record(arc):
    with pytest.raises(RuleViolation) as refused:
        services.export_dossier(arc.worker_a, arc.dossier, external=True)
    assert refused.value.code == "external_export_requires_approval" and refused.value.rule_id == "A-SEC-01"
    assert not AuditEvent.objects.filter(action="archives.exported").exists()
    approval = services.approve_export(arc.worker_a, arc.dossier, recipient="区档案局", purpose="年度检查",
                                       approved_by_user=arc.u.director)
    data = services.export_dossier(arc.worker_a, arc.dossier, external=True, approval=approval)
    assert verify_zip(data) == []
    assert AuditEvent.objects.get(action="archives.exported").after["recipient"] == "区档案局"


def test_an_approval_by_someone_not_a_street_leader_is_refused(arc):
    with pytest.raises(RuleViolation) as refused:
        services.approve_export(arc.worker_a, arc.dossier, recipient="某公司", purpose="查阅",
                                approved_by_user=arc.u.archivist)
    assert refused.value.code == "approver_not_entitled"


def test_a_published_disclosure_items_attachment_is_in_the_zip(disc_world, settings, tmp_path):  # noqa: F811
    from jiceng.disclosure import services as disclosure

    settings.MEDIA_ROOT = tmp_path
    w = disc_world
    item = party_draft(w)
    disclosure.attach(w.u.officer, item, name="会议记录.pdf", content=b"%PDF-1.4 minutes")
    disclosure.record_decision(w.u.officer, item, agenda_item=passed_item(w))
    disclosure.sign(w.u.secretary, item)
    item = disclosure.publish(w.u.officer, item)
    dossier = services.records_of(item).last().dossier
    data = export_zip(dossier)
    assert verify_zip(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    (entry,) = json.loads(archive.read("manifest.json"))["attachments"]
    assert entry["file"].startswith(f"attachments/disclosure.disclosureitem-{item.pk}/")
    assert archive.read(entry["file"]) == b"%PDF-1.4 minutes"
    assert entry["sha256"] == item.attachments.get().sha256
    assert entry["sha256"] in _cells(_docx(data))  # the attachment list of dossier.docx
    tampered = _rewrite(data, entry["file"], b"%PDF-1.4 forged")
    assert any("attachment" in p for p in verify_zip(tampered))


def test_a_changed_printable_page_is_reported(world):
    """dossier.html is hashed like every other file: a forged page in the zip does not pass."""
    import io
    import zipfile

    from django.utils import timezone

    from jiceng.archives import services
    from jiceng.archives.exports import export_zip, verify_zip
    from jiceng.archives.models import Dossier

    dossier = services.yearly_dossier(world.a, Dossier.Series.PARTY_DISCLOSURE, 2026)
    services.file_record(world.root, dossier, kind="test.filed", title="公开内容", data={"text": "原文"},
                         source=world.a, occurred_at=timezone.now())
    original = zipfile.ZipFile(io.BytesIO(export_zip(dossier)))
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w") as out:
        for name in original.namelist():
            data = original.read(name)
            out.writestr(name, data.replace("原文".encode(), "伪造".encode()) if name == "dossier.html" else data)
    assert any("dossier.html" in problem for problem in verify_zip(forged.getvalue()))
