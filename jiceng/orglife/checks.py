"""The compliance scan's checks for organisational life (rules-core §2.13 FLAG). The meeting cadences of 三会一课
(R-MTG-01..08) are already checked by `meetings.cadence_missed` and the quarterly commitment publicity (R-COMMIT-07
一季一公示, category P04) by `disclosure.overdue`; these are the FLAGs nobody else checks:

- R-DEMEV-01 (= R-MTG-13): a party organisation without a closed democratic evaluation for the past year;
- R-DEMEV-03: a closed evaluation whose participation stayed below the minimum ("FLAG on completion");
- R-COMMIT-07: a published commitment without its review in a half-year that has ended (半年一点评);
- R-EDU-02 (= R-MTG-14): a month that ended without a logged e-education screening.

Each breach is an event (a period that passed), so none of them cures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from jiceng.accountability.checks import Found, Scope, check
from jiceng.meetings.schedules import period_bounds
from jiceng.orgs.models import Body
from jiceng.rules import orglife as r

FAMILY = "orglife"


def _party_orgs(scope: Scope, on: datetime.date):
    return (Body.objects.active(on).filter(scope.bodies_q(), kind__in=Body.PARTY_ORG_KINDS)
            .select_related("area").order_by("pk"))


@check("orglife.evaluation_missing", FAMILY, cures=False)
def evaluation_missing(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """No closed democratic evaluation of members for last year (R-DEMEV-01, R-MTG-13)."""
    from .models import EvaluationRound

    year = today.year - 1
    start = datetime.date(year, 1, 1)
    orgs = [b for b in _party_orgs(scope, today) if b.opened_on <= start]
    done = set(EvaluationRound.objects.filter(party_org__in=orgs, year=year, status=EvaluationRound.Status.CLOSED)
               .values_list("party_org_id", flat=True))
    for body in orgs:
        if body.pk in done:
            continue
        yield Found(key=f"orglife.evaluation_missing:{body.pk}:{year}", rule_id=r.DEMEV_CADENCE.id,
                    area=scope.area_of(body.area), subject=body,
                    title=f"{body.name}{year}年度未完成民主评议党员", occurred_on=datetime.date(year + 1, 1, 1),
                    link=f"/orglife/evaluations/?party_org={body.pk}", evidence={"year": year},
                    responsible_body=body)


@check("orglife.participation_below", FAMILY, cures=False)
def participation_below(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A democratic evaluation closed with participation below 95% (R-DEMEV-03: WARN, FLAG on completion)."""
    from .models import EvaluationRound

    rounds = (EvaluationRound.objects.filter(scope.bodies_q("party_org__"), status=EvaluationRound.Status.CLOSED,
                                             participation_warning__isnull=False)
              .select_related("party_org__area"))
    for rnd in rounds.iterator():
        yield Found(key=f"orglife.participation_below:{rnd.pk}", rule_id=r.DEMEV_PARTICIPATION.id,
                    area=scope.area_of(rnd.party_org.area), subject=rnd,
                    title=f"{rnd}参评率{rnd.participant_count}/{rnd.base_count}未达到规定",
                    occurred_on=timezone.localdate(rnd.closed_at) if rnd.closed_at else today,
                    link=f"/orglife/evaluations/{rnd.pk}/",
                    evidence={"participants": rnd.participant_count, "base": rnd.base_count},
                    responsible_body=rnd.party_org)


@check("orglife.commitment_unreviewed", FAMILY, cures=False)
def commitment_unreviewed(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A published commitment not reviewed in the half-year that last ended (R-COMMIT-07 半年一点评)."""
    from .models import Commitment, CommitmentStep

    current, _end = period_bounds("half_year", today)
    start, end = period_bounds("half_year", current - datetime.timedelta(days=1))
    rows = (Commitment.objects.filter(scope.bodies_q("party_org__"), year=start.year, published_on__lte=end,
                                      status__in=(Commitment.Status.PUBLISHED, Commitment.Status.APPRAISED))
            .exclude(steps__kind=CommitmentStep.Kind.HALF_YEAR_REVIEW, steps__period_start=start)
            .select_related("party_org__area"))
    for c in rows.iterator():
        yield Found(key=f"orglife.commitment_unreviewed:{c.pk}:{start}", rule_id=r.COMMIT_REVIEW_CADENCE.id,
                    area=scope.area_of(c.party_org.area), subject=c,
                    title=f"承诺「{c.title[:30]}」{start:%Y-%m}起的半年未点评",
                    occurred_on=end + datetime.timedelta(days=1), link=f"/orglife/commitments/{c.pk}/",
                    evidence={"period_start": start.isoformat(), "period_end": end.isoformat()},
                    responsible_body=c.party_org)


@check("orglife.screening_missed", FAMILY, cures=False)
def screening_missed(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Last month passed without a logged e-education screening (R-EDU-02, R-MTG-14)."""
    from .models import Screening

    current, _end = period_bounds("month", today)
    start, end = period_bounds("month", current - datetime.timedelta(days=1))
    orgs = [b for b in _party_orgs(scope, today) if b.opened_on <= start]
    held = set(Screening.objects.filter(party_org__in=orgs, held_on__range=(start, end))
               .values_list("party_org_id", flat=True))
    for body in orgs:
        if body.pk in held:
            continue
        yield Found(key=f"orglife.screening_missed:{body.pk}:{start}", rule_id=r.EDU_MONTHLY.id,
                    area=scope.area_of(body.area), subject=body,
                    title=f"{body.name}{start:%Y年%m月}未组织党员收看电教片",
                    occurred_on=end + datetime.timedelta(days=1),
                    link=f"/orglife/participation/?party_org={body.pk}&year={start.year}",
                    evidence={"period_start": start.isoformat(), "period_end": end.isoformat()},
                    responsible_body=body)
