"""Party-member affairs (rules-core §2.14 R-DEV, §2.15 R-DUES, §2.16 R-MOB; rules-admin A-PARTY-37, A-PARTY-42,
A-PARTY-43 and the cross-catalogue note X-01).

Every number the seeds give lives here; numbers the seeds leave open (the admission vote's threshold, the length of
probation) are parameters without a default that a district sets in its rulebook version (E-20), and a service that
needs one refuses with `rule_parameter_unset` until it is set.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from .base import Citation, Rule
from .shapes import S002B, passing_rule
from .thresholds import Base, Threshold

S003_5 = "003 第5篇《党内各项制度和办事程序》"


# Dates -------------------------------------------------------------------------------------------------

def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same calendar date `months` later; a date the target month lacks moves to the 1st of the month after
    (2024-02-29 + 12 → 2025-03-01, rules-core §0.3)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day.day > calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, 1) + datetime.timedelta(days=calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day.day)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of every month from `first`'s month to `last`'s month, both included."""
    out, cursor, end = [], month_start(first), month_start(last)
    while cursor <= end:
        out.append(cursor)
        cursor = next_month(cursor)
    return out


# R-ORG-13: in-service members ---------------------------------------------------------------------------

IN_SERVICE = Rule(
    id="R-ORG-13", citation=Citation("《重庆市街道社区党组织工作规定》", "第二十九条"), action="record",
    summary_zh="坚持在职党员回居住地社区报到制度：登记工作单位及其党组织，参加社区建设的情况向所在单位党组织反馈。",
    summary_en="Employed members register with their residence community, with their unit and its party "
               "organisation; their community work is fed back to the unit.",
    params=None,
)


@IN_SERVICE.decides
def in_service(_p, *, in_service: bool, work_unit: str) -> None:
    if in_service and not work_unit.strip():
        raise IN_SERVICE.violation("in_service_unit_missing", "在职党员回社区报到须登记工作单位",
                                   "An in-service member registers his work unit", {})


# R-DEV: the development pipeline -----------------------------------------------------------------------

@dataclass(frozen=True)
class PlanParams:
    admit_min: int
    admit_max: int
    activists_min: int
    activists_max: int


YEARLY_PLAN = Rule(
    id="R-DEV-02", citation=Citation(S002B, "四2"), action="warn",
    summary_zh="原则上每年发展1—2名新党员，培养3—5名入党积极分子。",
    summary_en="In principle a branch admits 1–2 new members and trains 3–5 activists a year.",
    params=PlanParams(admit_min=1, admit_max=2, activists_min=3, activists_max=5),
)


@YEARLY_PLAN.decides
def yearly_plan(p: PlanParams, *, admitted: int, activists: int) -> list[dict]:
    """Warnings (never a refusal: 原则上) when the year's admissions or activists fall outside the ranges."""
    warnings = []
    if not p.admit_min <= admitted <= p.admit_max:
        warnings.append({"code": "admissions_outside_plan", "rule": YEARLY_PLAN.id, "count": admitted,
                         "message": f"本年发展新党员{admitted}名，原则上为{p.admit_min}—{p.admit_max}名",
                         "message_en": f"{admitted} admitted this year; in principle {p.admit_min}–{p.admit_max}"})
    if not p.activists_min <= activists <= p.activists_max:
        warnings.append({"code": "activists_outside_plan", "rule": YEARLY_PLAN.id, "count": activists,
                         "message": f"培养入党积极分子{activists}名，原则上为{p.activists_min}—{p.activists_max}名",
                         "message_en": f"{activists} activists in training; in principle "
                                       f"{p.activists_min}–{p.activists_max}"})
    return warnings


@dataclass(frozen=True)
class SponsorParams:
    count: int
    status: str  # the status each sponsor holds on the assignment date


SPONSORS = Rule(
    id="R-DEV-03", citation=Citation(S002B, "四3"),
    summary_zh="指定两名正式党员对入党积极分子进行培养帮助，负责组织必要的政审。",
    summary_en="Each activist is assigned two full members as sponsors; the branch organises the vetting.",
    params=SponsorParams(count=2, status="full_member"),
)


