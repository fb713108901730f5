"""The English UI: after a user switches language, pages come from the English catalog
(jiceng/locale/en/LC_MESSAGES/django.po, compiled to django.mo and kept in the repository)."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
CHINESE_NAV = ["首页", ">人员<", "组织形式预警", ">帮助<", "退出", "基层治理平台"]


def in_english(client, user):
    client.force_login(user)
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def po_entries(path: Path) -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of every entry of a PO file but its header; an entry with a msgctxt has
    the msgid a compiled catalog keys it by: the context, EOT (\\x04), the msgid."""
    entries, current, field, context = [], None, None, ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line.partition(" ")[2]) + "\x04"
            continue
        if line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            field, _, value = line.partition(" ")
            if field == "msgid":
                current = {"msgid": context, "msgid_plural": "", "msgstr": []}
                context = ""
                entries.append(current)
            if field.startswith("msgstr"):
                current["msgstr"].append("")
            line = value
        elif not line.startswith('"'):
            continue
        if field.startswith("msgstr"):
            current["msgstr"][-1] += ast.literal_eval(line)
        else:
            current[field] += ast.literal_eval(line)
    return [(e["msgid"], e["msgid_plural"], e["msgstr"]) for e in entries if e["msgid"]]


def test_home_page_in_english_has_english_labels_and_no_chinese_navigation(client, world):
    html = in_english(client, world.worker_a).get("/").content.decode()
    assert 'lang="en"' in html
    for label in ["Grassroots Governance Platform", "Home", ">People<", "Organisational form alerts", ">Help<",
                  "Log out", "My scope", "Find people", "Residents 1 · Bodies 0 · Sub-areas 1"]:
        assert label in html, label
    for label in CHINESE_NAV + ["我的工作范围", "查找人员", "下级区域"]:
        assert label not in html, label


def test_people_page_in_english(client, world):
    html = in_english(client, world.worker_a).get("/people/").content.decode()
    for label in ["<h1>People", "Import roster", "Name", "Gender", "Phone", "Citizen ID number", "Residence",
                  "Search"]:
        assert label in html, label
    for label in CHINESE_NAV + ["姓名", "性别", "联系电话", "公民身份号码", "导入花名册"]:
        assert label not in html, label
    assert "张三" in html  # data stays as entered


def test_area_and_import_pages_in_english(client, world):
    in_english(client, world.worker_a)
    area = client.get(f"/areas/{world.a.pk}/").content.decode()
    assert "Community" in area and "Sub-areas" in area and "Export roster" in area and "History" in area
    page = client.get("/people/import/").content.decode()
    assert "Download a blank template" in page and "Upload and import" in page
    # The headers a workbook must carry stay Chinese; what they mean is explained in English.
    assert '<td lang="zh-hans">公民身份号码' in page and "Format this column as text" in page


def test_roster_errors_are_shown_in_english(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    in_english(client, world.worker_a)
    job = client.post("/people/import/", {"area": world.a.pk, "file_name": "x.xls"},
                      headers={"HX-Request": "true"}).context["job"]
    html = client.post(f"/people/import/{job.pk}/run/", {"file": SimpleUploadedFile("x.xls", b"no")}).content.decode()
    assert "The file is not an Excel workbook" in html and "文件不是Excel工作簿" not in html


def test_switching_back_to_chinese_restores_the_chinese_labels(client, world):
    in_english(client, world.worker_a)
    client.post("/language/", {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    assert "首页" in html and ">人员<" in html and "My scope" not in html


@pytest.mark.parametrize("name", ["django.po", "django.mo"])
def test_the_english_catalog_is_in_the_repository(name):
    assert (CATALOG / name).is_file()


def test_every_message_is_translated_and_compiled():
    entries = po_entries(CATALOG / "django.po")
    assert len(entries) > 300
    untranslated = [msgid for msgid, _, msgstrs in entries if not all(msgstrs)]
    assert not untranslated, untranslated
    assert "#, fuzzy" not in (CATALOG / "django.po").read_text(encoding="utf-8")
    with open(CATALOG / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, plural, msgstrs in entries
             if (compiled.ngettext(msgid, plural, 2) if plural else compiled.gettext(msgid)) != msgstrs[-1]]
    assert not stale, f"django.mo is older than django.po (run `jiceng compilemessages`): {stale[:5]}"
