"""Staff pages of organisational life: list pages at a constant number of queries, scope, refusals shown with the
rule, and the exports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.orglife import commitments, evaluation
from jiceng.orglife.models import Commitment, EvaluationRound

pytestmark = pytest.mark.django_db


def _commitments(w, n):
    today = timezone.localdate()
    for i in range(n):
        c = commitments.draft_commitment(w.worker_a, party_org=w.party_org, year=today.year,
                                         committer_type="member_without_post", area="sanitation",
                                         title=f"承诺{i}", content="内容", person=w.members[i % 5])
        commitments.post_for_review(w.worker_a, c, posted_on=today)


def test_commitment_list_query_count_does_not_grow(client, ol_world, django_assert_max_num_queries):
    client.force_login(ol_world.worker_a)
    _commitments(ol_world, 2)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("web:orglife_commitments")).status_code == 200
    _commitments(ol_world, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("web:orglife_commitments"))
    assert response.status_code == 200 and "承诺9" in response.content.decode()


def test_round_list_query_count_does_not_grow(client, ol_world, django_assert_max_num_queries):
    client.force_login(ol_world.worker_a)
    today = timezone.localdate()
    evaluation.open_round(ol_world.worker_a, party_org=ol_world.party_org, year=today.year, evaluated_on=today)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("web:orglife_rounds")).status_code == 200
    for year in range(2021, 2025):
        evaluation.open_round(ol_world.worker_a, party_org=ol_world.party_org, year=year,
                              evaluated_on=datetime.date(year, 12, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("web:orglife_rounds"))
    assert "2021" in response.content.decode()


def test_round_page_and_refusal_cites_the_rule(client, ol_world):
    w = ol_world
    today = timezone.localdate()
    rnd = evaluation.open_round(w.worker_a, party_org=w.party_org, year=today.year, evaluated_on=today)
    client.force_login(w.u.secretary)
    page = client.get(reverse("web:orglife_round", args=[rnd.pk]))
    assert page.status_code == 200 and "R-DEMEV-03" in page.content.decode()
    refused = client.post(reverse("web:orglife_round_act", args=[rnd.pk, "submit"]))
    assert refused.status_code == 422 and "R-DEMEV-01" in refused.content.decode()
    assert EvaluationRound.objects.get(pk=rnd.pk).status == "open"
    sheet = client.get(reverse("web:orglife_round_xlsx", args=[rnd.pk]))
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


def test_other_community_gets_404(client, ol_world):
    today = timezone.localdate()
    rnd = evaluation.open_round(ol_world.worker_a, party_org=ol_world.party_org, year=today.year, evaluated_on=today)
    client.force_login(ol_world.worker_b)
    assert client.get(reverse("web:orglife_round", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("web:orglife_participation") + f"?party_org={ol_world.party_org.pk}").status_code == 404


def test_member_drafts_on_the_phone_page(client, ol_world):
    w = ol_world
    client.force_login(w.member_user)
    form = client.get(reverse("web:orglife_commitment_new")).content.decode()
    assert f'<option value="{w.members[0].pk}" selected>' in form  # the member's own name is chosen
    response = client.post(reverse("web:orglife_commitment_new"), {
        "party_org": w.party_org.pk, "committer_type": "member_without_post", "area": "public_order",
        "person": w.members[0].pk, "title": "夜间巡逻", "content": "每周参加一次夜间巡逻。",
        "drafted_on": timezone.localdate().isoformat()})
    c = Commitment.objects.get(title="夜间巡逻")
    assert response.status_code == 302 and response["Location"] == reverse("web:orglife_commitment", args=[c.pk])
    page = client.get(reverse("web:orglife_commitment", args=[c.pk]))
    assert page.status_code == 200 and "夜间巡逻" in page.content.decode()


def test_participation_page_and_export(client, ol_world, django_assert_max_num_queries):
    client.force_login(ol_world.worker_a)
    url = reverse("web:orglife_participation") + f"?party_org={ol_world.party_org.pk}&year=2025"
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200 and "R-MTG-02" in response.content.decode()
    sheet = client.get(reverse("web:orglife_participation_xlsx") + f"?party_org={ol_world.party_org.pk}&year=2025")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


def test_screening_form_logs_and_refuses_a_non_committee_chair(client, ol_world):
    from jiceng.orglife import screenings
    from jiceng.orglife.models import Screening

    w = ol_world
    film = screenings.add_film(w.street_admin, area=w.street, title="榜样的力量", approved_on=datetime.date(2024, 1, 1))
    client.force_login(w.worker_a)
    page = client.get(reverse("web:orglife_participation") + f"?party_org={w.party_org.pk}")
    assert "榜样的力量" in page.content.decode()
    data = {"party_org": w.party_org.pk, "film": film.pk, "chair": w.members[0].pk,
            "held_on": timezone.localdate().isoformat(), "attendees": [p.pk for p in w.members[:3]]}
    refused = client.post(reverse("web:orglife_screening"), data, follow=True)
    assert "R-EDU-02" in refused.content.decode() and not Screening.objects.exists()
    data["chair"] = w.committee[0].pk
    client.post(reverse("web:orglife_screening"), data)
    assert Screening.objects.get().attendees.count() == 3


def test_participation_page_query_count_does_not_grow_with_meetings(client, ol_world, django_assert_max_num_queries):
    from jiceng.meetings.models import Kind
    from tests.orglife.test_participation import held

    w = ol_world
    client.force_login(w.worker_a)
    url = reverse("web:orglife_participation") + f"?party_org={w.party_org.pk}&year=2025"
    held(w, Kind.PARTY_MEMBERS_ASSEMBLY, datetime.date(2025, 2, 10), present=5)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for month in (4, 7, 10):
        held(w, Kind.PARTY_MEMBERS_ASSEMBLY, datetime.date(2025, month, 10), present=8)
        held(w, Kind.PARTY_LECTURE, datetime.date(2025, month, 11))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("会议议题") == 7


def test_commitment_steps_on_the_page(client, ol_world):
    w = ol_world
    today = timezone.localdate()
    c = commitments.draft_commitment(w.worker_a, party_org=w.party_org, year=today.year,
                                     committer_type="member_without_post", area="sanitation", title="清扫",
                                     content="内容", person=w.members[0])
    client.force_login(w.committee_user)
    refused = client.post(reverse("web:orglife_commitment_act", args=[c.pk, "review"]), {"on": today.isoformat()})
    assert refused.status_code == 422 and "R-COMMIT-04" in refused.content.decode()
    client.force_login(w.worker_a)
    posted = client.post(reverse("web:orglife_commitment_act", args=[c.pk, "posting"]), {"on": today.isoformat()})
    assert posted.status_code == 302
    client.force_login(w.committee_user)
    client.post(reverse("web:orglife_commitment_act", args=[c.pk, "review"]), {"on": today.isoformat()})
    c.refresh_from_db()
    assert c.status == Commitment.Status.ORGANISATIONALLY_REVIEWED


def test_round_page_through_approval_and_close(client, ol_world):
    from tests.orglife.test_evaluation import graded_round

    w = ol_world
    rnd, evaluations = graded_round(w, unqualified=0)
    client.force_login(w.pwc_user)
    page = client.get(reverse("web:orglife_round", args=[rnd.pk]))
    assert page.status_code == 200 and "审定（街道党工委）" in page.content.decode()
    for e in evaluations:
        response = client.post(reverse("web:orglife_round_act", args=[rnd.pk, "approve"]), {"evaluation": e.pk})
        assert response.status_code == 302
    client.force_login(w.u.secretary)
    closed = client.post(reverse("web:orglife_round_act", args=[rnd.pk, "close"]),
                         {"summary": "小结", "rectification": "整改"})
    assert closed.status_code == 302
    page = client.get(reverse("web:orglife_round", args=[rnd.pk]))
    assert page.status_code == 200 and "评议结果公开事项" in page.content.decode()