@SPONSORS.decides
def sponsors(p: SponsorParams, *, statuses: list[str], distinct: int) -> None:
    """Exactly `count` distinct sponsors, each a full (not probationary) member on the assignment date."""
    wrong = [s for s in statuses if s != p.status]
    if len(statuses) == p.count and distinct == p.count and not wrong:
        return
    raise SPONSORS.violation(
        "sponsors_invalid", f"须指定{p.count}名不同的正式党员作培养联系人，现为{len(statuses)}名，"
        f"其中{len(wrong)}名当日不是正式党员",
        f"Exactly {p.count} different full members must sponsor; got {len(statuses)}, {len(wrong)} not full "
        "members on that date", {"count": len(statuses), "distinct": distinct, "not_full": len(wrong),
                                 "required": p.count})


VETTING = Rule(
    id="R-DEV-03", variant="vetting", citation=Citation(S002B, "四3"),
    summary_zh="接收预备党员前须有政治审查记录。",
    summary_en="A political vetting record must exist before the admission vote.",
    params=None,
)


@VETTING.decides
def vetting(_p, *, vetted_on: datetime.date | None, vote_on: datetime.date) -> None:
    if vetted_on is not None and vetted_on <= vote_on:
        return
    raise VETTING.violation("vetting_missing", "尚无政治审查记录，不能提交党员大会表决",
                            "No political vetting is on record before the vote",
                            {"vetted_on": vetted_on.isoformat() if vetted_on else None,
                             "vote_on": vote_on.isoformat()})


@dataclass(frozen=True)
class TrainingParams:
    months: int  # 一年以上: on or after the same calendar date a year later


TRAINING = Rule(
    id="R-DEV-04", citation=Citation(S002B, "四4"),
    summary_zh="对入党积极分子必须经过一年以上的培养、教育后，才能列入发展对象。",
    summary_en="An activist becomes a development target only after at least one year of training.",
    params=TrainingParams(months=12),
)


@TRAINING.decides
def training(p: TrainingParams, *, activist_on: datetime.date, target_on: datetime.date) -> datetime.date:
    """The earliest allowed date; 2024-06-01 → 2025-06-01 allowed, 2025-05-31 refused."""
    earliest = add_months(activist_on, p.months)
    if target_on >= earliest:
        return earliest
    raise TRAINING.violation(
        "training_period_not_met", f"{activist_on}确定为入党积极分子，培养期未满一年，最早{earliest}方可列为发展对象",
        f"Activist since {activist_on}: a year of training ends on {earliest}",
        {"activist_on": activist_on.isoformat(), "target_on": target_on.isoformat(),
         "earliest": earliest.isoformat()})


@dataclass(frozen=True)
class NoticeParams:
    days: int  # 公示时间不少于七天: the vote may be taken on start + days at the earliest


PUBLIC_NOTICE = Rule(
    id="R-DEV-05", citation=Citation(S002B, "四4"),
    summary_zh="拟接收为预备党员的积极分子和即将转正的预备党员要进行公示（公示时间不少于七天，003 第5篇 六4）。",
    summary_en="Persons to be admitted or confirmed are publicly notified first; the notice runs at least 7 days "
               "(seed 003 part 5, VI 4).",
    params=NoticeParams(days=7),
)


@PUBLIC_NOTICE.decides
def public_notice(p: NoticeParams, *, started_on: datetime.date | None, vote_on: datetime.date,
                  feedback_considered: bool) -> datetime.date:
    """The notice must have started, run `days` full days before the vote, and its feedback been considered."""
    if started_on is None:
        raise PUBLIC_NOTICE.violation("public_notice_missing", "尚未进行公示，不能提交党员大会表决",
                                      "No public notice has been given before the vote", {"required_days": p.days})
    ends = started_on + datetime.timedelta(days=p.days)
    if vote_on < ends:
        raise PUBLIC_NOTICE.violation(
            "public_notice_missing", f"公示自{started_on}起不少于{p.days}天，{ends}前不能表决",
            f"The notice from {started_on} runs {p.days} days; no vote before {ends}",
            {"started_on": started_on.isoformat(), "vote_on": vote_on.isoformat(), "earliest": ends.isoformat(),
             "required_days": p.days})
    if not feedback_considered:
        raise PUBLIC_NOTICE.violation("notice_feedback_pending", "公示期间收到的意见尚未处理",
                                      "Feedback received during the notice has not been considered",
                                      {"started_on": started_on.isoformat()})
    return ends


