"""Appraisal and destruction (A-ARC-30/31/35/36/37/38/40): the group, expiry, the director-approved list filed with
the district archives bureau, three persons, method, the fonds file, classified files, and a destroyed dossier."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiceng.archives import appraisals, services
from jiceng.archives.models import Appraisal, Dossier, Record
from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, RuleViolation
from jiceng.orgs import services as orgs
from jiceng.orgs.models import Role
from tests import builders

from .conftest import START

DAY = datetime.timedelta(days=1)


@pytest.fixture
def d(arc):
    """The appraisal group of community A (director, office director, archivist, section staff), a dossier expired
    yesterday and a third person to witness."""
    root = arc.root
    office_head = builders.make_person(root, arc.building_a, "李办主任")
    orgs.add_membership(root, person=office_head, body=arc.pwc, role=Role.PWC_OFFICE_DIRECTOR, start_on=START)
    staff = builders.make_person(root, arc.building_a, "王科员")
    orgs.add_membership(root, person=staff, body=arc.office, role=Role.AGENCY_STAFF, start_on=START)
    witness = builders.make_person(root, arc.building_a, "陈监销")
    today = timezone.localdate()
    expired = services.yearly_dossier(arc.a, Dossier.Series.ZONGZHI, 2015)
    Dossier.objects.filter(pk=expired.pk).update(retention_until=today - DAY)
    services.file_record(arc.worker_a, expired, kind="test.filed", title="旧件", data={"x": 1}, source=arc.a,
                         occurred_at=timezone.now())
    group = [(arc.director, "head"), (office_head, "deputy_head"), (arc.archivist, "member"), (staff, "member")]
    return SimpleNamespace(arc=arc, office_head=office_head, staff=staff, witness=witness, today=today,
                           expired=expired, group=group)


def _open(d, group=None) -> Appraisal:
    return appraisals.open_appraisal(d.arc.worker_a, area=d.arc.a, members=group or d.group)


def _filed(d) -> Appraisal:
    appraisal = _open(d)
    appraisals.give_opinion(d.arc.worker_a, appraisal, dossier=d.expired, verdict="destroy", reason="无保存价值")
    appraisals.approve_destruction_list(d.arc.worker_a, appraisal, approved_by_user=d.arc.u.director)
    return appraisals.record_bureau_filing(d.arc.worker_a, appraisal, filed_on=d.today, reference="区档备[2026]3号")


def _destroy(d, appraisal, *, destroyer="archivist", witnesses=("staff", "witness"), **kw):
    people = {"archivist": d.arc.archivist, "staff": d.staff, "witness": d.witness, "director": d.arc.director}
    args = dict(destroyer=people.get(destroyer), witnesses=[people[w] for w in witnesses], all_signed=True,
                method="burning", place="街道办锅炉房", destroyed_at=timezone.now())
    return appraisals.destroy(d.arc.worker_a, appraisal, **{**args, **kw})


def _refused(code: str, rule: str, call, *args, **kw):
    with pytest.raises(RuleViolation) as refused:
        call(*args, **kw)
    assert (refused.value.code, refused.value.rule_id) == (code, rule)


# A-ARC-30: the group -----------------------------------------------------------------------------------------

def test_the_group_of_director_office_director_archivist_and_staff_is_accepted(d):
    appraisal = _open(d)
    assert appraisal.members.count() == 4 and appraisal.status == "open"
    assert AuditEvent.objects.filter(action="archives.appraisal_opened").count() == 1


@pytest.mark.parametrize("change", ["head_not_director", "no_deputy_head", "no_archivist", "member_twice",
                                    "member_without_role"])
def test_a_group_not_composed_as_required_is_refused(d, change):
    head, deputy, archivist, staff = d.group
    group = {
        "head_not_director": [(d.staff, "head"), deputy, archivist],
        "no_deputy_head": [head, archivist, staff],
        "no_archivist": [head, deputy, staff],
        "member_twice": [head, deputy, archivist, (d.arc.archivist, "member")],
        "member_without_role": [head, deputy, archivist, (d.witness, "member")],
    }[change]
    _refused("appraisal_group_invalid", "A-ARC-30", _open, d, group)
    assert not Appraisal.objects.exists()


def test_a_deputy_director_may_head_the_group(d):
    deputy_director = builders.make_person(d.arc.root, d.arc.building_a, "吴副主任")
    orgs.add_membership(d.arc.root, person=deputy_director, body=d.arc.office,
                        role=Role.STREET_OFFICE_DEPUTY_DIRECTOR, start_on=START)
    _open(d, [(deputy_director, "head"), *d.group[1:]])


# A-ARC-31/40: only expired files are proposed for destruction ----------------------------------------------

@pytest.mark.parametrize(("until", "ok"), [(-1, True), (0, False), (None, False)])
def test_destroy_opinion_needs_retention_expired_before_today(d, until, ok):
    Dossier.objects.filter(pk=d.expired.pk).update(
        retention_until=None if until is None else d.today + until * DAY)
    appraisal = _open(d)
    if ok:
        appraisals.give_opinion(d.arc.worker_a, appraisal, dossier=d.expired, verdict="destroy")
        return
    _refused("retention_not_expired", "A-ARC-31", appraisals.give_opinion, d.arc.worker_a, appraisal,
             dossier=d.expired, verdict="destroy")
    assert not appraisal.opinions.exists()


def test_keep_opinion_refiles_into_a_retention_class(d):
    appraisal = _open(d)
    appraisals.give_opinion(d.arc.worker_a, appraisal, dossier=d.expired, verdict="keep", retention="fixed_30y")
    d.expired.refresh_from_db()
    assert (d.expired.retention, d.expired.retention_until) == ("fixed_30y", datetime.date(2045, 12, 31))
    _refused("destruction_list_empty", "A-ARC-31", appraisals.approve_destruction_list, d.arc.worker_a, appraisal,
             approved_by_user=d.arc.u.director)


# A-ARC-31: approval by the street director, then filing, then destruction ------------------------------------

def test_approval_needs_the_street_director(d):
    appraisal = _open(d)
    appraisals.give_opinion(d.arc.worker_a, appraisal, dossier=d.expired, verdict="destroy")
    for approver in (None, d.arc.u.pwc_member):
        _refused("director_approval_missing", "A-ARC-31", appraisals.approve_destruction_list, d.arc.worker_a,
                 appraisal, approved_by_user=approver)
    appraisals.approve_destruction_list(d.arc.worker_a, appraisal, approved_by_user=d.arc.u.director)
    appraisal.refresh_from_db()
    assert appraisal.status == "approved" and [i["dossier"] for i in appraisal.destruction_list] == [d.expired.pk]


def test_filing_before_approval_and_destruction_before_filing_are_refused(d):
    appraisal = _open(d)
    appraisals.give_opinion(d.arc.worker_a, appraisal, dossier=d.expired, verdict="destroy")
    _refused("director_approval_missing", "A-ARC-31", appraisals.record_bureau_filing, d.arc.worker_a, appraisal,
             filed_on=d.today, reference="区档备1号")
    _refused("director_approval_missing", "A-ARC-31", _destroy, d, appraisal)
    appraisals.approve_destruction_list(d.arc.worker_a, appraisal, approved_by_user=d.arc.u.director)
    _refused("bureau_filing_missing", "A-ARC-31", _destroy, d, appraisal)
    d.expired.refresh_from_db()
    assert d.expired.destroyed_on is None


# A-ARC-35/36: three persons, method, place and time ---------------------------------------------------------

@pytest.mark.parametrize(("destroyer", "witnesses", "ok"), [
    ("archivist", ("staff",), False),                   # 2 persons
    ("archivist", ("staff", "archivist"), False),       # 3 names, one twice
    (None, ("staff", "witness"), False),                # no destroyer
    ("archivist", ("staff", "witness", "director"), False),  # 3 witnesses
    ("archivist", ("staff", "witness"), True),          # 1 + 2 distinct
])
def test_destruction_needs_one_destroyer_and_two_distinct_witnesses(d, destroyer, witnesses, ok):
    appraisal = _filed(d)
    if ok:
        _destroy(d, appraisal, destroyer=destroyer, witnesses=witnesses)
        return
    _refused("destruction_persons", "A-ARC-35", _destroy, d, appraisal, destroyer=destroyer, witnesses=witnesses)
    appraisal.refresh_from_db()
    assert appraisal.status == "filed"


def test_destruction_report_must_be_signed_by_all_three(d):
    _refused("destruction_persons", "A-ARC-35", _destroy, d, _filed(d), all_signed=False)


@pytest.mark.parametrize(("kw", "code"), [({"method": "shredding"}, "destruction_method_invalid"),
                                          ({"place": " "}, "destruction_place_missing"),
                                          ({"destroyed_at": None}, "destruction_place_missing")])
def test_method_must_be_pulping_or_burning_with_place_and_time(d, kw, code):
    _refused(code, "A-ARC-36", _destroy, d, _filed(d), **kw)


# A-ARC-38: classified files -------------------------------------------------------------------------------------

def test_classified_dossier_needs_a_register_entry(d):
    Dossier.objects.filter(pk=d.expired.pk).update(classification=Dossier.Classification.SECRET)
    appraisal = _filed(d)
    _refused("classified_register_missing", "A-ARC-38", _destroy, d, appraisal)
    _destroy(d, appraisal, register_entry="涉密销毁登记第7号")


# Happy path: marked destroyed, records kept, report and list in the fonds file (A-ARC-37) ----------------------

def test_destruction_marks_the_dossier_and_files_report_and_list_into_the_fonds_file(d, api):
    records_before = Record.objects.filter(dossier=d.expired).count()
    appraisal = _destroy(d, _filed(d), method="pulping", place="市造纸厂")
    d.expired.refresh_from_db()
    assert d.expired.destroyed_on == d.today and d.expired.destroyed_in == appraisal
    assert Record.objects.filter(dossier=d.expired).count() == records_before  # append-only: kept as evidence
    assert list(services.broken_records()) == []
    fonds = services.fonds_dossier(d.arc.a)
    kinds = list(fonds.records.values_list("kind", flat=True))
    assert kinds[-2:] == ["archives.destruction_list", "archives.destruction_report"]
    assert appraisal.witnesses.count() == 2 and appraisal.status == "destroyed"
    assert AuditEvent.objects.filter(action="archives.dossiers_destroyed").count() == 1
    listed = api(d.arc.worker_a).get("/api/v1/dossiers", area=d.arc.a.pk).json()["items"]
    assert d.expired.pk not in [row["id"] for row in listed]


def test_a_destroyed_dossier_is_not_lent_exported_or_filed_into(d):
    _destroy(d, _filed(d))
    d.expired.refresh_from_db()
    for call in (lambda: services.lend(d.arc.worker_a, d.expired, borrower_name="吴", borrower_unit="居委会",
                                       purpose="查阅"),
                 lambda: services.export_dossier(d.arc.worker_a, d.expired),
                 lambda: services.file_record(d.arc.worker_a, d.expired, kind="x", title="x", data={},
                                              source=d.arc.a, occurred_at=timezone.now())):
        with pytest.raises(Conflict) as refused:
            call()
        assert refused.value.code == "dossier_destroyed"


# API ----------------------------------------------------------------------------------------------------------

def test_the_workflow_through_the_api(d, api):
    client = api(d.arc.worker_a)
    members = [{"person": p.pk, "function": f} for p, f in d.group]
    refused = client.post("/api/v1/archives/appraisals", {"area": d.arc.a.pk, "members": members[1:]})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "appraisal_group_invalid"
    created = client.post("/api/v1/archives/appraisals", {"area": d.arc.a.pk, "members": members})
    assert created.status_code == 201
    url = f"/api/v1/archives/appraisals/{created.json()['id']}"
    assert client.post(f"{url}/opinions", {"dossier": d.expired.pk, "verdict": "destroy"}).status_code == 201
    early = client.post(f"{url}/destroy", {"method": "burning", "place": "锅炉房"})
    assert early.status_code == 422 and early.json()["error"]["rule"] == "A-ARC-31"
    assert client.post(f"{url}/approve", {"approved_by": d.arc.u.director.pk}).status_code == 200
    assert client.post(f"{url}/bureau-filing", {"filed_on": d.today.isoformat(),
                                                "reference": "区档备[2026]3号"}).status_code == 200
    body = {"destroyer": d.arc.archivist.pk, "witnesses": [d.staff.pk], "all_signed": True, "method": "burning",
            "place": "锅炉房", "destroyed_at": timezone.now().isoformat()}
    two = client.post(f"{url}/destroy", body)
    assert two.status_code == 422 and two.json()["error"]["code"] == "destruction_persons"
    done = client.post(f"{url}/destroy", {**body, "witnesses": [d.staff.pk, d.witness.pk]})
    assert done.status_code == 200 and done.json()["status"] == "destroyed"
    assert d.arc.worker_b and api(d.arc.worker_b).get(url).status_code == 404

