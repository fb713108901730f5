"""The feedback box: tracking codes, reply deadlines (A-OPEN-23), replies, and the majority-objection rule
(R-RDISC-06) at its edge."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from jiceng.core.errors import Conflict, PermissionDenied, RateLimited, RuleViolation, ValidationFailed
from jiceng.core.throttle import throttle
from jiceng.disclosure import feedback as fb
from jiceng.disclosure.models import DisclosureItem, Feedback
from jiceng.notify.models import Reminder
from jiceng.orgs import services as orgs
from jiceng.rules import services as rulebook

from .conftest import published_party, published_residents


def submit(item, kind="question", **kw):
    return fb.submit(community=item.community, board=item.board, item=item, kind=kind,
                     text=kw.pop("text", "请问本月党费用于何处？"), **kw)


def test_submission_gets_a_tracking_code_and_a_15_day_deadline(disc_world):
    item = published_party(disc_world)
    feedback = submit(item)
    today = timezone.localdate()
    assert len(feedback.tracking_code) == 10 and feedback.tracking_code.isupper()
    assert feedback.due_on == today + datetime.timedelta(days=15)
    keys = set(Reminder.objects.values_list("key", flat=True))
    assert f"A-OPEN-23:feedback:{feedback.pk}:due" in keys and f"A-OPEN-23:feedback:{feedback.pk}:overdue" in keys


def test_feedback_on_a_draft_or_another_board_is_refused(disc_world):
    item = published_party(disc_world)
    with pytest.raises(ValidationFailed):
        fb.submit(community=item.community, board="residents", item=item, kind="question", text="x")
    with pytest.raises(ValidationFailed):
        fb.submit(community=item.community, board="party", item=item, kind="question", text=" ")


def test_reply_cancels_reminders_and_is_public_unless_a_report(disc_world):
    w = disc_world
    item = published_party(w)
    question, report = submit(item), submit(item, kind="report", text="某党员长期不交党费")
    answered = fb.reply(w.u.officer, question, text="用于党员教育培训。")
    assert answered.status == "answered" and answered.reply_public
    assert not Reminder.objects.filter(key__startswith=f"A-OPEN-23:feedback:{question.pk}:",
                                       cancelled_at__isnull=True).exists()
    assert fb.reply(w.u.officer, report, text="已核查处理。", public=True).reply_public is False
    with pytest.raises(Conflict):
        fb.reply(w.u.officer, question, text="again")


def test_a_named_suggestion_needs_the_face_to_face_date(disc_world):
    w = disc_world
    feedback = submit(published_party(w), kind="opinion", name="赵六", phone="13912345678")
    with pytest.raises(RuleViolation) as refused:
        fb.reply(w.u.officer, feedback, text="感谢建议")
    assert refused.value.code == "face_to_face_missing" and refused.value.rule_id == "A-OPEN-23"
    assert fb.reply(w.u.officer, feedback, text="感谢建议", face_to_face_on=timezone.localdate()).face_to_face_on


def test_only_the_boards_officers_reply(disc_world):
    w = disc_world
    feedback = submit(published_party(w))
    with pytest.raises(PermissionDenied):
        fb.reply(w.u.director, feedback, text="x")  # the RC does not answer for the party board


@override_settings(JICENG_FEEDBACK_PER_HOUR=2)
def test_one_address_is_rate_limited():
    cache.clear()
    throttle("10.0.0.7")
    throttle("10.0.0.7")
    with pytest.raises(RateLimited) as refused:
        throttle("10.0.0.7")
    assert refused.value.status == 429
    throttle("10.0.0.8")  # another address is not affected


def test_objections_need_a_household_and_count_once_each(disc_world):
    item = published_residents(disc_world)
    with pytest.raises(ValidationFailed):
        submit(item, kind="objection", text="不赞成")
    submit(item, kind="objection", text="不赞成", household="1号楼2单元301")
    with pytest.raises(Conflict) as refused:
        submit(item, kind="objection", text="还是不赞成", household=" 1号楼2单元301 ")
    assert refused.value.code == "objection_already_recorded"
    assert Feedback.objects.filter(kind="objection").count() == 1


def test_objections_only_against_residents_items(disc_world):
    with pytest.raises(ValidationFailed):
        submit(published_party(disc_world), kind="objection", household="1-301")


def _households(w, count):
    for i in range(count):
        orgs.create_household(w.root, number=f"A-{i:03}", area=w.building_a, unit="1", room=f"{i + 101}")


def _threshold(w, share, base="households", strict=False):
    rulebook.adopt_version(w.root, district=w.district, effective_from=datetime.date(2020, 1, 1),
                           overrides={"R-RDISC-06": {"threshold": {"share": share, "base": base, "strict": strict}}})


def test_without_a_district_threshold_objections_are_counted_but_not_judged(disc_world):
    w = disc_world
    _households(w, 2)
    item = published_residents(w)
    for i in range(2):
        submit(item, kind="objection", household=f"1-{i}")
    item.refresh_from_db()
    assert item.correction_required_at is None
    assert fb.objection_status(item).correction_required is None


@pytest.mark.parametrize("objections, flagged", [(7, False), (8, True)])
def test_four_fifths_of_ten_households_is_the_edge(disc_world, objections, flagged):
    """80% of 10 households: 8 objections flag the item (8×5 = 40 ≥ 40), 7 do not."""
    w = disc_world
    _households(w, 10)
    _threshold(w, "4/5")
    item = published_residents(w)
    for i in range(objections):
        submit(item, kind="objection", household=f"1号楼{i}室")
    item.refresh_from_db()
    assert (item.correction_required_at is not None) is flagged
    status = fb.objection_status(item)
    assert status.correction_required is flagged
    assert f"{objections} 不赞成" in status.arithmetic_zh and "10 户居民" in status.arithmetic_zh


def test_a_strict_majority_of_responders_excludes_exactly_half(disc_world):
    w = disc_world
    _threshold(w, "1/2", base="responders", strict=True)
    item = published_residents(w)
    submit(item, kind="objection", household="1-1")
    item.refresh_from_db()
    assert item.correction_required_at is not None  # 1 of 1 responder
    submit(item, kind="question", household="1-2", text="何时公布下半年？")
    item.refresh_from_db()
    assert item.correction_required_at is None  # 1 of 2 responders: not more than half, the flag is lifted
    submit(item, kind="objection", household="1-3")
    item.refresh_from_db()
    assert item.correction_required_at is not None  # 2 of 3


def test_a_flagged_item_is_tracked_to_its_correction(disc_world):
    from jiceng.disclosure import services
    from jiceng.meetings.models import Kind

    from .conftest import passed_item

    w = disc_world
    _threshold(w, "1/2", base="responders")
    item = published_residents(w)
    submit(item, kind="objection", household="1-1")
    item.refresh_from_db()
    assert item.correction_required_at is not None
    new = services.correct(w.u.director, item, reason="居民多数不赞成，调整分配方案")
    services.review(w.u.supervisor, new, approved=True)
    services.record_decision(w.u.director, new, agenda_item=passed_item(w, Kind.TWO_COMMITTEES_JOINT_MEETING))
    services.publish(w.u.director, new)
    item.refresh_from_db()
    assert item.status == DisclosureItem.Status.SUPERSEDED and item.superseded_by == new