@dataclass(frozen=True)
class MaterialsParams:
    admission: tuple[str, ...]
    conversion: tuple[str, ...]


MATERIALS = Rule(
    id="R-DEV-06", citation=Citation(S002B, "四5"),
    summary_zh="讨论吸收新党员或预备党员转正时，必须按党章规定程序进行，做到手续齐全，材料完备。",
    summary_en="Admission and confirmation need complete formalities and materials (configurable checklist).",
    params=MaterialsParams(admission=("入党申请书", "入党志愿书", "政治审查材料", "培养考察材料"),
                           conversion=("转正申请书", "预备期考察材料")),
)


@MATERIALS.decides
def materials(p: MaterialsParams, *, stage: str, supplied: list[str]) -> None:
    required = p.admission if stage == "admission" else p.conversion
    missing = [m for m in required if m not in supplied]
    if missing:
        raise MATERIALS.violation("materials_incomplete", f"材料不全，缺少：{'、'.join(missing)}",
                                  f"Materials incomplete; missing {len(missing)}", {"missing": missing,
                                                                                   "stage": stage})


ADMISSION_VOTE = passing_rule(
    "R-DEV-07", Citation(S002B, "二2、四6"), Threshold(None, Base.MEMBERS_TOTAL, True),
    "党员大会接收新党员、讨论预备党员转正的表决标准种子未规定，按党章由区设定（E-20）。",
    "The seeds give no threshold for the assembly's admission and confirmation votes; the district sets it under "
    "the Party Constitution (E-20).", variant="assembly_vote")

SUPERIOR_APPROVAL = Rule(
    id="R-DEV-07", citation=Citation(S002B, "四6；000-F 一5"),
    summary_zh="党支部发展党员和预备党员转正须经党员大会通过，并经上级党组织（街道党工委）审批；批准之日为生效日期。",
    summary_en="Admissions and confirmations need a passed assembly vote and the superior's (PWC's) approval; the "
               "approval date is the effective date.",
    params=None,
)


@SUPERIOR_APPROVAL.decides
def superior_approval(_p, *, vote_passed: bool, vote_on: datetime.date | None, approved_on: datetime.date | None,
                      by_superior: bool) -> None:
    if not vote_passed or vote_on is None:
        raise SUPERIOR_APPROVAL.violation("assembly_vote_missing", "党员大会尚未表决通过",
                                          "The party members' assembly has not passed it", {})
    if approved_on is None or not by_superior:
        raise SUPERIOR_APPROVAL.violation("superior_approval_missing", "须由街道党工委审批",
                                          "The street party working committee must approve", {})
    if approved_on < vote_on:
        raise SUPERIOR_APPROVAL.violation("superior_approval_missing", "审批日期早于党员大会表决日期",
                                          "The approval is dated before the assembly vote",
                                          {"approved_on": approved_on.isoformat(), "vote_on": vote_on.isoformat()})


@dataclass(frozen=True)
class ProbationParams:
    months: int | None  # NOT IN SOURCE (E-20): the Party Constitution applies; the district sets it


PROBATION = Rule(
    id="R-DEV-07", variant="probation", citation=Citation(S002B, "二2"),
    summary_zh="预备期满方可讨论转正；预备期长度种子未规定，按党章由区设定（E-20）。",
    summary_en="Confirmation is discussed when probation ends; its length is set by the district (E-20).",
    params=ProbationParams(months=None),
)


@PROBATION.decides
def probation(p: ProbationParams, *, admitted_on: datetime.date, vote_on: datetime.date) -> datetime.date:
    if p.months is None:
        raise PROBATION.violation("rule_parameter_unset", "本区尚未设定预备期长度",
                                  "The district has not set the length of probation", {})
    ends = add_months(admitted_on, p.months)
    if vote_on >= ends:
        return ends
    raise PROBATION.violation(
        "probation_not_ended", f"{admitted_on}批准为预备党员，预备期至{ends}届满，此前不能讨论转正",
        f"Probationary since {admitted_on}; probation ends on {ends}",
        {"admitted_on": admitted_on.isoformat(), "vote_on": vote_on.isoformat(), "ends": ends.isoformat()})


