"""Files kept with a matter (issue #5; R-ARCH-04/05): checked like disclosure attachments, filed into the
matter's dossier with their SHA-256, exported inside the dossier .zip, and served only to who can see the matter."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone

from jiceng.accounts.services import issue_token
from jiceng.archives.exports import verify_zip
from jiceng.archives.models import Record
from jiceng.audit.models import AuditEvent
from jiceng.decisions import services
from jiceng.decisions.documents import attach_document
from jiceng.decisions.models import Matter, MatterDocument

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.4 original survey"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def matter(dec_world):
    return services.open_matter(dec_world.worker_a, community=dec_world.a, topic="T4", title="3号楼加装电梯",
                                summary="3号楼居民申请加装电梯。", initiator="3号楼居民",
                                occurred_at=timezone.now() - datetime.timedelta(days=3))


def attach(actor, matter, name: str, content: bytes, **kw) -> MatterDocument:
    return attach_document(actor, matter, name=name, content=content, **kw)


def upload(client, user, matter, name: str, content: bytes, **fields):
    data = io.BytesIO(content)
    data.name = name
    return client.post(f"/api/v1/matters/{matter.pk}/documents", {"file": data, "kind": "original", **fields},
                       headers={"Authorization": f"Bearer {issue_token(user, user)}"})


def nothing_written(matter, media) -> bool:
    return (not MatterDocument.objects.exists() and not Record.objects.filter(kind="matter.document").exists()
            and not AuditEvent.objects.filter(action="decisions.document_attached").exists()
            and not any(p.is_file() for p in media.rglob("*")))


def test_upload_keeps_the_file_with_its_hash_and_files_it_into_the_dossier(dec_world, client, api, matter):
    response = upload(client, dec_world.worker_a, matter, "入户调查表.pdf", PDF)
    assert response.status_code == 201, response.content
    (row,) = response.json()["documents"]
    assert row["name"] == "入户调查表.pdf" and row["kind"] == "original" and row["media_type"] == "application/pdf"
    assert row["size"] == len(PDF) and row["sha256"] == hashlib.sha256(PDF).hexdigest()
    document = MatterDocument.objects.get()
    assert document.file.read() == PDF and document.uploaded_by == dec_world.worker_a
    record = matter.dossier.records.get(kind="matter.document")
    filed = json.loads(record.content)
    assert (filed["name"], filed["kind"], filed["size"], filed["sha256"]) == ("入户调查表.pdf", "original", len(PDF),
                                                                             row["sha256"])
    assert AuditEvent.objects.filter(action="decisions.document_attached").count() == 1
    assert api(dec_world.worker_a).get(f"/api/v1/matters/{matter.pk}").json()["documents"] == [row]


def test_a_progress_photo_is_tied_to_its_progress_entry(dec_world, matter):
    progress = matter.progress.create(kind="update", text="已完成地基施工", occurred_at=timezone.now(),
                                      recorded_by=dec_world.worker_a)
    document = attach(dec_world.worker_a, matter, "施工.png", PNG, kind="photo", progress=progress)
    assert document.progress == progress and document.media_type == "image/png"


def test_a_renamed_executable_is_refused_and_nothing_is_written(dec_world, client, matter, media):
    response = upload(client, dec_world.worker_a, matter, "照片.jpg", b"MZ\x90\x00 not a photo")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "attachment_content_mismatch"
    assert nothing_written(matter, media)


def test_an_oversized_file_is_refused_and_nothing_is_written(dec_world, client, matter, media, settings):
    settings.JICENG_ATTACHMENT_MAX_BYTES = 16
    response = upload(client, dec_world.worker_a, matter, "调查表.pdf", PDF)
    assert response.status_code == 400 and response.json()["error"]["code"] == "attachment_too_large"
    assert nothing_written(matter, media)


def test_upload_to_a_closed_matter_is_refused(dec_world, client, matter, media):
    Matter.objects.filter(pk=matter.pk).update(status=Matter.Status.CLOSED)  # as close_matter leaves it
    response = upload(client, dec_world.worker_a, matter, "补充.pdf", PDF)
    assert response.status_code == 409 and response.json()["error"]["code"] == "matter_closed"
    assert nothing_written(matter, media)


def test_another_communitys_worker_gets_404(dec_world, client, matter, media):
    assert upload(client, dec_world.worker_b, matter, "x.pdf", PDF).status_code == 404
    assert nothing_written(matter, media)
    document = attach(dec_world.worker_a, matter, "x.pdf", PDF, kind="other")
    client.force_login(dec_world.worker_b)
    assert client.get(f"/matters/{matter.pk}/documents/{document.pk}/").status_code == 404


def test_exported_dossier_zip_contains_the_file_and_verifies(dec_world, api, matter):
    document = attach(dec_world.worker_a, matter, "入户调查表.pdf", PDF, kind="original")
    response = api(dec_world.worker_a).get(f"/api/v1/matters/{matter.pk}/dossier.zip")
    assert response.status_code == 200
    assert verify_zip(response.content) == []
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        (entry,) = [a for a in manifest["attachments"] if a["source_type"] == "decisions.matterdocument"]
        assert entry["sha256"] == document.sha256 and entry["file"].startswith("attachments/")
        assert archive.read(entry["file"]) == PDF


def test_staff_page_uploads_lists_and_serves_the_file(dec_world, client, matter):
    client.force_login(dec_world.worker_a)
    data = io.BytesIO(PNG)
    data.name = "现场.png"
    response = client.post(f"/matters/{matter.pk}/documents/", {"kind": "photo", "file": data})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = MatterDocument.objects.get()
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "现场.png" in page and f"/matters/{matter.pk}/documents/{document.pk}/" in page
    served = client.get(f"/matters/{matter.pk}/documents/{document.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    bad = io.BytesIO(PDF)
    bad.name = "现场.pdf"
    refused = client.post(f"/matters/{matter.pk}/documents/", {"kind": "photo", "file": bad})
    assert refused.status_code == 400 and MatterDocument.objects.count() == 1
