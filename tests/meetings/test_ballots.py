"""Anonymous ballots (R-EVAL-10, AT-09): codes issued once per present participant, cast once without an
account, counted live; no table or log links a ballot to a person (issue #3 point 4)."""

from __future__ import annotations

import datetime
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection, models

from jiceng.audit.models import AuditEvent
from jiceng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jiceng.core.masking import PersonalDataLogFilter, mask_ballot_codes
from jiceng.meetings import ballots, minutes, services
from jiceng.meetings.models import AgendaItem, Attendance, Ballot, BallotBatch, Meeting
from jiceng.orgs.models import Person
from tests import builders
from tests.meetings.conftest import at

EVALUATORS = 52
ABSENT = 2

FULL = builders.FULL_EVALUATION_BALLOT


@pytest.fixture
def evaluation(street_world):
    """An evaluation meeting of community A, held yesterday: 52 approved evaluators of whom 50 came, the four
    duty reports, and the street liaison leader in the chair."""
    sw = street_world
    meeting, people, day = builders.held_evaluation_meeting(sw, evaluators=EVALUATORS, present=EVALUATORS - ABSENT,
                                                            title="2025年度评议会")
    present = people[:EVALUATORS - ABSENT]
    return SimpleNamespace(sw=sw, staff=sw.street_staff, meeting=meeting, people=people, present=present,
                           absent=people[EVALUATORS - ABSENT:], day=day)


@pytest.fixture
def issued(evaluation):
    return SimpleNamespace(**vars(evaluation), codes=ballots.issue_ballots(evaluation.staff, evaluation.meeting))


def _close(e) -> Meeting:
    """Closing needs signed minutes (R-MTG-18)."""
    draft = minutes.generate_minutes(e.staff, e.meeting)
    minutes.sign_minutes(e.staff, draft)
    return services.close_meeting(e.staff, Meeting.objects.get(pk=e.meeting.pk))


# Issuing ---------------------------------------------------------------------------------------------

def test_issue_gives_one_code_to_each_present_participant_and_keeps_only_digests(issued):
    codes = issued.codes
    assert len(codes) == len(set(codes)) == EVALUATORS - ABSENT
    assert all(len(c) == ballots.CODE_LENGTH and set(c) <= set(ballots.CODE_ALPHABET) for c in codes)
    assert not set("01OI") & set(ballots.CODE_ALPHABET)
    batch = BallotBatch.objects.get(meeting=issued.meeting)
    assert set(batch.recipients.values_list("pk", flat=True)) == {p.pk for p in issued.present}
    assert batch.count == Ballot.objects.filter(meeting=issued.meeting).count() == len(codes)
    stored = list(Ballot.objects.values_list("digest", "answers", "receipt", "cast"))
    assert not any(code in str(stored) for code in codes)
    event = AuditEvent.objects.get(action="meetings.ballots_issued")
    assert event.after == {"count": len(codes)}
    assert not any(code in str(vars(e)) for e in AuditEvent.objects.all() for code in codes)


def test_a_second_issue_gives_nobody_a_second_code(issued):
    assert ballots.issue_ballots(issued.staff, issued.meeting) == []
    assert Ballot.objects.filter(meeting=issued.meeting).count() == len(issued.codes)
    assert AuditEvent.objects.filter(action="meetings.ballots_issued").count() == 1


def test_a_latecomer_gets_one_code_and_every_uncast_ballot_is_inserted_again(issued):
    ballots.cast_ballot(issued.codes[0], {"overall": "satisfied"})
    cast_pk = Ballot.objects.get(cast=True).pk
    before = max(Ballot.objects.values_list("pk", flat=True))
    late = issued.absent[0]
    # No service records a late arrival yet; the attendance row is what issue_ballots reads.
    Attendance.objects.filter(meeting=issued.meeting, person=late).update(status=Attendance.Status.PRESENT)

    new = ballots.issue_ballots(issued.staff, issued.meeting)

    assert len(new) == 1 and new[0] not in issued.codes
    assert BallotBatch.objects.get(meeting=issued.meeting).recipients.filter(pk=late.pk).exists()
    assert Ballot.objects.get(cast=True).pk == cast_pk
    uncast = list(Ballot.objects.filter(cast=False).values_list("pk", flat=True))
    # The latecomer's ballot is not the one row newer than the others: all uncast rows are new.
    assert len(uncast) == len(issued.codes) and min(uncast) > before