@dataclass(frozen=True)
class BoardParams:
    category: str  # the party-affairs board's category (E-01)


PIPELINE_DISCLOSURE = Rule(
    id="R-DEV-08", citation=Citation("000-B《社区党务公开制度》", "一5"), action="publish",
    summary_zh="入党积极分子培养、发展情况；发展对象培养情况；预备党员发展、培养、转正情况在党务公开栏公开。",
    summary_en="The development of activists, targets and probationary members is published on the party-affairs "
               "board.",
    params=BoardParams(category="P05"),
)


@PIPELINE_DISCLOSURE.decides
def pipeline_disclosure(p: BoardParams) -> str:
    """The board category the pipeline's notices go under."""
    return p.category


# R-DUES ------------------------------------------------------------------------------------------------

PAYMENT_CONSENT = Rule(
    id="R-DUES-02", citation=Citation(S002B, "六1"),
    summary_zh="不能亲自交纳或不能按月交纳时，经支部同意，可以委托其他党员代交、预交或补交。",
    summary_en="Proxy, advance and back payments need the branch's consent; a proxy payer is a party member.",
    params=None,
)


@PAYMENT_CONSENT.decides
def payment_consent(_p, *, kind: str, consent: str, payer_is_member: bool | None) -> None:
    if kind == "regular":
        return
    if not consent.strip():
        raise PAYMENT_CONSENT.violation("branch_consent_missing", "代交、预交或补交须经支部同意",
                                        "Proxy, advance or back payment needs the branch's consent", {"kind": kind})
    if kind == "proxy" and not payer_is_member:
        raise PAYMENT_CONSENT.violation("proxy_not_member", "代交人须为党员", "A proxy payer must be a party member",
                                        {"kind": kind})


@dataclass(frozen=True)
class SpanLimitParams:
    months: int  # 不得超过六个月: ≤ months


BACK_PAYMENT = Rule(
    id="R-DUES-03", citation=Citation(S002B, "六1"),
    summary_zh="补交时间不得超过六个月。", summary_en="A back payment covers at most six months.",
    params=SpanLimitParams(months=6),
)
ADVANCE_PAYMENT = Rule(
    id="A-PARTY-42", citation=Citation(S003_5, "十2"),
    summary_zh="预交和补交的时间均不得超过六个月（X-01）。",
    summary_en="An advance payment covers at most six months (X-01).",
    params=SpanLimitParams(months=6),
)


def _span_limit(rule: Rule, code: str, what_zh: str, what_en: str):
    @rule.decides
    def limit(p: SpanLimitParams, *, months: int) -> None:
        if months <= p.months:
            return
        raise rule.violation(code, f"{what_zh}{months}个月，不得超过{p.months}个月",
                             f"{what_en} covers {months} months; at most {p.months}",
                             {"months": months, "limit": p.months})


_span_limit(BACK_PAYMENT, "back_payment_too_long", "补交", "The back payment")
_span_limit(ADVANCE_PAYMENT, "advance_payment_too_long", "预交", "The advance payment")

DUES_START = Rule(
    id="R-DUES-05", citation=Citation(S002B, "六4"),
    summary_zh="新党员的党费应从批准为预备党员的当月开始交纳。",
    summary_en="Dues start with the month the member is approved as probationary.",
    params=None,
)


@DUES_START.decides
def dues_start(_p, *, admitted_on: datetime.date | None, first_month: datetime.date) -> datetime.date:
    """The first month dues are owed; a payment for an earlier month is refused."""
    if admitted_on is None:
        raise DUES_START.violation("not_a_member", "尚未批准为预备党员，不交纳党费",
                                   "Not yet approved as a probationary member: no dues", {})
    start = month_start(admitted_on)
    if first_month >= start:
        return start
    raise DUES_START.violation("dues_before_membership", f"党费自{start:%Y-%m}起交纳，不能交纳此前月份",
                               f"Dues run from {start:%Y-%m}", {"first_due": start.isoformat()[:7],
                                                                "month": first_month.isoformat()[:7]})


