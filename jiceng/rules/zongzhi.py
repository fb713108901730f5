"""综治 — the comprehensive-governance office (rules-admin §2.1: A-ZZ, A-LEDG, A-FIRST, A-CASE): dispute
classification and tiers, the time limits of a case (dispatch, mediation, follow-up), escalation, first
responsibility, leader case ownership, the screening cadence, the monthly and quarterly reports upward and what each
work ledger holds.

Every number here is a rulebook parameter (CONFIG); values the seeds do not give are marked NOT IN SOURCE and come
from the spec's inferred defaults. Rule functions take plain facts and never read the database.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from .base import Citation, Rule
from .shapes import S001_2, S003_9, S003_10, duty_rule, record_rule

S001_3 = "001 第三篇（综治办材料规范化）"
S001_1 = "001 第一篇（村(社区)综治办规范化）"
SPEC = "rules-admin §2.1.6（推定）"

# E-DISPLEVEL (001 第二篇 三 3) and the tier that handles each level (V-LEVEL).
COMMUNITY, STREET, DISTRICT = "community", "street", "district"
TIERS = (COMMUNITY, STREET, DISTRICT)
TIER_LABELS = {COMMUNITY: ("社区（村）", "community"), STREET: ("街道综治中心（调处中心）", "street centre"),
               DISTRICT: ("区（县）", "district")}
LEVELS = {
    "simple": ("简单矛盾纠纷", "simple dispute", COMMUNITY),
    "general": ("一般矛盾纠纷", "general dispute", STREET),
    "major": ("重大矛盾纠纷", "major dispute", STREET),  # V-LEVEL: the street centre leads, reports to the district
}
# E-DISPCAT (003 第9篇 二): category → label, the default handling unit, and the ledger it feeds (E-LEDGER-ST).
CATEGORIES = {
    "marriage_family": ("婚姻家庭纠纷", "社区工作站", "dispute_screening_mediation"),
    "neighbour": ("邻里纠纷", "社区工作站", "dispute_screening_mediation"),
    "compensation": ("赔偿纠纷", "社区工作站", "dispute_screening_mediation"),
    "major_dispute": ("重大矛盾纠纷、突发事件、群体性事件及不稳定因素", "综治科", "petition_stability"),
    "fire_hazard": ("消防安全隐患", "安监科", "public_security_status"),
    "labour": ("劳资纠纷", "安监科", "dispute_screening_mediation"),
    "family_planning_violation": ("违反计划生育法规行为", "计生科", "dispute_screening_mediation"),
    "property_management": ("物业管理纠纷", "社会事务科", "dispute_screening_mediation"),
    "illegal_building": ("违章建筑", "综合执法队", "urban_hotspot_remediation"),
    "street_occupation": ("占道经营", "综合执法队", "urban_hotspot_remediation"),
    "sidewalk_parking": ("占人行道停车", "综合执法队", "urban_hotspot_remediation"),
    "public_security_hazard": ("治安隐患", "公安派出所", "public_security_status"),
    "unlicensed_business": ("无证无照、超经营范围", "区市场监管分局分支机构", "urban_hotspot_remediation"),
}
MEDIATION_TYPES = {"people": "人民调解", "administrative": "行政调解", "judicial": "司法调解"}  # E-MEDTYPE
# E-LEDGER-ST (003 第10篇 五(一)9), in the seed's order.
LEDGERS = {
    "dispute_screening_mediation": "矛盾纠纷排查调处",
    "public_security_status": "社会治安状况",
    "urban_hotspot_remediation": "城管难乱点排查整治",
    "petition_stability": "信访稳定问题治理",
    "released_prisoner_resettlement": "刑释解教人员安置帮教",
    "safe_building": "平安创建",
    "assessment_rewards": "考核奖惩",
}
# A-CASE-01: what a 包案 item may be; A-CASE-02: the three guarantees and the one responsibility.
CASE_KINDS = {"urban_hotspot": "城管热难点", "destabilising": "不稳定因素", "petition": "信访",
              "safety": "安全突出问题"}
CASE_OBLIGATIONS = {"solve": "包解决问题", "stabilise": "包稳定工作", "end_petition": "包息诉罢访",
                    "control": "落实稳控责任"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# Classification and tiers ---------------------------------------------------------------------------------------

CLASSIFY = Rule(
    id="A-ZZ-51", citation=Citation(S003_9, "二 1"),
    summary_zh="综治科对各类矛盾纠纷、问题隐患整理分类，交办给相关科室、部门，跟踪督办直至销案。",
    summary_en="Every dispute and hazard is classified (E-DISPCAT) and graded (E-DISPLEVEL); the category names the "
               "default handling unit.",
    params=None)


@dataclass(frozen=True)
class Classified:
    category: str
    level: str
    tier: str
    unit: str


@CLASSIFY.decides
def classify(_p, *, category: str, level: str) -> Classified:
    """The category's default unit and the level's tier (A-ZZ-23); refuses a category or level not in the lists."""
    if category not in CATEGORIES:
        raise CLASSIFY.violation("invalid_category", f"纠纷类别「{category}」不在规定的分类之中",
                                 f"Category {category!r} is not one of E-DISPCAT",
                                 {"category": category, "allowed": list(CATEGORIES)})
    if level not in LEVELS:
        raise CLASSIFY.violation("invalid_level", f"纠纷等级「{level}」应为简单、一般或重大",
                                 f"Level {level!r} must be simple, general or major",
                                 {"level": level, "allowed": list(LEVELS)})
    return Classified(category, level, LEVELS[level][2], CATEGORIES[category][1])


@dataclass(frozen=True)
class TierParams:
    order: tuple[str, ...]


TIER = Rule(
    id="A-ZZ-23", citation=Citation(S001_2, "三 3"),
    summary_zh="小事不出村（社区），一般矛盾纠纷确保不出乡镇（街道），重大矛盾纠纷不出县（区）。",
    summary_en="Simple disputes are resolved in the community, general ones in the street, major ones settled in "
               "the district; a case escalates one tier at a time, with a reason; a simple dispute leaving the "
               "community is flagged.",
    params=TierParams(TIERS), action="route")


@dataclass(frozen=True)
class Escalated:
    to_tier: str
    flagged: bool  # a simple dispute leaving the community tier (FLAG, A-ZZ-23)


@TIER.decides
def escalate(p: TierParams, *, level: str, from_tier: str, reason: str) -> Escalated:
    """The next tier up; refuses without a reason or above the top tier (the district finally settles)."""
    if not (reason or "").strip():
        raise TIER.violation("escalation_reason_missing", "上报须写明理由", "An escalation needs a reason",
                             {"from_tier": from_tier})
    index = p.order.index(from_tier)
    if index + 1 >= len(p.order):
        raise TIER.violation("no_higher_tier", "已在区（县）一级，不能再上报",
                             "The case is already at the district tier", {"from_tier": from_tier})
    to_tier = p.order[index + 1]
    return Escalated(to_tier, level == "simple" and from_tier == COMMUNITY)


MAJOR_CASE = record_rule(
    "A-ZZ-69", Citation(S003_10, "五(一)4"), ("responsible_unit", "responsible_person", "deadline"),
    "重大矛盾纠纷由综治中心牵头，明确责任单位、责任人和办结时限。",
    "A major dispute cannot be saved without a responsible unit, a responsible person and a deadline.",
    code="major_case_incomplete", action="enforce")

ASSIGNMENT_NOTICE = record_rule(
    "A-ZZ-70", Citation(S003_9, "九 1"), ("unit", "mediator", "requirements", "deadline"),
    "签发交办调处通知书，逐案落实到相关单位和责任人，明确要求和完成时间。",
    "Each assignment names unit, responsible person, requirements and completion time.",
    code="assignment_incomplete", action="enforce")


# Time limits ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueParams:
    assign_days: int     # NOT IN SOURCE: 分流/交办 within this many days of registration (inferred)
    mediation_days: int  # A-ZZ-78: default completion time when none is set (人民调解工作若干规定 第37条)
    lead_days: int       # NOT IN SOURCE: reminders this many days before each due date


@dataclass(frozen=True)
class Dues:
    assign_due: datetime.date
    mediation_due: datetime.date


DUE = Rule(
    id="A-ZZ-78", citation=Citation(SPEC, "A-ZZ-78"),
    summary_zh="种子文件未规定调处时限：交办时确定办结时间；未确定的，自登记之日起三十日内调结。",
    summary_en="Each case has a due date: the deadline set on assignment, else registration + 30 days; dispatch "
               "within 3 days (inferred); reminders before, an overdue finding after.",
    params=DueParams(assign_days=3, mediation_days=30, lead_days=3), action="remind")


@DUE.decides
def dues(p: DueParams, *, registered_on: datetime.date, deadline: datetime.date | None = None) -> Dues:
    """"N日内" counts from the day after registration: registered 1 Mar, 30 days → due 31 Mar (§0.3). A deadline
    set for the case wins, but it may not lie before the registration day."""
    if deadline is not None and deadline < registered_on:
        raise DUE.violation("deadline_before_registration", f"办结时限{deadline}早于登记日期{registered_on}",
                            f"The deadline {deadline} is before registration on {registered_on}",
                            {"deadline": deadline.isoformat(), "registered_on": registered_on.isoformat()})
    return Dues(registered_on + datetime.timedelta(days=p.assign_days),
                deadline or registered_on + datetime.timedelta(days=p.mediation_days))


def is_overdue(due: datetime.date | None, done_on: datetime.date | None, today: datetime.date) -> bool:
    """Late when done after the due day, or not done and the due day has passed (due day itself is on time)."""
    if due is None:
        return False
    return (done_on or today) > due


@dataclass(frozen=True)
class FollowUpParams:
    days: int  # A-ZZ-25: revisit interval not given; default 30 days after 报结 (CONFIG)


FOLLOW_UP = Rule(
    id="A-ZZ-25", citation=Citation(S001_2, "三 5"),
    summary_zh="定期回访当事人，及时掌握当事人的思想状况和行为动态，防止激化矛盾。",
    summary_en="After mediation the parties are revisited; the first visit is due 30 days after the case is "
               "reported closed (inferred default).",
    params=FollowUpParams(30), action="remind")


@FOLLOW_UP.decides
def follow_up_due(p: FollowUpParams, *, reported_on: datetime.date) -> datetime.date:
    return reported_on + datetime.timedelta(days=p.days)


@dataclass(frozen=True)
class ChaseParams:
    times: int  # "多次": at least this many recorded chasers (inferred, CONFIG)


CHASE = Rule(
    id="A-ZZ-57", citation=Citation(S003_9, "三 4"),
    summary_zh="对到期不报结、经多次催办仍办理不到位的，予以通报批评。",
    summary_en="A case overdue and still open after at least two recorded chasers gets a criticism finding.",
    params=ChaseParams(2), action="flag")


@CHASE.decides
def criticised(p: ChaseParams, *, chasers: int, overdue: bool) -> bool:
    return overdue and chasers >= p.times


# Recording ------------------------------------------------------------------------------------------------------

SESSION_RECORD = record_rule(
    "A-ZZ-79", Citation(S003_10, "五(一)3"), ("facts", "parties", "process", "outcome"),
    "必须耐心询问情况，做好记录和调解工作。每次调解均记录事实、当事人、经过和结果。",
    "Every mediation session records facts, parties, process and outcome.",
    code="session_record_incomplete", action="enforce")

MEDIATION_TYPE = Rule(
    id="A-ZZ-24", citation=Citation(S001_2, "三 4"),
    summary_zh="将人民调解、行政调解和司法调解有机结合，以事定责、人随案走。",
    summary_en="Each case records its mediation type(s) (E-MEDTYPE); the responsible person stays with the case.",
    params=None, action="record")


@MEDIATION_TYPE.decides
def mediation_types(_p, *, types: list[str]) -> list[str]:
    stray = [t for t in types if t not in MEDIATION_TYPES]
    if not types or stray:
        raise MEDIATION_TYPE.violation("invalid_mediation_type", "调解类型应为人民调解、行政调解或司法调解",
                                       "Mediation types must be people's, administrative or judicial",
                                       {"types": list(types), "allowed": list(MEDIATION_TYPES)})
    return list(dict.fromkeys(types))


AGREEMENT = record_rule(
    "A-ZZ-79", Citation(S001_2, "三 7"), ("parties", "terms", "signed_on"),
    "调解达成协议的，制作调解协议书（种子文件未提及书面协议，推定为可选文书）。",
    "An optional written mediation agreement names the parties, the terms and the signing date (inferred).",
    code="agreement_incomplete", action="record", variant="agreement")

FREE_SERVICE = Rule(
    id="A-ZZ-62", citation=Citation(S003_10, "五(一)8"),
    summary_zh="实行无偿服务，严禁吃拿卡要。", summary_en="Mediation is free: cases carry no fee field.",
    params=None, action="enforce")


@FREE_SERVICE.decides
def no_fee(_p, *, fee) -> None:
    if fee not in (None, 0, "0", ""):
        raise FREE_SERVICE.violation("mediation_fee", "调解实行无偿服务，不得收取费用", "Mediation is free of charge",
                                     {"fee": str(fee)})


SCREENING_ITEM = record_rule(
    "A-ZZ-67", Citation(S003_9, "五 5"), ("description", "category", "location"),
    "排查出的矛盾纠纷和问题隐患逐一如实登记，做好存档备查。",
    "Every screened item is registered truthfully (what, which category, where) and archived.",
    code="screening_item_incomplete", action="record")


@dataclass(frozen=True)
class CollectiveParams:
    petitioners: int  # 集体上访 = at least this many petitioners (inferred, national practice, CONFIG)


COLLECTIVE = Rule(
    id="A-ZZ-26", citation=Citation(S001_2, "三 6"),
    summary_zh="对可能引发群体性事件的问题及时控制；对大规模集体上访，党委、政府和部门负责人要亲自处理，并跟踪落实。",
    summary_en="A collective case (five or more petitioners, or marked by the receiver) goes to the principal leaders "
               "and is flagged until a leader's own handling is recorded (also A-CASE-04).",
    params=CollectiveParams(5), action="route")


@COLLECTIVE.decides
def collective(p: CollectiveParams, *, petitioners: int, marked: bool) -> bool:
    return marked or petitioners >= p.petitioners


# Routed to the principal leaders (rules-admin §1.2 principal_leader); handled in person by a leader of the party or
# government of the street (the seed's "党委、政府和部门负责人").
PRINCIPAL_ROLES = ("pwc_secretary", "street_office_director")
HANDLER_ROLES = PRINCIPAL_ROLES + ("pwc_deputy_secretary", "street_office_deputy_director", "supervising_leader")


# First responsibility and case ownership --------------------------------------------------------------------------

FIRST_RECEIVER = duty_rule(
    "A-FIRST-01", Citation(S003_10, "五(一)3"),
    "综治中心工作人员接到调处申请后，第一接待人负有调处职责，绝不能推诿、拒绝。",
    "The first receiver owns the case; it cannot be refused, and only the centre director reassigns it, with a "
    "reason.", code="reassignment_not_allowed",
    message_zh="第一接待人负有调处职责，不得推诿；只有中心主任可写明理由后改派",
    message_en="The first receiver is responsible; only the centre director may reassign, with a reason",
    variant="dispute")  # jiceng.rules.office holds A-FIRST-01 for letters and visits

MAJOR_REPORT = Rule(
    id="A-FIRST-02", citation=Citation(S003_10, "五(一)3"),
    summary_zh="遇到重大情况和问题时，应及时报告中心主任协调有关部门、人员进行调处。",
    summary_en="A major case is reported to the centre director at once; the owner stays the first receiver.",
    params=None, action="route", variant="dispute")


@MAJOR_REPORT.decides
def report_to_director(_p, *, level: str) -> bool:
    return level == "major"


@dataclass(frozen=True)
class CaseLeaderParams:
    leaders: int          # exactly this many case leaders per listed item (inferred)
    stale_days: int       # FLAG an item without progress for this many days (inferred)


CASE_LEADER = Rule(
    id="A-CASE-02", citation=Citation(S003_10, "五(一)5"),
    summary_zh="实行“三包一落实”制度：包解决问题、包稳定工作、包息诉罢访，落实稳控责任。",
    summary_en="Each listed item has exactly one case leader who guarantees the three 包 and the one 落实; an item "
               "without progress for 30 days is flagged.",
    params=CaseLeaderParams(1, 30), variant="zongzhi")  # jiceng.rules.office: the leader's rank


@CASE_LEADER.decides
def case_leader(p: CaseLeaderParams, *, leaders: int) -> None:
    if leaders != p.leaders:
        raise CASE_LEADER.violation("case_leader_count",
                                    f"每个包案事项须有且只有{p.leaders}名包案领导，现为{leaders}名",
                                    f"Exactly {p.leaders} case leader per item; {leaders} given",
                                    {"leaders": leaders})


CASE_LIST = record_rule(
    "A-CASE-01", Citation(S003_10, "五(一)5"), ("title", "kind", "person_or_matter"),
    "对城管热难点、不稳定因素、信访、安全突出问题逐项排查，逐人逐事列出名单。",
    "Items are listed one by one, per person and per matter.", code="case_item_incomplete", action="record",
    variant="zongzhi")


# Screening cadence and reports upward -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CadenceParams:
    community: str  # "week" (ISO week, Monday–Sunday) — V-SCREEN default
    street: str     # "month"


SCREENING = Rule(
    id="A-ZZ-66", citation=Citation(S003_9, "五 4"),
    summary_zh="以定期排查的方式深入开展排查，社区工作站每周一次、街道每月排查一次；重大节假日等敏感期提前开展重点排查。",
    summary_en="Regular screening: communities once per ISO week, the street once per calendar month; a round with "
               "nothing found is a valid record; a period without a round is flagged.",
    params=CadenceParams("week", "month"), action="remind")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if (self.end - self.start).days == 6:
            year, week, _ = self.start.isocalendar()
            return f"{year}年第{week}周"
        if self.start.day == 1 and self.end == add_months(self.start, 1) - datetime.timedelta(days=1):
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start}至{self.end}"


def period_of(kind: str, day: datetime.date) -> Period:
    if kind == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return Period(start, start + datetime.timedelta(days=6))
    if kind == "month":
        start = day.replace(day=1)
        return Period(start, add_months(start, 1) - datetime.timedelta(days=1))
    if kind == "quarter":
        start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return Period(start, add_months(start, 3) - datetime.timedelta(days=1))
    raise ValueError(kind)


@SCREENING.decides
def screening_period(p: CadenceParams, *, tier: str, day: datetime.date) -> Period:
    """The cadence period `day` falls in for a community (week) or a street (month)."""
    return period_of(p.community if tier == COMMUNITY else p.street, day)


def missing_periods(periods_held: set[datetime.date], kind: str, since: datetime.date,
                    today: datetime.date) -> list[Period]:
    """Closed periods from the one containing `since` up to the last one ended before `today` with no round."""
    missing, period = [], period_of(kind, since)
    while period.end < today:
        if period.start not in periods_held:
            missing.append(period)
        period = period_of(kind, period.end + datetime.timedelta(days=1))
    return missing


@dataclass(frozen=True)
class ReportParams:
    due: str  # V-REPORT: "next_month_day_5" (T2, default) or "same_month_day_25" (T3)


MONTHLY_REPORT = Rule(
    id="A-ZZ-27", citation=Citation(S001_2, "三 7"),
    summary_zh="每个月详细填写《矛盾纠纷排查调处情况统计表》和《个案登记表》上报，无案件的实行零报告。",
    summary_en="A monthly statistics form and case sheets are reported for every month, zero cases included; by "
               "default due the 5th of the next month (A-ZZ-22, V-REPORT).",
    params=ReportParams("next_month_day_5"))


@MONTHLY_REPORT.decides
def monthly_report_due(p: ReportParams, *, period_start: datetime.date) -> datetime.date:
    if p.due == "same_month_day_25":
        return period_start.replace(day=25)
    if p.due != "next_month_day_5":
        raise MONTHLY_REPORT.violation("rule_parameter_unset", "月报上报日期参数无效", "Invalid report-day parameter",
                                       {"due": p.due})
    return add_months(period_start.replace(day=1), 1).replace(day=5)


QUARTERLY_REPORT = Rule(
    id="A-ZZ-28", citation=Citation(S001_2, "三 8"),
    summary_zh="每季度对辖区内治安形势作一次分析，书面向县综治办汇报。",
    summary_en="A quarterly written analysis goes upward; due the 5th of the month after the quarter (inferred, "
               "as the monthly report).", params=ReportParams("next_month_day_5"), action="remind")


@QUARTERLY_REPORT.decides
def quarterly_report_due(p: ReportParams, *, period_start: datetime.date) -> datetime.date:
    return add_months(period_of("quarter", period_start).start, 3).replace(day=5)


ZERO_REPORT = Rule(
    id="A-ZZ-39", citation=Citation(S001_3, "三 五"),
    summary_zh="实施零报告制度，每月及时上报矛盾纠纷排查情况。",
    summary_en="Zero report: a month without cases is still reported, as zero.", params=None)


@ZERO_REPORT.decides
def zero_report_allowed(_p, *, cases: int) -> bool:
    """Always allowed; True when the report is a zero report."""
    return cases == 0


# Ledgers (A-LEDG) -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerParams:
    kinds: tuple[str, ...]
    columns: tuple[str, ...]


LEDGER = Rule(
    id="A-LEDG-01", citation=Citation(S003_10, "五(一)9"),
    summary_zh="建立矛盾纠纷排查调处、社会治安状况、城管难乱点排查整治、信访稳定问题治理、刑释解教人员安置帮教、平安创建、"
               "考核奖惩等工作台账。",
    summary_en="Seven ledgers (E-LEDGER-ST), each a filtered view over the records, exportable to Excel; a ledger "
               "without entries in a month is flagged (inferred).",
    params=LedgerParams(tuple(LEDGERS), ("序号", "登记编号", "日期", "社区", "事项", "类别", "等级", "责任单位",
                                         "责任人", "办理情况", "结果", "来源")),
    action="record")


@LEDGER.decides
def ledger_kind(p: LedgerParams, *, kind: str) -> str:
    if kind not in p.kinds:
        raise LEDGER.violation("unknown_ledger", f"台帐「{kind}」不在规定的台帐之中", f"Unknown ledger {kind!r}",
                               {"kind": kind, "allowed": list(p.kinds)})
    return kind


UNIT_LEDGER = Rule(
    id="A-LEDG-04", citation=Citation(S003_9, "五 5; 十 3"),
    summary_zh="各成员单位建立矛盾纠纷排查调处台帐，考核时查阅成员单位台帐。",
    summary_en="Each member unit (community) has its own screening/mediation ledger view.", params=None,
    action="record")


@UNIT_LEDGER.decides
def unit_ledger(_p, *, area_level: str) -> bool:
    return area_level in ("community", "street")


ORGANISED = Rule(
    id="A-ZZ-01", citation=Citation(S001_1, "二"),
    summary_zh="行政村、城市社区设立社会管理综合治理办公室。",
    summary_en="Every community has exactly one 综治办; a community without one is flagged.", params=None,
    action="flag")


@ORGANISED.decides
def has_office(_p, *, offices: int) -> bool:
    return offices == 1


DIRECTOR = Rule(
    id="A-ZZ-02", citation=Citation(S001_1, "二"),
    summary_zh="综治办主任由村党组织书记或居委会负责同志担任。",
    summary_en="The 综治办 director is the community party secretary, the residents-committee director or deputy.",
    params=None, action="flag")


@DIRECTOR.decides
def director_qualified(_p, *, roles: list[str]) -> bool:
    return bool({"community_party_secretary", "rc_director", "rc_deputy_director"} & set(roles))


def label(table: dict, code: str) -> str:
    value = table.get(code)
    if value is None:
        return code
    return value if isinstance(value, str) else value[0]
