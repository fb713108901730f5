"""A dossier as a self-verifying .zip (R-ARCH-02 "方便查找…利用"; ARCHITECTURE §9), and its offline check.

Layout of the archive:

    manifest.json            the dossier's fields, every record (sequence, kind, title, times, sha256, file) and
                             every attachment (source, name, file, sha256, size)
    manifest.sha256          "<sha256 of manifest.json>  manifest.json", as `sha256sum` writes it
    records/NNN-<kind>.json  each record's content, byte for byte as filed, so its SHA-256 is the record's
    attachments/<source>/…   files an attachment provider gives for a record's source
    dossier.html             the printable dossier: a table of contents, then each record
    dossier.docx             the same dossier as an official .docx (dossierdocx.py)
Both documents are listed in the manifest with their SHA-256 like everything else.

`verify_zip` needs nothing but the file: it recomputes every hash against the manifest (records, attachments and
the two documents), and the manifest's own.
Apps add their files to exports by registering a provider for their source type:

    @register_attachment_provider("disclosure.disclosureitem")
    def disclosure_files(source_id: int) -> Iterable[tuple[str, bytes]]: ...
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Dossier, Record

FORMAT = "jiceng-dossier/1"
MANIFEST, MANIFEST_HASH, HTML, DOCX = "manifest.json", "manifest.sha256", "dossier.html", "dossier.docx"
# Fixed member times: two exports of the same content differ only in the manifest's exported_at.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

AttachmentProvider = Callable[[int], Iterable[tuple[str, bytes]]]
attachment_providers: dict[str, AttachmentProvider] = {}


def register_attachment_provider(source_type: str) -> Callable[[AttachmentProvider], AttachmentProvider]:
    """Register `fn(source_id) -> [(name, bytes), …]` for records whose source is `source_type` ("app.model")."""

    def register(fn: AttachmentProvider) -> AttachmentProvider:
        attachment_providers[source_type] = fn
        return fn

    return register


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "file"


def record_file(record: Record) -> str:
    return f"records/{record.sequence:03d}-{_safe(record.kind)}.json"


def readable(record: Record) -> list[tuple[str, str]]:
    """A record's content as (field, text) rows for people: nested values shown as indented JSON."""
    try:
        data = json.loads(record.content)
    except ValueError:
        return [("content", record.content)]
    if not isinstance(data, dict):
        return [("content", json.dumps(data, ensure_ascii=False, indent=1))]
    rows = []
    for key, value in data.items():
        if value in (None, "", [], {}):
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
        rows.append((key, text))
    return rows


def render_dossier_html(dossier: Dossier, records: list[Record], *, attachments: list[dict] | None = None,
                        back_link: str = "") -> str:
    """The printable dossier (A4, GB/T 9704 margins and fonts as the minutes' print page): contents, then records."""
    with translation.override("zh-hans"):
        return render_to_string("web/archives/print.html", {
            "dossier": dossier,
            "records": [{"record": r, "rows": readable(r), "file": record_file(r)} for r in records],
            "attachments": attachments or [], "back_link": back_link})


