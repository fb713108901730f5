"""Scan checks of party-member affairs (registered with the compliance scan of `jiceng.accountability`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Prefetch

from jiceng.accountability.checks import Found, Scope, check
from jiceng.orgs.models import Body
from jiceng.rules import party as r
from jiceng.rules.base import Rulebook


@check("party.dues_unpaid", "party")
def unpaid_dues(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """R-DUES-07: a member with six or more consecutive ended months unpaid and no valid reason recorded. A flag for
    the branch with the months as evidence; it cures when the months are paid back or excused, and the member is
    removed only by `party.services.decide_unpaid` with the assembly's decision and the superior's approval."""
    from .models import DuesDecision, DuesMonth, PartyMember
    from .queries import unpaid_run

    members = list(PartyMember.objects.filter(community__in=scope.communities, status__in=PartyMember.MEMBERS)
                   .select_related("person", "community", "party_org")
                   .prefetch_related(Prefetch("dues_decisions", queryset=DuesDecision.objects.all())))
    paid: dict[int, set] = defaultdict(set)
    for member_id, month in DuesMonth.objects.filter(member__in=members).values_list("member_id", "month"):
        paid[member_id].add(month)
    rulebook = Rulebook.for_areas(scope.communities)  # each district's versions read once
    for member in members:
        run = unpaid_run(member, today, paid=paid[member.pk], decisions=member.dues_decisions.all())
        params, _ = rulebook.params(r.UNPAID_STREAK, member.community, today)
        if r.UNPAID_STREAK.decide(params, streak=len(run)) != "case":
            continue
        yield Found(
            key=f"party.dues_unpaid:{member.pk}:{run[0]:%Y-%m}", rule_id=r.UNPAID_STREAK.id, area=member.community,
            subject=member, title=f"{member.person.name}自{run[0]:%Y年%m月}起连续{len(run)}个月未交纳党费",
            occurred_on=r.next_month(run[params.months - 1]), link=f"/party/members/{member.pk}/",
            evidence={"member": member.pk, "months": [f"{m:%Y-%m}" for m in run], "streak": len(run),
                      "threshold": params.months},
            responsible_body=member.party_org if member.party_org.kind == Body.Kind.COMMUNITY_PARTY_ORG else None)
