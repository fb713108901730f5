"""Counting on screen (R-EVAL-10: 现场统计并公布结果): the live panel on the meeting page, which polls itself while
the meeting is held and stops once it is closed, the projector page, and deciding a secret-ballot item from its
ballots with one button."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest

from jiceng.meetings import ballots, minutes, services
from jiceng.meetings.models import AgendaItem, Meeting
from tests import builders
from tests.meetings import conftest as meetings_conftest
from tests.meetings.conftest import at

street_world = meetings_conftest.street_world  # the fixture: a PWC of 9, community A's bodies, street staff

pytestmark = pytest.mark.django_db

EVALUATORS = 52  # R-EVAL-05: at least 50 evaluators
PRESENT = 50
TRIGGER = 'hx-trigger="every 3s"'
FULL = builders.FULL_EVALUATION_BALLOT


@pytest.fixture
def evaluation(street_world):
    """An evaluation meeting of community A held yesterday, with codes issued to the 50 evaluators who came."""
    sw = street_world
    meeting, _people, _day = builders.held_evaluation_meeting(sw, evaluators=EVALUATORS, present=PRESENT)
    return SimpleNamespace(sw=sw, staff=sw.street_staff, meeting=meeting, path=f"/meetings/{meeting.pk}/")


@pytest.fixture
def issued(evaluation):
    return SimpleNamespace(**vars(evaluation), codes=ballots.issue_ballots(evaluation.staff, evaluation.meeting))


@pytest.fixture
def pwc_ballot(street_world):
    """A PWC meeting of 9 with 7 present and a major item, voted by secret ballot (R-PWC-12), codes issued."""
    sw = street_world
    day = sw.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(sw.street_staff, kind="pwc_meeting", body=sw.pwc, title="党工委会议",
                                      scheduled_at=at(day))
    item = services.add_item(sw.street_staff, meeting, title="社区服务中心改造", kind=AgendaItem.ItemKind.MAJOR)
    services.publish_notice(sw.street_staff, meeting, published_at=at(day - datetime.timedelta(days=5)))
    services.hold(sw.street_staff, meeting, held_at=at(day), present=[p.pk for p in sw.pwc_members[:7]],
                  chair=sw.secretary, recorder=sw.pwc_members[2])
    codes = ballots.issue_ballots(sw.street_staff, meeting)
    return SimpleNamespace(sw=sw, meeting=meeting, item=item, codes=codes, key=f"item:{item.pk}",
                           path=f"/meetings/{meeting.pk}/")


def _close(e) -> None:
    """Closing needs signed minutes (R-MTG-18)."""
    minutes.sign_minutes(e.staff, minutes.generate_minutes(e.staff, e.meeting))
    services.close_meeting(e.staff, Meeting.objects.get(pk=e.meeting.pk))


def _row(html: str, line: str) -> dict[str, int]:
    """The counts shown on one line of the panel: {choice: count}, with "blank" for the lines left empty."""
    row = re.search(rf'<tr data-line="{re.escape(line)}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {line}"
    cells = re.findall(r'data-choice="([a-z_]+)"><span class="count">(\d+)</span>', row.group(1))
    return {choice: int(count) for choice, count in cells}


def _totals(html: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"<dd>(\d+)</dd>", html.split('class="tally-totals"')[1])[:3])


# The live panel --------------------------------------------------------------------------------------

def test_live_panel_counts_each_grade_per_line(client, issued):
    ballots.cast_ballot(issued.codes[0], FULL)
    ballots.cast_ballot(issued.codes[1], {**FULL, "overall": "dissatisfied", "head:rc_director": "excellent"})
    ballots.cast_ballot(issued.codes[2], {"overall": "satisfied"})
    client.force_login(issued.staff)
    response = client.get(f"{issued.path}results/live/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _totals(html) == (PRESENT, 3, PRESENT - 3)
    assert _row(html, "overall") == {"satisfied": 2, "basically_satisfied": 0, "dissatisfied": 1, "blank": 0}
    assert _row(html, "head:rc_director") == {"excellent": 1, "competent": 1, "basically_competent": 0,
                                              "incompetent": 0, "blank": 1}
    assert html.count("<tr data-line=") == len(ballots.EVALUATION_LINES)
    # Two scales, two tables, each headed by its grades.
    assert html.count('<table class="tally">') == 2
    for grade in ("满意", "基本满意", "不满意", "优秀", "称职", "基本称职", "不称职", "未填"):
        assert f'class="num">{grade}</th>' in html
    assert 'style="width: 67%"' in html  # 2 of 3 ballots cast are 满意 on the overall work
    assert "R-EVAL-10" in html and "按选票计票" not in html
    assert f'hx-get="/meetings/{issued.meeting.pk}/results/live/"' in html and TRIGGER in html


def test_meeting_page_shows_the_panel_once_ballots_are_issued(client, evaluation):
    client.force_login(evaluation.staff)
    before = client.get(evaluation.path).content.decode()
    assert 'id="live-results"' not in before
    assert f'href="/meetings/{evaluation.meeting.pk}/results/"' in before  # next to the ballot slips link
    codes = ballots.issue_ballots(evaluation.staff, evaluation.meeting)
    ballots.cast_ballot(codes[0], FULL)
    html = client.get(evaluation.path).content.decode()
    assert 'id="live-results"' in html and TRIGGER in html
    assert _totals(html) == (PRESENT, 1, PRESENT - 1)
    assert _row(html, "body:residents_committee")["dissatisfied"] == 1


def test_polling_stops_once_the_meeting_is_closed(client, issued):
    ballots.cast_ballot(issued.codes[0], FULL)
    client.force_login(issued.staff)
    assert TRIGGER in client.get(f"{issued.path}results/live/").content.decode()
    _close(issued)
    live = client.get(f"{issued.path}results/live/").content.decode()
    assert TRIGGER not in live and "hx-get" not in live and "投票已结束" in live
    assert _row(live, "overall")["satisfied"] == 1  # the counts stay on screen
    page = client.get(issued.path).content.decode()
    assert 'id="live-results"' in page and TRIGGER not in page
    assert TRIGGER not in client.get(f"{issued.path}results/").content.decode()


def test_live_panel_queries_do_not_grow_with_the_ballots(client, issued, django_assert_max_num_queries):
    for code in issued.codes[:2]:
        ballots.cast_ballot(code, FULL)
    client.force_login(issued.staff)
    path = f"{issued.path}results/live/"
    client.get(path)
    # The session, the user and their grants, saving the session (3); the meeting (2); the one aggregate over
    # the ballots; the rulebook version for the publication deadline.
    with django_assert_max_num_queries(10):
        first = client.get(path).content.decode()
    for code in issued.codes[2:]:
        ballots.cast_ballot(code, {"overall": "basically_satisfied"})
    with django_assert_max_num_queries(10):
        html = client.get(path).content.decode()
    assert _row(first, "overall")["satisfied"] == 2
    assert _row(html, "overall") == {"satisfied": 2, "basically_satisfied": PRESENT - 2, "dissatisfied": 0,
                                     "blank": 0}


def test_live_panel_of_secret_ballot_items_is_bounded(client, pwc_ballot, django_assert_max_num_queries):
    p = pwc_ballot
    for i in range(5):
        services.add_item(p.sw.street_staff, p.meeting, title=f"临时议题{i}", override_reason="紧急")
    ballots.cast_ballot(p.codes[0], {p.key: "yes"})
    client.force_login(p.sw.street_staff)
    path = f"{p.path}results/live/"
    client.get(path)
    # As for an evaluation, with the items voted on and their statuses instead of the rulebook version.
    with django_assert_max_num_queries(11):
        html = client.get(path).content.decode()
    assert html.count("<tr data-line=") == 6
    assert _row(html, p.key) == {"yes": 1, "no": 0, "abstain": 0, "blank": 0}


# The projector page and who may see it ---------------------------------------------------------------

def test_projector_page_shows_the_live_panel_in_big_type(client, issued):
    ballots.cast_ballot(issued.codes[0], FULL)
    path = f"{issued.path}results/"
    assert client.get(path).status_code == 302  # login required
    client.force_login(issued.staff)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="projector"' in html and 'id="live-results"' in html and "年度评议会" in html
    assert f'hx-get="/meetings/{issued.meeting.pk}/results/live/?view=projector"' in html and TRIGGER in html
    assert _row(html, "head:cgo_director")["incompetent"] == 1
    publish_due = (issued.meeting.occurred_on + datetime.timedelta(days=7)).isoformat()
    assert publish_due in html  # R-EVAL-12: the results are due within seven days


def test_a_meeting_outside_the_scope_is_404(client, pwc_ballot):
    p = pwc_ballot
    ballots.cast_ballot(p.codes[0], {p.key: "yes"})
    assert client.get(f"{p.path}results/live/").status_code == 302
    client.force_login(p.sw.worker_b)
    assert client.get(f"{p.path}results/").status_code == 404
    assert client.get(f"{p.path}results/live/").status_code == 404
    assert client.post(f"{p.path}items/{p.item.pk}/tally/").status_code == 404
    assert AgendaItem.objects.get(pk=p.item.pk).status == AgendaItem.Status.PENDING


# Deciding a secret-ballot item from its ballots ------------------------------------------------------

def test_tally_button_records_the_items_outcome_from_the_ballots(client, pwc_ballot):
    p = pwc_ballot
    client.force_login(p.sw.street_staff)
    tally = f"{p.path}items/{p.item.pk}/tally/"
    assert tally not in client.get(f"{p.path}results/live/").content.decode()  # nothing cast yet
    for code, choice in zip(p.codes, ["yes"] * 5 + ["no", "abstain"], strict=True):
        ballots.cast_ballot(code, {p.key: choice})
    page = client.get(p.path).content.decode()
    assert f'action="{tally}"' in page and "按选票计票" in page
    assert _row(page, p.key) == {"yes": 5, "no": 1, "abstain": 1, "blank": 0}

    response = client.post(tally, follow=True)
    assert response.redirect_chain[-1][0] == f"{p.path}#item-{p.item.pk}"
    item = AgendaItem.objects.get(pk=p.item.pk)
    assert (item.status, item.method, item.yes, item.no, item.abstain) == ("passed", "ballot", 5, 1, 1)
    assert item.rule == "R-PWC-11"
    html = response.content.decode()
    assert "已按选票计票" in html and "5 赞成 &gt; 9 名应到会成员的 1/2" in html
    assert f'action="{tally}"' not in html  # decided: no second tally
    assert _row(html, p.key) == {"yes": 5, "no": 1, "abstain": 1, "blank": 0}


def test_tally_from_the_projector_returns_to_the_projector(client, pwc_ballot):
    p = pwc_ballot
    for code in p.codes[:6]:
        ballots.cast_ballot(code, {p.key: "no"})
    client.force_login(p.sw.street_staff)
    projector = client.get(f"{p.path}results/").content.decode()
    assert 'name="view" value="projector"' in projector
    response = client.post(f"{p.path}items/{p.item.pk}/tally/", {"view": "projector"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{p.path}results/"
    assert AgendaItem.objects.get(pk=p.item.pk).status == AgendaItem.Status.REJECTED
    assert "未通过" in response.content.decode()


def test_tally_refusal_shows_the_reason(client, street_world):
    w = street_world
    day = w.today - datetime.timedelta(days=1)
    meeting = services.create_meeting(w.street_staff, kind="pwc_meeting", body=w.pwc, title="党工委会议",
                                      scheduled_at=at(day))
    item = services.add_item(w.street_staff, meeting, title="年度预算")
    services.publish_notice(w.street_staff, meeting, published_at=at(day - datetime.timedelta(days=5)))
    services.hold(w.street_staff, meeting, held_at=at(day), present=[p.pk for p in w.pwc_members[:7]],
                  chair=w.secretary, recorder=w.pwc_members[2])
    client.force_login(w.street_staff)
    assert 'id="live-results"' not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    response = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/tally/", follow=True)
    assert response.status_code == 200 and "本次会议尚未发放选票" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItem.Status.PENDING
    assert client.post(f"/meetings/{meeting.pk}/items/999999/tally/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/items/{item.pk}/tally/").status_code == 405
