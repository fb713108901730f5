"""The rulebook page: every rule in force for the user's district on a date, grouped by ID prefix, with its
parameters in plain Chinese. The numbers come from jiceng.rules (rules_in_force); this module only words them."""

from __future__ import annotations

from fractions import Fraction

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jiceng.accounts import scope
from jiceng.orgs.models import Area
from jiceng.rules.base import DEFAULT_VERSION, REGISTRY
from jiceng.rules.org import OrgFormParams
from jiceng.rules.presenters import rules_in_force
from jiceng.rules.shapes import CadenceParams, DeadlineParams, EscalationParams, MinimumParams, NoticeParams
from jiceng.rules.thresholds import Base

from ..forms_meetings import OnForm

# Groups in the order a secretary looks for them; prefixes not listed follow in alphabetical order.
GROUPS = {
    "R-HEAR": gettext_lazy("听证会"),
    "R-DELIB": gettext_lazy("议事会"),
    "R-EVAL": gettext_lazy("评议会"),
    "R-PWC": gettext_lazy("街道党工委会议"),
    "R-JOINT": gettext_lazy("两委联席会议"),
    "A-PARTY": gettext_lazy("社区党组织委员会会议与民主生活会"),
    "R-MTG": gettext_lazy("会议频次、民主生活会与会议记录"),
    "R-ORG": gettext_lazy("组织设置"),
    "A-COM": gettext_lazy("社区成员代表大会"),
    "A-HEAR": gettext_lazy("社区听证会（001）"),
    "A-MEET": gettext_lazy("街道办事处会议"),
    "R-WF": gettext_lazy("“一征三议两公开”工作法"),
    "R-DOC": gettext_lazy("公文与会议纪要"),
    "R-CPO": gettext_lazy("社区党组织会议"),
    "R-PDISC": gettext_lazy("党务公开"),
    "R-RDISC": gettext_lazy("居务公开"),
    "A-OPEN": gettext_lazy("三公开一监督"),
    "R-ARCH": gettext_lazy("决策档案"),
    "A-ARC": gettext_lazy("档案管理"),
    "A-SEC": gettext_lazy("保密"),
    "R-ACC": gettext_lazy("责任追究"),
    "JC-SYS": gettext_lazy("系统规则"),
}
ACTIONS = {
    "enforce": ("ENFORCE", gettext_lazy("不符合即拒绝")),
    "enforce_o": ("ENFORCE-O", gettext_lazy("不符合即拒绝；经授权人员说明理由可例外，理由存档")),
    "warn": ("WARN", gettext_lazy("提示，不阻止")),
    "remind": ("REMIND", gettext_lazy("到期提醒")),
    "record": ("RECORD", gettext_lazy("须留存记录")),
    "publish": ("PUBLISH", gettext_lazy("须在期限内公布")),
    "escalate": ("ESCALATE", gettext_lazy("须提交上一级")),
}
BASES = {Base.EXPECTED: gettext_lazy("应到人数"), Base.MEMBERS_TOTAL: gettext_lazy("全体成员"),
         Base.PRESENT: gettext_lazy("出席人员"), Base.VALID_BALLOTS: gettext_lazy("有效票")}
SHARES = {Fraction(1, 2): gettext_lazy("半数"), Fraction(2, 3): gettext_lazy("三分之二"),
          Fraction(4, 5): gettext_lazy("五分之四"), Fraction(1, 3): gettext_lazy("三分之一"),
          Fraction(3, 4): gettext_lazy("四分之三")}
PERIODS = {"month": gettext_lazy("每月"), "quarter": gettext_lazy("每季度"), "half_year": gettext_lazy("每半年"),
           "year": gettext_lazy("每年")}
TRIGGERS = {"below_two_thirds": gettext_lazy("未达到三分之二赞成即提交"),
            "not_unanimous": gettext_lazy("未能一致同意即提交")}


def threshold_text(value: dict) -> str:
    """{"share": "1/2", "base": "present", "strict": True} → "出席人员过半数（不含半数）"."""
    base = BASES.get(value["base"], value["base"])
    if value["share"] is None:
        return _("%(base)s的比例尚未设定，须由区设定") % {"base": base}
    share = Fraction(value["share"])
    name = SHARES.get(share, str(share))
    if share == Fraction(1, 2) and value["strict"]:
        return _("%(base)s过半数（不含半数）") % {"base": base}
    if value["strict"]:
        return _("超过%(base)s的%(share)s（不含本数）") % {"base": base, "share": name}
    return _("%(base)s的%(share)s以上（含本数）") % {"base": base, "share": name}


def params_text(rule, params) -> list[str]:
    """A rule's parameters as sentences; the shape of the catalogue rule says which words fit."""
    shape = rule.params
    if params is None:
        return []
    if isinstance(shape, NoticeParams):
        return [_("提前 %(days)s 日") % params]
    if isinstance(shape, DeadlineParams):
        return [_("%(days)s 日内") % params]
    if isinstance(shape, MinimumParams):
        return [_("不少于 %(minimum)s 人") % params]
    if isinstance(shape, CadenceParams):
        return [_("%(period)s至少 %(count)s 次") % {"period": PERIODS.get(params["period"], params["period"]),
                                                    "count": params["count"]}]
    if isinstance(shape, EscalationParams):
        return [str(TRIGGERS.get(params["trigger"], params["trigger"]))]
    if isinstance(shape, OrgFormParams):
        return [_("党员 %(min_members)s–%(branch_max)s 名设党支部") % params,
                _("%(general_branch_min)s–%(general_branch_max)s 名设党总支") % params,
                _("%(committee_min)s 名以上设党委") % params]
    if isinstance(params, dict):
        return [threshold_text(v) if isinstance(v, dict) and "base" in v else f"{name}: {v}"
                for name, v in params.items()]
    return [str(params)]


def _prefix(rule_id: str) -> str:
    return rule_id.rsplit("-", 1)[0]


@login_required
def rules(request):
    form = OnForm(request.GET or None)
    on = (form.cleaned_data["on"] if form.is_bound and form.is_valid() else None) or scope.today()
    area = scope.root_areas(request.user).order_by("path").first()
    district = area.ancestor_at(Area.Level.DISTRICT) if area is not None else None
    english = (get_language() or "").startswith("en")
    groups: dict[str, list[dict]] = {}
    rows = rules_in_force(area, on)
    for row in rows:
        rule = REGISTRY[row["key"]]
        code, meaning = ACTIONS.get(row["action"], (row["action"].upper(), ""))
        groups.setdefault(_prefix(row["id"]), []).append(row | {
            "variant": rule.variant, "action_code": code, "action_meaning": meaning,
            "summary": row["summary_en"] if english else row["summary_zh"],
            "params_text": params_text(rule, row["params"]),
        })
    order = [p for p in GROUPS if p in groups] + sorted(p for p in groups if p not in GROUPS)
    versions = sorted({row["version"] for row in rows})
    return render(request, "web/rules.html", {
        "form": form, "on": on, "district": district, "versions": versions, "default_version": DEFAULT_VERSION,
        "groups": [{"prefix": p, "label": GROUPS.get(p, p),
                    "rules": sorted(groups[p], key=lambda r: (int(r["id"].rsplit("-", 1)[1]), r["key"]))}
                   for p in order],
        "count": len(rows),
    })