@dataclass(frozen=True)
class StreakParams:
    months: int         # 连续六个月: the streak that opens a case (≥)
    remind_from: int    # R-DUES-06: criticism and education from the first unpaid month


UNPAID_STREAK = Rule(
    id="R-DUES-07", citation=Citation(S002B, "六5"), action="flag",
    summary_zh="无正当理由连续六个月不交纳党费的，按自动脱党处理：由支部大会决定、上级批准，系统不自动除名。",
    summary_en="Six consecutive unpaid months without valid reason: a case for the branch (assembly decides, "
               "superior approves); never automatic removal.",
    params=StreakParams(months=6, remind_from=1),
)


def unpaid_streak(*, due_months: list[datetime.date], paid: set[datetime.date], excused: set[datetime.date],
                  today: datetime.date, quarterly: bool = False) -> list[datetime.date]:
    """The current run of consecutive unpaid months, oldest first. A month counts only once it has ended (and,
    under a quarterly cycle, once its quarter has ended, R-DUES-08); a paid or excused month breaks the run."""
    run: list[datetime.date] = []
    for month in sorted(due_months):
        end = next_month(month)
        if quarterly:
            end = add_months(month.replace(month=(month.month - 1) // 3 * 3 + 1), 3)
        if end > today:
            break
        if month in paid or month in excused:
            run = []
        else:
            run.append(month)
    return run


@UNPAID_STREAK.decides
def streak_action(p: StreakParams, *, streak: int) -> str:
    """"case" at the threshold (≥), "remind" from the first unpaid month, else ""."""
    if streak >= p.months:
        return "case"
    if streak >= p.remind_from:
        return "remind"
    return ""


CRITICISM = Rule(
    id="R-DUES-06", citation=Citation(S002B, "六5"), action="remind",
    summary_zh="对不按规定交纳党费的党员，支部应及时提出批评、教育。",
    summary_en="The branch criticises and educates a member from his first unpaid month.",
    params=StreakParams(months=6, remind_from=1),
)


@CRITICISM.decides
def criticism(p: StreakParams, *, streak: int) -> bool:
    """True when a reminder to the branch is due."""
    return streak >= p.remind_from


REMOVAL = Rule(
    id="A-PARTY-43", citation=Citation(S003_5, "十2"),
    summary_zh="党员没有正当理由连续六个月不交纳党费，支部大会作出决定予以除名，并报上级党组织批准（X-01）。",
    summary_en="Removal for six unpaid months is decided by the branch assembly and approved by the superior (X-01).",
    params=StreakParams(months=6, remind_from=1),
)


@REMOVAL.decides
def removal(p: StreakParams, *, streak: int, assembly_ref: str, approval_ref: str) -> None:
    if streak < p.months:
        raise REMOVAL.violation("streak_below_threshold", f"连续未交党费{streak}个月，未满{p.months}个月",
                                f"{streak} consecutive unpaid months; {p.months} required",
                                {"streak": streak, "required": p.months})
    if not assembly_ref.strip() or not approval_ref.strip():
        raise REMOVAL.violation("removal_procedure_missing", "除名须有支部大会决定和上级党组织批准",
                                "Removal needs the assembly's decision and the superior's approval", {})


# R-MOB -------------------------------------------------------------------------------------------------

TRANSFER, CERTIFICATE, CARD = "transfer", "certificate", "card"
DISPOSITION_LABELS = {TRANSFER: ("转移组织关系", "transfer of the relation"),
                      CERTIFICATE: ("开具《党员证明信》", "certificate letter"),
                      CARD: ("发放《流动党员活动证》", "mobile-member activity card")}


@dataclass(frozen=True)
class MobileParams:
    months: int           # 6个月以上 → transfer (≥); 6个月以内 → certificate (≤)
    boundary_default: str  # C-05: at exactly `months` both fit; the suggestion


MOBILE_DISPOSITION = Rule(
    id="R-MOB-02", citation=Citation(S002B, "七1"),
    summary_zh="外出有固定地点、时间在6个月以上的转移组织关系；6个月以内开具《党员证明信》；地点、时间不明确的发放《流动党员活动证》。",
    summary_en="Fixed place and 6 months or more: transfer; 6 months or less: certificate letter; place or time "
               "unclear: activity card. Exactly 6 months: either (C-05).",
    params=MobileParams(months=6, boundary_default=TRANSFER),
)


def fitting_dispositions(p: MobileParams, *, left_on: datetime.date, return_on: datetime.date | None,
                         place_known: bool) -> list[str]:
    """The dispositions that fit, the suggested one first."""
    if not place_known or return_on is None:
        return [CARD]
    edge = add_months(left_on, p.months)
    if return_on < edge:
        return [CERTIFICATE]
    if return_on > edge:
        return [TRANSFER]
    other = CERTIFICATE if p.boundary_default == TRANSFER else TRANSFER
    return [p.boundary_default, other]


@MOBILE_DISPOSITION.decides
def mobile_disposition(p: MobileParams, *, left_on: datetime.date, return_on: datetime.date | None,
                       place_known: bool, disposition: str) -> list[str]:
    fits = fitting_dispositions(p, left_on=left_on, return_on=return_on, place_known=place_known)
    if disposition in fits:
        return fits
    zh = "、".join(DISPOSITION_LABELS[d][0] for d in fits)
    raise MOBILE_DISPOSITION.violation(
        "wrong_mobile_disposition", f"按外出时间和地点应{zh}", f"By time away and place: {fits[0]}",
        {"disposition": disposition, "fitting": fits, "left_on": left_on.isoformat(),
         "return_on": return_on.isoformat() if return_on else None, "place_known": place_known})


REGISTRATION = Rule(
    id="R-MOB-03", citation=Citation(S002B, "七1"),
    summary_zh="做好党员外出事由、时间、地点及联系方式等登记。",
    summary_en="A departure is registered with reason, time, place and contact.",
    params=None,
)


@REGISTRATION.decides
def registration(_p, *, reason: str, left_on, place: str, contact: str, place_known: bool) -> None:
    missing = [name for name, value in (("reason", reason), ("left_on", left_on), ("contact", contact))
               if not value]
    if place_known and not place:
        missing.append("place")
    if missing:
        raise REGISTRATION.violation("registration_incomplete", "外出登记须写明事由、时间、地点及联系方式",
                                     "Reason, time, place and contact are required", {"missing": missing})


@dataclass(frozen=True)
class GroupParams:
    minimum: int  # 3人以上: ≥


TEMPORARY_BRANCH = Rule(
    id="R-MOB-04", citation=Citation(S002B, "七2"), action="remind",
    summary_zh="党员3人以上集体外出、地点相对集中，应在这些党员中建立临时党支部或党小组。",
    summary_en="Three or more members away at one place: set up a temporary branch or party group among them.",
    params=GroupParams(minimum=3),
)


@TEMPORARY_BRANCH.decides
def temporary_branch(p: GroupParams, *, count: int) -> bool:
    return count >= p.minimum


RETURN_CHECK = Rule(
    id="R-MOB-07", citation=Citation(S002B, "七5"),
    summary_zh="外出流动党员返回后，社区党支部应认真查验《流动党员活动证》等有关材料。",
    summary_en="On return the branch checks the card and materials; closing the episode needs the check record.",
    params=None,
)


@RETURN_CHECK.decides
def return_check(_p, *, check_note: str) -> None:
    if not check_note.strip():
        raise RETURN_CHECK.violation("return_check_missing", "返回须有查验记录（活动证、外出期间表现和组织生活情况）",
                                     "A return check record is required", {})


GROUP_PLACEMENT = Rule(
    id="R-MOB-08", citation=Citation(S002B, "七6"), action="remind",
    summary_zh="对外来党员，社区党支部应及时将他们编入党小组。",
    summary_en="Incoming members are placed in a party group promptly.",
    params=None,
)


@GROUP_PLACEMENT.decides
def group_placement(_p, *, has_group: bool) -> bool:
    """True when a reminder is due."""
    return not has_group