def test_issue_refuses_before_the_meeting_is_held(street_world):
    sw = street_world
    meeting = services.create_meeting(sw.street_staff, kind="evaluation_meeting", body=sw.party_org, title="评议会",
                                      scheduled_at=at(sw.today), expected=[sw.zhang.pk])
    with pytest.raises(Conflict) as refused:
        ballots.issue_ballots(sw.street_staff, meeting)
    assert refused.value.code == "voting_closed"
    assert not Ballot.objects.exists()


def test_issue_needs_the_run_meetings_permission(issued):
    viewer = builders.make_user(issued.sw.root, "viewer_a", "viewer", issued.sw.a)
    with pytest.raises(PermissionDenied):
        ballots.issue_ballots(viewer, issued.meeting)


# Casting ---------------------------------------------------------------------------------------------

def test_cast_then_an_identical_retry_returns_the_same_receipt(issued):
    answers = {**FULL, "head:cgo_director": None, "overall": " "}  # two lines left blank
    first = ballots.cast_ballot(issued.codes[0], answers)
    again = ballots.cast_ballot(issued.codes[0].lower()[:5] + " " + issued.codes[0][5:], answers)
    assert first == again == {"receipt": first["receipt"], "meeting": issued.meeting.pk}
    ballot = Ballot.objects.get(cast=True)
    assert ballot.answers == {k: v for k, v in FULL.items() if k not in ("head:cgo_director", "overall")}
    assert AuditEvent.objects.filter(action="meetings.ballot_cast").count() == 1
    assert AuditEvent.objects.get(action="meetings.ballot_cast").after == {"cast": 1}


