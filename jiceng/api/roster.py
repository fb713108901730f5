"""Residents rosters as Excel: import (all or nothing), its progress, and export. Thin: find what the
user may see (404 otherwise), call jiceng.orgs.roster, translate."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jiceng.orgs import roster, services
from jiceng.orgs.models import Area, RosterImport

router = Router(tags=["people"])


class ImportCreatedOut(Schema):
    job: int
    created: int


class ImportStatusOut(Schema):
    job: int
    status: str
    processed: int
    total: int
    created: int
    error_count: int
    errors: list[dict]
    finished_at: str | None


@router.post("/people/import", response={201: ImportCreatedOut}, summary="Import a residents roster (.xlsx)",
             description="Multipart: `file` (.xlsx, at most 5 MB, 20,000 rows), `area` (the street or community "
                         "to import into). All or nothing: 422 `import_rejected` lists every error by row and "
                         "column in `facts.errors`; 400 for a file that is not a roster.")
def import_roster(request, file: File[UploadedFile], area: Form[int]):
    target = services.get_visible(Area, request.auth, area)
    job = roster.start_import(request.auth, target, file_name=file.name or "")
    report = roster.run_import(request.auth, file, target, job)
    if not report.ok:
        raise roster.ImportRejected(report)
    return Status(201, {"job": job.pk, "created": report.created})


@router.get("/people/imports/{job_id}", response=ImportStatusOut, summary="Status and progress of an import")
def import_status(request, job_id: int):
    return roster.import_progress(services.get_visible(RosterImport, request.auth, job_id))


@router.get("/people/export", summary="Export the roster of an area (.xlsx)",
            description="People of `area` and below whom you may see; personal data masked outside your scope.")
def export_roster(request, area: int):
    target = services.get_visible(Area, request.auth, area)
    response = HttpResponse(roster.export(request.auth, target), content_type=roster.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"roster-{target.code}.xlsx")
    return response
