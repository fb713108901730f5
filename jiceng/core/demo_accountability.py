"""The demo's accountability: the compliance scan over the street as it stands, and two cases — one closed and
made public, one waiting for its rectification deadline — decided by the district organisation department."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jiceng.accountability import services
from jiceng.accountability.models import Finding
from jiceng.accountability.scan import run_scan
from jiceng.orgs.models import Area


def build_accountability(district: Area, street: Area, communities: list[dict], decider) -> None:
    run_scan(district)
    street_admin = get_user_model().objects.get(username="jiedao")
    qingdao, nanchang = communities[1], communities[2]
    unanswered = Finding.objects.filter(area=qingdao["area"], check_name="disclosure.feedback_unanswered")
    if unanswered.exists():
        case = services.open_case(street_admin, area=street, findings=list(unanswered), ground="community_2",
                                  title="青岛路社区党务公开反馈逾期未答复")
        services.classify(decider, case, severity="light", subject="community_team", person=qingdao["secretary"],
                          post="社区党组织书记")
        services.add_measure(decider, case, measure="written_self_criticism", note="书面检查已交区委组织部。")
        services.close_case(decider, case, summary="社区已答复居民询问，建立反馈台账，书记作出书面检查。")
    overdue = Finding.objects.filter(area=nanchang["area"], check_name="disclosure.overdue")
    if overdue.exists():
        case = services.open_case(street_admin, area=street, findings=list(overdue), ground="community_2",
                                  title="南昌路社区居务公开逾期未公开")
        services.classify(decider, case, severity="light", subject="community_team", person=nanchang["secretary"],
                          post="社区党委书记")
        services.add_measure(decider, case, measure="rectify_within_deadline", note="补齐10月以来的居务公开。",
                             rectify_by=timezone.localdate() + datetime.timedelta(days=14))