def test_cast_through_the_api_needs_no_account_and_is_idempotent(client, issued):
    path = f"/api/v1/ballots/{issued.codes[0]}"
    first = client.post(path, {"answers": FULL}, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 200, first.content
    assert first.json() == {"receipt": first.json()["receipt"], "meeting": issued.meeting.pk}
    assert first.headers["Idempotency-Key"] == "k1"
    again = client.post(path, {"answers": FULL}, content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert (again.status_code, again.json()) == (200, first.json())


def test_other_answers_after_casting_are_409(client, issued):
    path = f"/api/v1/ballots/{issued.codes[0]}"
    client.post(path, {"answers": FULL}, content_type="application/json")
    response = client.post(path, {"answers": {**FULL, "overall": "dissatisfied"}}, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["rule"]) == ("ballot_already_cast", "R-EVAL-10")
    assert "R-EVAL-10" in error["message"] and "第十八条(二)3" in error["message"] and error["message_en"]
    assert Ballot.objects.get(cast=True).answers == FULL


@pytest.mark.parametrize("code", ["ABCDEFGHJK", "ABC", "0000000000", ""])
def test_an_unknown_code_is_404(client, issued, code):
    response = client.post(f"/api/v1/ballots/{code or '%20'}", {"answers": FULL}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_ballot_code"


@pytest.mark.parametrize(("answers", "code"), [
    ({"head:rc_director": "satisfied"}, "invalid_choice"),    # 评议等次 on a head's line (C-11: 考核等次)
    ({"overall": "excellent"}, "invalid_choice"),              # 考核等次 on the overall work
    ({"body:street_office": "satisfied"}, "unknown_ballot_line"),
    ({"item:1": "yes"}, "unknown_ballot_line"),
])
def test_a_wrong_line_or_grade_is_400_and_casts_nothing(client, issued, answers, code):
    response = client.post(f"/api/v1/ballots/{issued.codes[0]}", {"answers": answers},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not Ballot.objects.filter(cast=True).exists()
    # The refused code still votes once, correctly.
    assert ballots.cast_ballot(issued.codes[0], FULL)["receipt"]


def test_voting_closes_with_the_meeting_but_a_retry_keeps_its_receipt(client, issued):
    receipt = ballots.cast_ballot(issued.codes[0], FULL)["receipt"]
    _close(issued)
    response = client.post(f"/api/v1/ballots/{issued.codes[1]}", {"answers": FULL}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting_closed"
    assert ballots.cast_ballot(issued.codes[0], FULL)["receipt"] == receipt
    assert Ballot.objects.filter(cast=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_casts_of_one_code_at_once_store_one_answer_set(issued):
    code = issued.codes[0]
    barrier = threading.Barrier(2)

    def cast(answers):
        barrier.wait()
        try:
            return ballots.cast_ballot(code, answers)
        except Conflict as exc:
            return exc.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(cast, [FULL, {**FULL, "overall": "dissatisfied"}]))

    receipts = [o for o in outcomes if isinstance(o, dict)]
    assert len(receipts) == 1 and outcomes.count("ballot_already_cast") == 1
    ballot = Ballot.objects.get(cast=True)
    assert ballot.receipt == receipts[0]["receipt"]
    assert ballot.answers == (FULL if outcomes[0] is receipts[0] else {**FULL, "overall": "dissatisfied"})
    assert AuditEvent.objects.filter(action="meetings.ballot_cast").count() == 1


# Anonymity -------------------------------------------------------------------------------------------

def test_no_column_links_a_ballot_to_a_person_or_a_moment(issued):
    for code, answers in zip(issued.codes[:3], [FULL, FULL, {"overall": "dissatisfied"}], strict=True):
        ballots.cast_ballot(code, answers)
    fields = Ballot._meta.get_fields()
    assert not [f for f in fields if f.is_relation and f.related_model is Person]
    assert not [f for f in fields if isinstance(f, (models.DateField, models.TimeField))]
    assert {f.name for f in fields} == {"id", "batch", "meeting", "digest", "answers", "receipt", "cast"}
    # The batch knows who received a code (to issue one each), and nothing per ballot.
    assert [f.name for f in BallotBatch._meta.get_fields() if f.is_relation and f.related_model is Person] \
        == ["recipients"]
    # Rows are stored in an order unrelated to the printed order of the codes.
    printed = [ballots._digests(c)[0] for c in issued.codes]
    assert list(Ballot.objects.order_by("pk").values_list("digest", flat=True)) != printed


def test_no_log_line_carries_a_code(client, issued, caplog):
    # settings.LOGGING puts the filter on the console handler; the capture handler gets the same filter.
    assert "mask_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]
    caplog.handler.addFilter(PersonalDataLogFilter())
    code = issued.codes[0]
    with caplog.at_level(logging.DEBUG):
        client.post(f"/api/v1/ballots/{code}", {"answers": FULL}, content_type="application/json")
        client.post(f"/api/v1/ballots/{code}", {"answers": {"overall": "dissatisfied"}},
                    content_type="application/json")  # 409: Django logs the path
        client.get(f"/ballot/{code}/")
        client.get("/ballot/ABCDEFGHJK/")  # 404: Django logs the path
    assert "/api/v1/ballots/***" in caplog.text and "/ballot/***" in caplog.text
    assert code not in caplog.text and "ABCDEFGHJK" not in caplog.text
    assert not any(code in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("text", "masked"), [
    ("Conflict: /api/v1/ballots/ABCDE23456", "Conflict: /api/v1/ballots/***"),
    ('"GET /ballot/abcde23456/ HTTP/1.1" 200', '"GET /ballot/***/ HTTP/1.1" 200'),
    ("/ballot/ABCDE-23456/?x=1", "/ballot/***/?x=1"),
    ("POST /api/v1/meetings/5/ballots 201", "POST /api/v1/meetings/5/ballots 201"),
    ("GET /meetings/5/ballots/print/", "GET /meetings/5/ballots/print/"),
])
def test_the_log_filter_masks_ballot_paths(text, masked):
    assert mask_ballot_codes(text) == masked
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s", (text,), None)
    PersonalDataLogFilter().filter(record)
    assert record.getMessage() == masked


# Results ---------------------------------------------------------------------------------------------

def test_results_count_each_grade_and_blank_lines_in_one_query(issued, django_assert_max_num_queries):
    ballots.cast_ballot(issued.codes[0], FULL)
    ballots.cast_ballot(issued.codes[1], {**FULL, "overall": "dissatisfied", "head:rc_director": "excellent"})
    ballots.cast_ballot(issued.codes[2], {"overall": "satisfied"})
    meeting = Meeting.objects.select_related("body__area").get(pk=issued.meeting.pk)
    with django_assert_max_num_queries(2):  # the aggregate, and the rulebook version for the deadline
        out = ballots.results(meeting)
    assert (out["issued"], out["cast"]) == (EVALUATORS - ABSENT, 3)
    lines = {line["key"]: line for line in out["lines"]}
    assert list(lines) == [line.key for line in ballots.EVALUATION_LINES]
    assert lines["overall"]["counts"] == {"satisfied": 2, "basically_satisfied": 0, "dissatisfied": 1}
    assert lines["overall"]["blank"] == 0
    assert lines["head:rc_director"]["counts"] == {"excellent": 1, "competent": 1, "basically_competent": 0,
                                                   "incompetent": 0}
    assert (lines["head:rc_director"]["answered"], lines["head:rc_director"]["blank"]) == (2, 1)
    assert out["publish_due_on"] == issued.day + datetime.timedelta(days=7)  # R-EVAL-12
    assert out["published_on"] is None and out["rule"] == "R-EVAL-10"


def test_results_api_needs_a_visible_meeting(api, issued):
    ballots.cast_ballot(issued.codes[0], FULL)
    response = api(issued.staff).get(f"/api/v1/meetings/{issued.meeting.pk}/results")
    assert response.status_code == 200
    body = response.json()
    assert body["cast"] == 1 and body["publish_due_on"] == (issued.day + datetime.timedelta(days=7)).isoformat()
    assert api(issued.sw.worker_b).get(f"/api/v1/meetings/{issued.meeting.pk}/results").status_code == 404


def test_issue_api_returns_the_codes_once(api, evaluation):
    path = f"/api/v1/meetings/{evaluation.meeting.pk}/ballots"
    assert api(evaluation.sw.worker_b).post(path).status_code == 404
    response = api(evaluation.staff).post(path)
    assert response.status_code == 201
    body = response.json()
    assert body["issued"] == len(body["codes"]) == EVALUATORS - ABSENT
    assert api(evaluation.staff).post(path).json() == {"issued": 0, "codes": []}


# Secret-ballot items ---------------------------------------------------------------------------------

@pytest.fixture
def pwc_ballot(street_world):
    """A PWC meeting of 9 with 7 present and a major item, which must be voted by ballot (R-PWC-12)."""
    sw = street_world
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(sw.street_staff, kind="pwc_meeting", body=sw.pwc, title="党工委会议",
                                      scheduled_at=at(day))
    item = services.add_item(sw.street_staff, meeting, title="社区服务中心改造", kind=AgendaItem.ItemKind.MAJOR)
    services.publish_notice(sw.street_staff, meeting, published_at=at(day - datetime.timedelta(days=5)))
    services.hold(sw.street_staff, meeting, held_at=at(day), present=[p.pk for p in sw.pwc_members[:7]],
                  chair=sw.secretary, recorder=sw.pwc_members[2])
    codes = ballots.issue_ballots(sw.street_staff, meeting)
    return SimpleNamespace(sw=sw, meeting=meeting, item=item, codes=codes, key=f"item:{item.pk}")


def test_tally_decides_a_secret_ballot_item_from_the_ballots(api, pwc_ballot):
    p = pwc_ballot
    assert len(p.codes) == 7
    with pytest.raises(ValidationFailed):
        ballots.cast_ballot(p.codes[0], {p.key: "satisfied"})
    for code, choice in zip(p.codes, ["yes"] * 5 + ["no", "abstain"], strict=True):
        ballots.cast_ballot(code, {p.key: choice})
    response = api(p.sw.street_staff).post(f"/api/v1/meetings/{p.meeting.pk}/items/{p.item.pk}/tally")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["item"], body["outcome"], body["rule"]) == (p.item.pk, "passed", "R-PWC-11")
    assert body["basis"]["arithmetic"].startswith("5 赞成 > 9 名应到会成员的 1/2")
    item = AgendaItem.objects.get(pk=p.item.pk)
    assert (item.method, item.yes, item.no, item.abstain) == ("ballot", 5, 1, 1)
    results = ballots.results(Meeting.objects.get(pk=p.meeting.pk))
    assert results["lines"][0]["counts"] == {"yes": 5, "no": 1, "abstain": 1}


def test_a_decided_item_takes_no_more_ballots(pwc_ballot):
    p = pwc_ballot
    ballots.cast_ballot(p.codes[0], {p.key: "yes"})
    ballots.tally_item_from_ballots(p.sw.street_staff, p.item)
    with pytest.raises(Conflict) as refused:
        ballots.cast_ballot(p.codes[1], {p.key: "yes"})
    assert refused.value.code in {"voting_closed", "item_already_decided"}
    with pytest.raises(NotFound):
        ballots.cast_ballot("ZZZZZZZZZZ", {p.key: "yes"})


def test_an_item_with_no_ballots_cannot_be_tallied(street_world):
    sw = street_world
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(sw.street_staff, kind="pwc_meeting", body=sw.pwc, title="党工委会议",
                                      scheduled_at=at(day))
    item = services.add_item(sw.street_staff, meeting, title="年度预算")
    services.publish_notice(sw.street_staff, meeting, published_at=at(day - datetime.timedelta(days=5)))
    services.hold(sw.street_staff, meeting, held_at=at(day), present=[p.pk for p in sw.pwc_members[:7]],
                  chair=sw.secretary, recorder=sw.pwc_members[2])
    with pytest.raises(Conflict) as refused:
        ballots.tally_item_from_ballots(sw.street_staff, item)
    assert refused.value.code == "no_ballots_issued"
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItem.Status.PENDING


# Web -------------------------------------------------------------------------------------------------

def test_a_participant_votes_on_the_phone_without_logging_in(client, issued):
    assert client.get("/ballot/").status_code == 200
    form = client.post("/ballot/", {"code": issued.codes[0].lower()})
    assert form.status_code == 200
    page = form.content.decode()
    assert page.count("<fieldset>") == 9 and 'value="basically_competent"' in page
    assert "基本称职" in page and "基本满意" in page
    refused = client.post("/ballot/", {"code": issued.codes[0], "cast": "1", "overall": "excellent"})
    assert refused.status_code == 400 and "R-EVAL-10" in refused.content.decode()
    done = client.post("/ballot/", {"code": issued.codes[0], "cast": "1", **FULL})
    assert done.status_code == 200
    receipt = Ballot.objects.get(cast=True).receipt
    assert receipt in done.content.decode()
    again = client.get(f"/ballot/{issued.codes[0]}/")
    assert again.status_code == 200 and "已经投出" in again.content.decode() and receipt not in again.content.decode()
    assert client.post("/ballot/", {"code": "ABCDEFGHJK"}).status_code == 404


def test_the_qr_link_opens_the_form(client, issued):
    page = client.get(f"/ballot/{issued.codes[1]}/")
    assert page.status_code == 200 and page.content.decode().count("<fieldset>") == 9
    assert "no-store" in page.headers["Cache-Control"] or "max-age=0" in page.headers["Cache-Control"]


def test_the_secretary_prints_slips_with_codes_and_qr_codes_once(client, evaluation):
    path = f"/meetings/{evaluation.meeting.pk}/ballots/print/"
    assert client.get(path).status_code == 302  # login required
    client.force_login(evaluation.staff)
    assert "只在本页显示这一次" in client.get(path).content.decode()
    page = client.post(path).content.decode()
    assert page.count('class="slip"') == EVALUATORS - ABSENT and page.count("<svg") == EVALUATORS - ABSENT
    assert Ballot.objects.filter(meeting=evaluation.meeting).count() == EVALUATORS - ABSENT
    second = client.post(path).content.decode()
    assert 'class="slip"' not in second and "没有新的选票" in second
    client.force_login(evaluation.sw.worker_b)
    assert client.get(path).status_code == 404