def _attachments(records: list[Record]) -> list[tuple[dict, bytes]]:
    found, seen = [], set()
    for record in records:
        source = (record.source_type, record.source_id)
        provider = attachment_providers.get(record.source_type)
        if provider is None or source in seen:
            continue
        seen.add(source)
        names: set[str] = set()
        for name, data in provider(record.source_id):
            name = _safe(name)
            while name in names:
                name = f"_{name}"
            names.add(name)
            path = f"attachments/{_safe(record.source_type)}-{record.source_id}/{name}"
            found.append(({"source_type": record.source_type, "source_id": record.source_id, "name": name,
                           "file": path, "sha256": _sha(data), "size": len(data)}, data))
    return found


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def export_zip(dossier: Dossier) -> bytes:
    """The dossier, its records, its sources' attachments, a printable page and the dossier as .docx, as .zip
    bytes; the manifest lists every file with its SHA-256."""
    from .dossierdocx import render_dossier_docx

    dossier = Dossier.objects.select_related("area").get(pk=dossier.pk)
    records = list(dossier.records.order_by("sequence"))
    attachments = _attachments(records)
    docx = render_dossier_docx(dossier, records, [entry for entry, _ in attachments])
    html = render_dossier_html(dossier, records, attachments=[entry for entry, _ in attachments]).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "dossier": {"id": dossier.pk, "area": {"code": dossier.area.code, "name": dossier.area.name},
                    "series": dossier.series, "key": dossier.key, "title": dossier.title,
                    "retention": dossier.retention,
                    "retention_until": dossier.retention_until.isoformat() if dossier.retention_until else None,
                    "closed_on": dossier.closed_on.isoformat() if dossier.closed_on else None,
                    "party_committee": dossier.party_committee, "created_at": dossier.created_at.isoformat()},
        "records": [{"sequence": r.sequence, "kind": r.kind, "title": r.title, "media_type": r.media_type,
                     "occurred_at": r.occurred_at.isoformat(), "filed_at": r.filed_at.isoformat(),
                     "source_type": r.source_type, "source_id": r.source_id, "sha256": r.sha256,
                     "file": record_file(r)} for r in records],
        "attachments": [entry for entry, _ in attachments],
        "documents": [{"name": name, "file": name, "sha256": _sha(data), "size": len(data)}
                      for name, data in ((HTML, html), (DOCX, docx))],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write(archive, MANIFEST, manifest_bytes)
        _write(archive, MANIFEST_HASH, f"{_sha(manifest_bytes)}  {MANIFEST}\n".encode())
        for record in records:
            _write(archive, record_file(record), record.content.encode("utf-8"))
        for entry, data in attachments:
            _write(archive, entry["file"], data)
        _write(archive, HTML, html)
        _write(archive, DOCX, docx)
    return buffer.getvalue()


def verify_zip(data: bytes) -> list[str]:
    """Every problem found in an exported dossier, checked offline; an empty list means intact.

    Checks the manifest against manifest.sha256, each record file against its SHA-256 (the hash taken when it was
    filed), each attachment and document (dossier.docx) against its SHA-256, and that no listed file is missing
    and no other file was added."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return ["not a zip file"]
    with archive:
        names = set(archive.namelist())
        problems = []
        if MANIFEST not in names:
            return [f"{MANIFEST} is missing"]
        manifest_bytes = archive.read(MANIFEST)
        if MANIFEST_HASH not in names:
            problems.append(f"{MANIFEST_HASH} is missing")
        else:
            written = archive.read(MANIFEST_HASH).decode("utf-8", "replace").split()
            if not written or written[0].lower() != _sha(manifest_bytes):
                problems.append(f"{MANIFEST} does not match the hash in {MANIFEST_HASH}")
        try:
            manifest = json.loads(manifest_bytes)
            entries = ([("record", r["sequence"], r["file"], r["sha256"]) for r in manifest["records"]]
                       + [("attachment", a["name"], a["file"], a["sha256"]) for a in manifest.get("attachments", [])]
                       + [("document", d["name"], d["file"], d["sha256"]) for d in manifest.get("documents", [])])
        except (ValueError, KeyError, TypeError):
            return [*problems, f"{MANIFEST} is not a dossier manifest"]
        if manifest.get("format") != FORMAT:
            problems.append(f"unknown format {manifest.get('format')!r}")
        for what, label, path, sha in entries:
            if path not in names:
                problems.append(f"{what} {label}: {path} is missing")
            elif _sha(archive.read(path)) != sha:
                problems.append(f"{what} {label}: {path} does not match its SHA-256 {sha}")
        listed = {path for _, _, path, _ in entries} | {MANIFEST, MANIFEST_HASH}
        problems += [f"{name} is not listed in the manifest" for name in sorted(names - listed)]
        return problems
