"""Street-office administration (rules-admin §2.11, §2.8): leave, letters and visits, duty, documents and seals,
rooms, reception, vehicles and assets. Every function here is pure: it takes facts (a rank, a day count, a date)
and returns what the rule decides or raises RuleViolation.

Post identifiers are rules-admin §1.2's (`party_secretary`, `director`, `deputy_section_leader`, `vrc_principal` …);
the office app keeps who holds which post on which day (office.StaffPost), because orgs.Role carries no rank.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .base import Citation, Rule
from .shapes import S001, S003_1, S003_10, duty_rule, record_rule

S003_7 = "003 第7篇《街道办事处值班制度》"
S001_3 = "001 第三篇（综治办材料规范化）"
S001_5 = "001 第五篇（乡镇人大规范化）"
INFERRED = "（推定）"

# Post identifiers (rules-admin §1.2) -------------------------------------------------------------------------
PARTY_SECRETARY = "party_secretary"
ACTING_PARTY_SECRETARY = "acting_party_secretary"
DIRECTOR = "director"
ACTING_DIRECTOR = "acting_director"
DEPUTY_DIRECTOR = "deputy_director"
LEADER_IN_CHARGE = "leader_in_charge"
PRINCIPAL_LEADER = "principal_leader"
DISCIPLINE_SECRETARY = "discipline_secretary"
DEPUTY_SECTION_LEADER = "deputy_section_leader"
ORDINARY_STAFF = "ordinary_staff"
CLERK = "clerk"
SECTION_HEAD = "section_head"
OFFICE_DIRECTOR = "office_director"
SEAL_KEEPER = "seal_keeper"
DUTY_LEADER = "duty_leader"
DUTY_OFFICER = "duty_officer"
CENTER_DIRECTOR = "center_director"  # 综治信访维稳中心主任 (A-FIRST-01 "中心主任"; identifier inferred)
MASS_ORG_HEAD = "mass_org_head"      # 群团组织负责人 (E-DOCISSUER; identifier inferred)
VRC_SECRETARY = "vrc_secretary"
VRC_DIRECTOR = "vrc_director"
VRC_MEMBER = "vrc_member"
VRC_PRINCIPAL = "vrc_principal"
COMMUNITY_WORKER = "community_worker"
DISTRICT_APPROVER = "district_approver"  # the district leader who approves the principal leaders' leave (inferred)

PRINCIPAL_POSTS = (PARTY_SECRETARY, DIRECTOR)
# Deputy-section-rank cadres (副科级): the street's deputy leaders. A street office is a section-rank (科级) organ,
# so its deputy secretaries, deputy directors and the discipline secretary hold that rank (INFERRED: the seed
# names the rank, not the posts).
DEPUTY_SECTION_POSTS = (DEPUTY_SECTION_LEADER, DEPUTY_DIRECTOR, LEADER_IN_CHARGE, ACTING_PARTY_SECRETARY,
                        ACTING_DIRECTOR, DISCIPLINE_SECRETARY)
STAFF_POSTS = (ORDINARY_STAFF, CLERK, SECTION_HEAD, OFFICE_DIRECTOR, SEAL_KEEPER, CENTER_DIRECTOR)
VRC_HEAD_POSTS = (VRC_SECRETARY, VRC_DIRECTOR)
VRC_MEMBER_POSTS = (VRC_MEMBER,)
COMMUNITY_WORKER_POSTS = (COMMUNITY_WORKER,)


# Working-day calendar (rules-admin §0.3: "the working-day calendar is data, not code") ------------------------

@dataclass(frozen=True)
class CalendarParams:
    holidays: tuple[str, ...]     # statutory days off that fall on weekdays or weekends (ISO dates)
    workdays: tuple[str, ...]     # make-up working days (调休上班) that fall on weekends


# PRC State Council holiday notices for 2024, 2025 and 2026 (国办发明电).
HOLIDAYS = (
    "2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15",
    "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06", "2024-05-01", "2024-05-02",
    "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-08", "2024-06-09", "2024-06-10", "2024-09-15",
    "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-05",
    "2024-10-06", "2024-10-07",
    "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02",
    "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06", "2025-05-01", "2025-05-02",
    "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31", "2025-06-01", "2025-06-02", "2025-10-01",
    "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
    "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18",
    "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05",
    "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19",
    "2026-06-20", "2026-06-21", "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02",
    "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
)
MAKEUP_WORKDAYS = (
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
    "2024-10-12", "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04",
    "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
)

WORK_CALENDAR = Rule(
    id="A-LEAVE-06", variant="calendar", citation=Citation("rules-admin §0.3", "工作日历" + INFERRED),
    summary_zh="工作日按国务院办公厅节假日安排计算（周末、法定节假日除外，调休上班日计入）。",
    summary_en="Working days follow the State Council holiday notices (weekends and holidays off, make-up days on).",
    params=CalendarParams(HOLIDAYS, MAKEUP_WORKDAYS), action="record")


@WORK_CALENDAR.decides
def work_calendar(p: CalendarParams) -> WorkCalendar:
    return WorkCalendar(frozenset(p.holidays), frozenset(p.workdays))


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[str] = frozenset(HOLIDAYS)
    workdays: frozenset[str] = frozenset(MAKEUP_WORKDAYS)

    def is_working_day(self, day: datetime.date) -> bool:
        iso = day.isoformat()
        if iso in self.workdays:
            return True
        return day.weekday() < 5 and iso not in self.holidays

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day`."""
        day += datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (the day itself not counted, rules-admin §0.3)."""
        for _ in range(n):
            day = self.next_working_day(day)
        return day


DEFAULT_CALENDAR = WorkCalendar()


# Leave (请销假, A-LEAVE) ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LeaveRoute:
    rule_id: str
    approvers: tuple[str, ...]   # post identifiers, in the order they approve
    file_with_office: bool       # 在办公室备案 (general_office)
    written: bool                # 书面请假


@dataclass(frozen=True)
class NoParams:
    pass


@dataclass(frozen=True)
class BandParams:
    lower_max_days: Decimal      # days ≤ this → the lower approver (BOUNDARY: inclusive by default)


@dataclass(frozen=True)
class MinDaysParams:
    min_days: Decimal            # days ≥ this need street approval ("一天以上" includes 1)


@dataclass(frozen=True)
class DistrictParams:
    approver: str


def _positive(rule: Rule, days: Decimal) -> None:
    if days <= 0:
        raise rule.violation("leave_days_invalid", "请假天数须大于0", "Leave must last more than 0 days",
                             {"days": str(days)})


LEAVE_DEPUTY_SECTION = Rule(
    id="A-LEAVE-01", citation=Citation(S003_1, "二1"),
    summary_zh="副科级领导有事需书面向党工委书记请假，并在办公室备案。",
    summary_en="A deputy-section-rank leader asks the party secretary in writing; the leave is filed with the office.",
    params=NoParams(), action="route")


@LEAVE_DEPUTY_SECTION.decides
def leave_deputy_section(p: NoParams, *, days: Decimal) -> LeaveRoute:
    _positive(LEAVE_DEPUTY_SECTION, days)
    return LeaveRoute(LEAVE_DEPUTY_SECTION.id, (PARTY_SECRETARY,), True, True)


LEAVE_PRINCIPAL = Rule(
    id="A-LEAVE-01", variant="principal", citation=Citation(S003_1, "二" + INFERRED),
    summary_zh="种子未规定党工委书记、办事处主任本人的请假，由区里为本街道指定的区级领导审批，并在办公室备案。",
    summary_en="The seeds are silent on the principal leaders' own leave: a district approver configured per street.",
    params=DistrictParams(DISTRICT_APPROVER), action="route")


@LEAVE_PRINCIPAL.decides
def leave_principal(p: DistrictParams, *, days: Decimal) -> LeaveRoute:
    _positive(LEAVE_PRINCIPAL, days)
    return LeaveRoute(LEAVE_PRINCIPAL.id, (p.approver,), True, True)


LEAVE_STAFF = Rule(
    id="A-LEAVE-02", citation=Citation(S003_1, "二2"),
    summary_zh="机关一般工作人员有事，三天以内以书面形式向办事处主任请假，三天以上向党委书记请假，并在办公室备案。",
    summary_en="Ordinary staff: up to 3 days → the director; more than 3 days → the party secretary; filed with the "
               "office.",
    params=BandParams(Decimal(3)), action="route")


@LEAVE_STAFF.decides
def leave_staff(p: BandParams, *, days: Decimal) -> LeaveRoute:
    """BOUNDARY: exactly 3 days goes to the director (V-LEAVE default; `lower_max_days` is the parameter)."""
    _positive(LEAVE_STAFF, days)
    approver = DIRECTOR if days <= p.lower_max_days else PARTY_SECRETARY
    return LeaveRoute(LEAVE_STAFF.id, (approver,), True, True)


LEAVE_VRC_HEAD = Rule(
    id="A-LEAVE-03", citation=Citation(S003_1, "二3"),
    summary_zh="村(居)委书记、主任外出一天以上需向办事处书记请假，并在办公室备案。",
    summary_en="A village/residents-committee secretary or director away 1 day or more asks the street party "
               "secretary; filed with the office.",
    params=MinDaysParams(Decimal(1)), action="route")


@LEAVE_VRC_HEAD.decides
def leave_vrc_head(p: MinDaysParams, *, days: Decimal) -> LeaveRoute:
    """Under one day needs no street approval (INFERRED from "一天以上")."""
    _positive(LEAVE_VRC_HEAD, days)
    if days >= p.min_days:
        return LeaveRoute(LEAVE_VRC_HEAD.id, (PARTY_SECRETARY,), True, False)
    return LeaveRoute(LEAVE_VRC_HEAD.id, (), False, False)


LEAVE_VRC_MEMBER = Rule(
    id="A-LEAVE-04", citation=Citation(S003_1, "二4"),
    summary_zh="村(居)委成员有事外出，三天以内需向村(居)委主要领导请假，三天以上向办事处主任请假并在办公室备案。",
    summary_en="Other committee members: up to 3 days → the committee's principal leader; more than 3 → the street "
               "director, filed with the office.",
    params=BandParams(Decimal(3)), action="route")


@LEAVE_VRC_MEMBER.decides
def leave_vrc_member(p: BandParams, *, days: Decimal) -> LeaveRoute:
    _positive(LEAVE_VRC_MEMBER, days)
    if days <= p.lower_max_days:
        return LeaveRoute(LEAVE_VRC_MEMBER.id, (VRC_PRINCIPAL,), False, False)
    return LeaveRoute(LEAVE_VRC_MEMBER.id, (DIRECTOR,), True, False)


LEAVE_COMMUNITY_WORKER = Rule(
    id="A-LEAVE-07", citation=Citation(S001, "八(三)"),
    summary_zh="职业社区工作者严格请销假；由社区党组织书记或居委会主任审批，三天以上同时报街道备案（推定）。",
    summary_en="Professional community workers ask the community party secretary or RC director; more than 3 days "
               "is also filed with the street (inferred).",
    params=BandParams(Decimal(3)), action="route")


@LEAVE_COMMUNITY_WORKER.decides
def leave_community_worker(p: BandParams, *, days: Decimal) -> LeaveRoute:
    _positive(LEAVE_COMMUNITY_WORKER, days)
    return LeaveRoute(LEAVE_COMMUNITY_WORKER.id, (VRC_PRINCIPAL,), days > p.lower_max_days, False)


LEAVE_RULES = (
    (PRINCIPAL_POSTS, LEAVE_PRINCIPAL),
    (DEPUTY_SECTION_POSTS, LEAVE_DEPUTY_SECTION),
    (STAFF_POSTS, LEAVE_STAFF),
    (VRC_HEAD_POSTS, LEAVE_VRC_HEAD),
    (VRC_MEMBER_POSTS, LEAVE_VRC_MEMBER),
    (COMMUNITY_WORKER_POSTS, LEAVE_COMMUNITY_WORKER),
)


def leave_rule_for(rank: str) -> Rule:
    """The A-LEAVE rule that routes a requester of `rank` (a post identifier); ValueError for an unknown rank."""
    for ranks, rule in LEAVE_RULES:
        if rank in ranks:
            return rule
    raise ValueError(f"no leave rule for rank {rank!r}")


def leave_approvers(rank: str, days, params=None) -> list[str]:
    """The ordered approver post identifiers for a leave of `days` (int, Decimal or "0.5") by a `rank` holder,
    under the catalogue defaults or the given `params`. Pure: the A-LEAVE routing table in one call."""
    rule = leave_rule_for(rank)
    return list(rule.decide(params or rule.params, days=Decimal(str(days))).approvers)


@dataclass(frozen=True)
class ReturnParams:
    day_basis: str = "working"   # CONFIG leave.day_basis: "working" (default, inferred) or "calendar"


LEAVE_RETURN = Rule(
    id="A-LEAVE-06", citation=Citation(S003_1, "二（请销假制度）"),
    summary_zh="请假期满应销假；销假应于假满后第一个工作日办理（推定），逾期未销假予以提示。",
    summary_en="Leave is closed by reporting back on the first working day after it (inferred); late return is "
               "flagged.",
    params=ReturnParams(), action="enforce")


@dataclass(frozen=True)
class LeavePeriod:
    start_on: datetime.date
    end_on: datetime.date        # last day of absence
    return_due_on: datetime.date  # 销假 due (A-LEAVE-06)


@LEAVE_RETURN.decides
def leave_period(p: ReturnParams, *, start_on: datetime.date, days: Decimal,
                 calendar: WorkCalendar = DEFAULT_CALENDAR) -> LeavePeriod:
    """Half days take the whole day (a 0.5-day leave ends on its start day). On the working basis the leave
    covers `days` working days from the first working day on or after `start_on`."""
    whole = max(1, math.ceil(Decimal(str(days))))
    if p.day_basis == "calendar":
        end = start_on + datetime.timedelta(days=whole - 1)
    else:
        end = start_on if calendar.is_working_day(start_on) else calendar.next_working_day(start_on)
        end = calendar.add_working_days(end, whole - 1)
    return LeavePeriod(start_on, end, calendar.next_working_day(end))


LEAVE_UNAPPROVED = Rule(
    id="A-LEAVE-05", citation=Citation(S003_1, "二5"),
    summary_zh="不按规定履行请销假手续的人员，一经查实，给予严肃处理。",
    summary_en="Absence without following the leave procedure is dealt with seriously once verified.",
    params=NoParams(), action="flag")


@LEAVE_UNAPPROVED.decides
def leave_unapproved(p: NoParams, *, status: str, start_on: datetime.date, today: datetime.date) -> bool:
    """True (a finding) when the leave has begun without every approval."""
    return status == "submitted" and start_on < today


LEAVE_DURING_DUTY = duty_rule(
    "A-LEAVE-11", Citation(S003_1, "九2；003 第7篇 五"),
    "值班人员在节假日期间必须坚守岗位；已排班的值班日须先经批准调班，方可批准请假。",
    "A rostered duty day cannot be dropped by leave without an approved swap.",
    code="leave_overlaps_duty", message_zh="请假期间有本人的值班安排，须先办理调班",
    message_en="The leave covers the requester's rostered duty; arrange an approved swap first")
LEAVE_DUTY_LEADER = Rule(
    id="A-LEAVE-09", citation=Citation(S003_1, "十二2"),
    summary_zh="值班人员在值班期间有事需向带班领导请假。",
    summary_en="During a duty shift, leave goes to the duty leader.", params=NoParams(), action="route")


@LEAVE_DUTY_LEADER.decides
def leave_duty_leader(p: NoParams) -> tuple[str, ...]:
    return (DUTY_LEADER,)


# Letters and visits (信访, A-VISIT) -----------------------------------------------------------------------------

ORDINARY, IMPORTANT, POLICY = "ordinary", "important", "policy"
COLLECTIVE_KINDS = ("collective", "large_collective", "level_skipping", "to_city", "to_province", "to_beijing")
PETITION_KINDS = (ORDINARY, IMPORTANT, POLICY, *COLLECTIVE_KINDS)
VISIT_STAGES = ("instruction", "conclusion", "feedback")

PETITION_REGISTER = record_rule(
    "A-VISIT-03", Citation(S003_1, "十一3"), ("petitioner_name", "received_on", "issue", "request"),
    "对来信来访者的姓名、日期、反映的主要问题及要求，要认真进行登记。",
    "Register every letter/visit: name, date, main issue and request.", code="petition_incomplete",
    action="enforce")


@dataclass(frozen=True)
class InstructionParams:
    important_days: int = 1
    ordinary_days: int = 3
    mapping: str = "contextual"   # V-VISIT: "contextual" (default) or "literal"


PETITION_INSTRUCTION = Rule(
    id="A-VISIT-04", citation=Citation(S003_1, "十一4"),
    summary_zh="对重要问题一天内、一般问题三天内分别由分管领导和主要领导阅批。",
    summary_en="Leader instruction: important issues within 1 day, ordinary ones within 3 days of registration.",
    params=InstructionParams(), action="remind")


def is_important(kind: str) -> bool:
    """Important/complex, policy and collective or level-skipping petitions take the important track (INFERRED
    for the last two groups: A-VISIT-06/08 have leaders handle them in person)."""
    return kind != ORDINARY


@dataclass(frozen=True)
class Instruction:
    due_on: datetime.date
    approver: str


@PETITION_INSTRUCTION.decides
def petition_instruction(p: InstructionParams, *, kind: str, registered_on: datetime.date) -> Instruction:
    """V-VISIT contextual: important → principal leader in 1 day; ordinary → leader in charge in 3 days; literal:
    the other way round. Policy-type matters always go to a principal leader (A-VISIT-06)."""
    important = is_important(kind)
    days = p.important_days if important else p.ordinary_days
    if p.mapping == "literal":
        approver = LEADER_IN_CHARGE if important else PRINCIPAL_LEADER
    else:
        approver = PRINCIPAL_LEADER if important else LEADER_IN_CHARGE
    if kind == POLICY or kind in COLLECTIVE_KINDS:
        approver = PRINCIPAL_LEADER
    return Instruction(registered_on + datetime.timedelta(days=days), approver)


@dataclass(frozen=True)
class ConclusionParams:
    ordinary_days: int = 30
    important_days: int = 90
    remind_share: Fraction = Fraction(4, 5)   # REMIND at 80% of the period (inferred)


PETITION_CONCLUSION = Rule(
    id="A-VISIT-05", citation=Citation(S003_1, "十一5"),
    summary_zh="一般信访案件30日内处结，重要复杂的信访案件90日内处结，上级要结果的按照要求日期报结。",
    summary_en="Ordinary cases are concluded within 30 days, important/complex ones within 90; an upper level's "
               "earlier date wins.",
    params=ConclusionParams(), action="remind")


@dataclass(frozen=True)
class Conclusion:
    due_on: datetime.date
    remind_on: datetime.date


@PETITION_CONCLUSION.decides
def petition_conclusion(p: ConclusionParams, *, kind: str, registered_on: datetime.date,
                        upper_due_on: datetime.date | None = None) -> Conclusion:
    days = p.important_days if is_important(kind) else p.ordinary_days
    due = registered_on + datetime.timedelta(days=days)
    if upper_due_on is not None and upper_due_on < due:
        due = upper_due_on
    period = (due - registered_on).days
    lead = math.floor(Fraction(period) * p.remind_share)
    return Conclusion(due, registered_on + datetime.timedelta(days=lead))


PETITION_OUTCOME = record_rule(
    "A-VISIT-01", Citation(S003_1, "十一1"), ("outcome", "result"),
    "以事实为依据，以政策法律为准绳；群众要求合理的尽力解决，暂时不能解决或不合理的耐心解释。",
    "Reasonable requests are resolved; others get a patient explanation; the outcome is recorded.",
    code="outcome_missing", action="enforce")
PETITION_REPLY = duty_rule(
    "A-FIRST-03", Citation(S003_1, "十一2"),
    "来有迎声，问有答声，走有送声，落实结果有回声：未向来访人反馈结果的，不能办结。",
    "A letter/visit cannot be closed without a recorded reply to the petitioner.",
    code="reply_missing", message_zh="尚未向来信来访人反馈办理结果，不能办结",
    message_en="The result has not been fed back to the petitioner")
FIRST_RECEIVER = duty_rule(
    "A-FIRST-01", Citation(S003_10, "五(一)3"),
    "第一接待人负有调处职责，绝不能推诿、拒绝；只有中心主任可说明理由后改派（推定）。",
    "The first receiver is responsible; only the centre director may reassign, with a reason (inferred).",
    code="reassignment_refused", message_zh="只有中心主任（或主要领导）可改派，并须说明理由",
    message_en="Only the centre director (or a principal leader) may reassign, with a reason")
CASE_LEADER = duty_rule(
    "A-CASE-02", Citation(S003_10, "五(一)5"),
    "实行“三包一落实”：每件列入包案的事项确定一名包案领导，包解决问题、包稳定工作、包息诉罢访，落实稳控责任。",
    "Each listed case has one case leader who guarantees solving, stability and ending the petition.",
    code="case_leader_not_leader", message_zh="包案领导须是街道领导班子成员",
    message_en="The case leader must be a member of the street leadership")
CASE_OBLIGATIONS = ("solve_problem", "keep_stable", "end_petition", "control_responsibility")


# Duty roster (值班, A-DUTY) -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HandoverParams:
    handover_time: datetime.time = datetime.time(8, 30)


DUTY_SHIFT = Rule(
    id="A-DUTY-01", citation=Citation(S003_1, "十二1"),
    summary_zh="值班人员必须坚持24小时在岗，认真做好值班记录和交接班记录，每天交接班时间为上午8点30分。",
    summary_en="Duty is continuous 24 h with a log and a handover record; handover daily at 08:30.",
    params=HandoverParams(), action="enforce")


@DUTY_SHIFT.decides
def duty_shift(p: HandoverParams, *, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The shift of `day` in local time: from the handover on `day` to the handover on the next day (naive)."""
    start = datetime.datetime.combine(day, p.handover_time)
    return start, start + datetime.timedelta(days=1)


@dataclass(frozen=True)
class CountParams:
    count: int


DUTY_ONE_LEADER = Rule(
    id="A-DUTY-30", citation=Citation(S003_10, "五(一)6"),
    summary_zh="实行24小时全天候值班，每天值班由一名领导带班。",
    summary_en="Each duty day has exactly one leader on duty.", params=CountParams(1), action="enforce")


@DUTY_ONE_LEADER.decides
def one_duty_leader(p: CountParams, *, day: datetime.date, leaders: int) -> None:
    if leaders != p.count:
        raise DUTY_ONE_LEADER.violation(
            "duty_leader_count", f"{day}的值班安排有{leaders}名带班领导，应为{p.count}名",
            f"The roster of {day} has {leaders} duty leader(s); exactly {p.count} required",
            {"day": day.isoformat(), "leaders": leaders, "required": p.count})


DUTY_PHONE = record_rule(
    "A-DUTY-02", Citation(S003_1, "十二2"), ("phone",),
    "值班人员通讯工具必须保持24小时畅通。", "Duty officers stay reachable 24 h: a phone number is mandatory.",
    code="duty_phone_missing", action="enforce")
DUTY_HANDOVER = duty_rule(
    "A-DUTY-10", Citation(S003_7, "一"),
    "遇接班人未准时到岗，必须等到接班人来认真填写交接班登记，交待当日情况后方可离开。",
    "A shift cannot be closed until a handover record exists with the successor's arrival time.",
    code="handover_missing", message_zh="尚无接班人到岗的交接班登记，不能交班",
    message_en="No handover record with the successor's arrival yet")


@dataclass(frozen=True)
class LatenessParams:
    enabled: bool = False        # V-DUTY: monetary sanctions of 003 第7篇 are an optional module, off by default
    per_minute_fen: int = 100    # 1 yuan per minute …
    flat_after_minutes: int = 20  # … up to 20 minutes (inclusive); more → flat
    flat_fen: int = 4000         # 40 yuan
    absent_after_minutes: int = 60  # more than 60 minutes → absent (脱岗)


@dataclass(frozen=True)
class Lateness:
    minutes: int
    deduction_fen: int
    absent: bool


DUTY_LATENESS = Rule(
    id="A-DUTY-11", citation=Citation(S003_7, "一"),
    summary_zh="接班人迟到20分钟以内，每分钟扣除勤奖1元，20分钟以上扣40元，1小时以上按脱岗处理。",
    summary_en="Successor lateness: ≤ 20 min → 1 yuan/min; > 20 → 40 yuan; > 60 → absence from post.",
    params=LatenessParams(), action="record")


@DUTY_LATENESS.decides
def duty_lateness(p: LatenessParams, *, minutes: int) -> Lateness:
    """Lenient at the bounds: 20 minutes costs 20 yuan, 60 minutes 40 yuan, 61 is absence (AS-13)."""
    minutes = max(0, minutes)
    if minutes > p.absent_after_minutes:
        return Lateness(minutes, 0, True)
    if minutes > p.flat_after_minutes:
        return Lateness(minutes, p.flat_fen, False)
    return Lateness(minutes, minutes * p.per_minute_fen, False)


@dataclass(frozen=True)
class FineParams:
    first_fen: int = 10000


DUTY_SUBSTITUTION_FINE = Rule(
    id="A-DUTY-15", citation=Citation(S003_7, "四"),
    summary_zh="未经批准让他人代岗：第一次罚款100元，第二次200元，第三次400元，依次类推。",
    summary_en="Unapproved substitution: fine 100, 200, 400 yuan … doubling each time in the year.",
    params=FineParams(), action="record")


@DUTY_SUBSTITUTION_FINE.decides
def substitution_fine(p: FineParams, *, nth: int) -> int:
    return p.first_fen * 2 ** (max(1, nth) - 1)


DUTY_ABSENCE_SANCTION = Rule(
    id="A-DUTY-14", citation=Citation(S003_7, "三"),
    summary_zh="脱岗漏岗经督查室查实：第一次扣除半月出勤奖；第二次扣除全月出勤奖；三次以上扣除全年目标管理奖的10%。",
    summary_en="Confirmed absence: 1st half a month's attendance bonus; 2nd a full month's; 3rd+ 10% of the annual "
               "target bonus.", params=NoParams(), action="record")


@DUTY_ABSENCE_SANCTION.decides
def absence_sanction(p: NoParams, *, nth: int) -> str:
    return {1: "half_month_attendance_bonus", 2: "month_attendance_bonus"}.get(nth, "annual_target_bonus_10pct")


DUTY_SWAP = Rule(
    id="A-DUTY-12", citation=Citation(S003_7, "二"),
    summary_zh="如遇特殊情况需要调班，需向分管副领导请示；副科调班需向书记、主任请示。",
    summary_en="Shift swaps: staff ask the leader in charge; deputy-section cadres ask the secretary and director.",
    params=NoParams(), action="route")


@DUTY_SWAP.decides
def duty_swap(p: NoParams, *, rank: str) -> tuple[str, ...]:
    if rank in DEPUTY_SECTION_POSTS or rank in PRINCIPAL_POSTS:
        return (PARTY_SECRETARY, DIRECTOR)
    return (LEADER_IN_CHARGE,)


@dataclass(frozen=True)
class IncidentParams:
    report_within_minutes: int = 60   # "及时" = within 1 hour (inferred)


DUTY_INCIDENT_REPORT = Rule(
    id="A-DUTY-03", citation=Citation(S003_1, "十二3"),
    summary_zh="值班期间遇有特殊情况，必须及时向上级主管部门和办事处主要领导汇报。",
    summary_en="Special situations during duty are reported at once (≤ 1 h, inferred) to the upper department and "
               "the principal leaders.", params=IncidentParams(), action="remind")


@DUTY_INCIDENT_REPORT.decides
def incident_report_due(p: IncidentParams, *, occurred_at: datetime.datetime) -> datetime.datetime:
    return occurred_at + datetime.timedelta(minutes=p.report_within_minutes)


INCIDENT_CHAIN = (DUTY_LEADER, PRINCIPAL_LEADER, "upper_department")
DUTY_INCIDENT_RECORD = record_rule(
    "A-DUTY-17", Citation(S003_7, "八"), ("occurred_at", "place", "description", "measures"),
    "做好防盗防火工作，遇有紧急情况要及时向领导汇报，不得错报、漏报和瞒报。",
    "Duty incidents are logged with time, place, what happened and what was done; no missing or concealed reports.",
    code="incident_incomplete", action="enforce")


# Documents (公文处理, A-DOC) and seals (A-SEAL) -----------------------------------------------------------------

PARTY_WC, STREET_OFFICE, MASS_ORG = "party_wc", "street_office", "mass_org"


@dataclass(frozen=True)
class SignatoryParams:
    signatories: dict = field(default_factory=lambda: {
        PARTY_WC: (PARTY_SECRETARY, ACTING_PARTY_SECRETARY),
        STREET_OFFICE: (DIRECTOR, ACTING_DIRECTOR),
        MASS_ORG: (MASS_ORG_HEAD, MASS_ORG_HEAD),
    })


DOC_SIGNATORY = Rule(
    id="A-DOC-14", citation=Citation(S003_10, "四(一) 发文办理4"),
    summary_zh="以街道党工委名义制发的文件由党工委书记签发（书记不在时由主持党工委工作的副书记签发）；以办事处名义的由主任签发"
               "（主任不在时由主持行政工作的副主任签发）；群团文件由其负责人签发。",
    summary_en="Party working committee documents are signed off by the party secretary (deputy presiding while "
               "away); street office documents by the director (deputy presiding while away); mass organisations "
               "by their head.", params=SignatoryParams(), action="enforce")


@DOC_SIGNATORY.decides
def doc_signatory(p: SignatoryParams, *, issuer: str, signer_posts: tuple[str, ...], principal_away: bool) -> str:
    """Returns the post under which the signer signs; refuses anyone else, and the substitute while the principal
    is not recorded as away."""
    principal, substitute = p.signatories[issuer]
    if principal in signer_posts:
        return principal
    if substitute in signer_posts and principal_away:
        return substitute
    present = substitute in signer_posts  # the substitute signed while the principal is present
    note_zh, note_en = ("（本人未请假外出）", " (who is not recorded as away)") if present else ("", "")
    raise DOC_SIGNATORY.violation(
        "wrong_signatory", f"该文件应由{principal}签发{note_zh}",
        f"This document must be signed off by the {principal}{note_en}",
        {"issuer": issuer, "required": principal, "substitute": substitute, "signer_posts": list(signer_posts),
         "principal_away": principal_away})


OUTGOING_STEPS = ("drafting", "checked", "reviewed", "signed_off", "rechecked", "proofread", "printed", "sealed",
                  "registered", "issued")
DOC_OUTGOING_ORDER = Rule(
    id="A-DOC-10", citation=Citation(S003_10, "四(一) 发文办理1"),
    summary_zh="发文办理包括草拟、核稿、复核、审核、签发、校核、缮印、用印、登记、发文等程序（顺序按V-DOC：审核在签发前，复核在签发后）。",
    summary_en="Outgoing documents: draft, check, review (leader in charge), sign-off, recheck (office), proofread, "
               "print, seal, register (number), dispatch.", params=NoParams(), action="enforce")


@DOC_OUTGOING_ORDER.decides
def outgoing_next(p: NoParams, *, current: str) -> str | None:
    index = OUTGOING_STEPS.index(current)
    return OUTGOING_STEPS[index + 1] if index + 1 < len(OUTGOING_STEPS) else None


DOC_REVIEW = duty_rule(
    "A-DOC-13", Citation(S003_10, "四(一) 发文办理3"),
    "公文送签发前，先送分管领导进行审核。", "Before sign-off the leader in charge reviews the document.",
    code="review_by_leader_in_charge", message_zh="审核须由分管领导进行",
    message_en="The review must be done by a leader in charge")
DOC_CHANGE_AFTER_SIGNOFF = Rule(
    id="A-DOC-15", citation=Citation(S003_10, "四(一) 发文办理5"),
    summary_zh="复核重点是审批、签发手续是否完备，附件是否齐全，格式是否符合要求；签发后内容有实质改动的须重新审核签发。",
    summary_en="The office rechecks approvals, attachments and format; a content change after sign-off voids it.",
    params=NoParams(), action="enforce")


@DOC_CHANGE_AFTER_SIGNOFF.decides
def change_after_signoff(p: NoParams, *, status: str) -> str:
    """The status a content change leads to: from sign-off on, back to `reviewed` (sign-off void)."""
    if OUTGOING_STEPS.index(status) >= OUTGOING_STEPS.index("signed_off"):
        if OUTGOING_STEPS.index(status) >= OUTGOING_STEPS.index("registered"):
            raise DOC_CHANGE_AFTER_SIGNOFF.violation(
                "document_registered", "文件已登记编号，不能再修改", "The document is registered and numbered",
                {"status": status})
        return "reviewed"
    return status


@dataclass(frozen=True)
class TitleParams:
    max_chars: int = 20


TITLE_LENGTH = Rule(
    id="A-FMT-02", citation=Citation(S001_3, "一2"),
    summary_zh="文章题目一般不超过20字（超过时提示，不拒绝）。",
    summary_en="A title should normally not exceed 20 characters (warned, not refused).",
    params=TitleParams(), action="warn")


@TITLE_LENGTH.decides
def title_warnings(p: TitleParams, *, title: str) -> list[str]:
    return [TITLE_LENGTH.id] if len(title.strip()) > p.max_chars else []


@dataclass(frozen=True)
class NumberParams:
    pattern: str = "{code}〔{year}〕{serial}号"


DOC_NUMBER = Rule(
    id="A-FMT-11", citation=Citation(S001_5, "文号"),
    summary_zh="发文字号由机关代字、年份（六角括号）和序号组成，序号按发文机关、文种每年从1起编。",
    summary_en="Document number = issuer code + 〔year〕 + serial + 号; the serial restarts at 1 each year per issuer "
               "and kind.", params=NumberParams(), action="enforce")


@DOC_NUMBER.decides
def doc_number(p: NumberParams, *, code: str, year: int, serial: int) -> str:
    return p.pattern.format(code=code, year=year, serial=serial)


@dataclass(frozen=True)
class HandlingParams:
    working_days: int = 15
    remind_at: tuple[int, ...] = (10, 14)


DOC_INCOMING_DEADLINE = Rule(
    id="A-DOC-23", citation=Citation(S003_10, "四(一) 收文办理2(3)"),
    summary_zh="从交办之日起15个工作日内办理完毕；文件有时限要求的按要求办理。",
    summary_en="Incoming documents are handled within 15 working days of assignment unless they set a deadline.",
    params=HandlingParams(), action="remind")


@DOC_INCOMING_DEADLINE.decides
def incoming_due(p: HandlingParams, *, assigned_on: datetime.date, own_deadline: datetime.date | None = None,
                 calendar: WorkCalendar = DEFAULT_CALENDAR) -> datetime.date:
    if own_deadline is not None:
        return own_deadline
    return calendar.add_working_days(assigned_on, p.working_days)


DOC_ROUTING = Rule(
    id="A-DOC-21", citation=Citation(S003_10, "四(一) 收文办理2(1)"),
    summary_zh="公文应先送党政主要领导阅示，后送分管领导阅示。",
    summary_en="Incoming documents go to the principal leaders first, then the leader in charge.",
    params=NoParams(), action="enforce")


@DOC_ROUTING.decides
def incoming_routing(p: NoParams) -> tuple[str, ...]:
    return (PRINCIPAL_LEADER, LEADER_IN_CHARGE)


SEAL_PURPOSES = ("signed_document", "contract", "certificate", "routine_report", "special", "fee_receipt")


@dataclass(frozen=True)
class SealRoute:
    approver: str
    signature_required: bool


SEAL_APPROVAL = Rule(
    id="A-SEAL-11", citation=Citation(S003_10, "四(四)2"),
    summary_zh="用印按用途审批：已签发文件由主管领导审核；协议、经济合同及重大事项须办事处主任同意并签字；一般证明、介绍信由办公室主任审核；"
               "常规报表由分管领导同意并在登记簿签字；特殊情况请示领导。",
    summary_en="Seal use is approved by purpose: contracts need the director's consent and signature; certificates "
               "the office director; routine reports and signed documents the leader in charge.",
    params=NoParams(), action="route")


@SEAL_APPROVAL.decides
def seal_route(p: NoParams, *, purpose: str) -> SealRoute:
    if purpose == "fee_receipt":
        raise SEAL_NO_FEES.violation("seal_fee_receipt", "不得使用印有办事处公章的单据对外收费",
                                     "The street seal may not be used on fee receipts", {"purpose": purpose})
    return {
        "signed_document": SealRoute(LEADER_IN_CHARGE, False),
        "contract": SealRoute(DIRECTOR, True),
        "certificate": SealRoute(OFFICE_DIRECTOR, False),
        "routine_report": SealRoute(LEADER_IN_CHARGE, False),
        "special": SealRoute(PRINCIPAL_LEADER, False),
    }[purpose]


SEAL_NO_FEES = duty_rule(
    "A-SEAL-02", Citation(S003_1, "五3"), "不得用印有办事处公章的单据对外收费。",
    "Receipts bearing the street seal may not be used to collect fees.", code="seal_fee_receipt",
    message_zh="不得使用印有办事处公章的单据对外收费", message_en="No fee receipts under the street seal")
SEAL_TAKEOUT = duty_rule(
    "A-SEAL-12", Citation(S003_10, "四(四)3"),
    "严禁将印章带出机关使用，确需带出的必须经领导批准，并由专人监管。",
    "Taking a seal out of the office needs a leader's approval and the keeper's supervision.",
    code="seal_takeout_unapproved", message_zh="印章带出须经领导批准并由印章管理人员监管",
    message_en="Taking the seal out needs a leader's approval and the keeper as escort")
SEAL_REGISTER = record_rule(
    "A-SEAL-10", Citation(S003_10, "四(四)1；001 附件三 七(二)"), ("seal", "purpose", "requester_signature"),
    "各类印章实行专人管理，每次用印登记，由用印人签字。", "Every seal use is registered and signed by the requester.",
    code="seal_register_incomplete", action="enforce")


# Rooms, reception, vehicles, assets ---------------------------------------------------------------------------

ROOM_NO_OVERLAP = duty_rule(
    "A-ROOM-02", Citation(S003_10, "四(九)(二)"),
    "各科室使用会议室须提前给办公室打招呼，若有科室间使用会议室有冲突，自行协商调整。",
    "Rooms are booked with the office; overlapping bookings are refused and the holder is shown.",
    code="room_double_booked", message_zh="该时段会议室已被预订，请与预订科室协商",
    message_en="The room is already booked for that time; negotiate with the holder")


@dataclass(frozen=True)
class ReceptionParams:
    bands: tuple[tuple[int, int], ...] = ((5, 1), (10, 2), (16, 3))  # guests ≤ n → at most m staff
    manual_above: int = 16


RECEPTION_STAFF = Rule(
    id="A-RECP-04", citation=Citation(S003_1, "十三5"),
    summary_zh="客人在5人以下的配备1名接待人员；6—10人配备2名；10人以上可配备3名；超过16人的视具体情况而定。",
    summary_en="Reception staff: ≤ 5 guests → 1; 6–10 → 2; 11–16 → up to 3; more than 16 → leader decides.",
    params=ReceptionParams(), action="enforce")


@RECEPTION_STAFF.decides
def reception_staff(p: ReceptionParams, *, guests: int, staff: int | None = None) -> int | None:
    """The most reception staff for `guests`; None when a leader must decide (> 16). With `staff`, refuses more."""
    limit = next((m for n, m in p.bands if guests <= n), None)
    if staff is not None and limit is not None and staff > limit:
        raise RECEPTION_STAFF.violation("too_many_reception_staff",
                                        f"{guests}位客人最多配备{limit}名接待人员，现{staff}名",
                                        f"{guests} guests allow at most {limit} reception staff, not {staff}",
                                        {"guests": guests, "staff": staff, "limit": limit})
    return limit


GIFT_APPROVAL = duty_rule(
    "A-RECP-06", Citation(S003_1, "十三8"), "一般不赠礼品。如有特殊贵宾确需赠送的，需报经主要领导同意。",
    "No gifts in general; a gift needs a principal leader's consent.", code="gift_unapproved",
    message_zh="赠送礼品须经主要领导同意", message_en="A gift needs a principal leader's consent")


@dataclass(frozen=True)
class AmountParams:
    office_max_fen: int = 20000   # ≤ 200 yuan: the office arranges it


ASSET_REPAIR = Rule(
    id="A-ASSET-05", citation=Citation(S003_10, "四(五) 办公物品5"),
    summary_zh="修理需更换元件200元以下的由办公室安排修理；超过200元的应先报告分管领导同意。",
    summary_en="Repairs ≤ 200 yuan are arranged by the office; above 200 the leader in charge consents first.",
    params=AmountParams(), action="route")


@ASSET_REPAIR.decides
def asset_repair_route(p: AmountParams, *, amount_fen: int) -> tuple[str, ...]:
    return (OFFICE_DIRECTOR,) if amount_fen <= p.office_max_fen else (OFFICE_DIRECTOR, LEADER_IN_CHARGE)


VEHICLE_REPAIR = Rule(
    id="A-VEH-05", citation=Citation(S003_10, "四(六)2(4)"),
    summary_zh="车辆检修、保养前应事先报办公室同意，超过200元以上的要报告分管领导同意，并报街办主任批准。",
    summary_en="Vehicle servicing needs the office; above 200 yuan also the leader in charge and the director.",
    params=AmountParams(), action="route")


@VEHICLE_REPAIR.decides
def vehicle_repair_route(p: AmountParams, *, amount_fen: int) -> tuple[str, ...]:
    if amount_fen <= p.office_max_fen:
        return (OFFICE_DIRECTOR,)
    return (OFFICE_DIRECTOR, LEADER_IN_CHARGE, DIRECTOR)


@dataclass(frozen=True)
class CardParams:
    min_fen: int = 50000


ASSET_CARD = Rule(
    id="A-ASSET-09", citation=Citation(S003_10, "三(五)4"),
    summary_zh="单位价值在500元以上的公有财产，财务部门要建帐、设卡、编号登记。",
    summary_en="Public property of unit value ≥ 500 yuan gets an account, a card and a number.",
    params=CardParams(), action="enforce")


@ASSET_CARD.decides
def asset_needs_card(p: CardParams, *, unit_value_fen: int) -> bool:
    return unit_value_fen >= p.min_fen


VEHICLE_POOLS = {
    "1": ("general_office",),
    "2": ("econ_mgmt_section", "community_service_center"),
    "3": ("general_office", "street_zz_center"),
    "4": ("urban_mgmt_section", "work_safety_office"),
}
VEHICLE_POOL = duty_rule(
    "A-VEH-01", Citation(S003_10, "四(六)1"),
    "初步按每两科室统筹使用一辆车的原则：(1)党政办保证党政主要领导使用；(2)经管科与社区服务中心；(3)党政办与综治维稳中心；(4)城管科与安办。",
    "One vehicle per two sections; a section books only its pool's vehicle.", code="vehicle_pool",
    message_zh="本科室不属于该车辆的使用单位", message_en="The section does not belong to this vehicle's pool")


# Work reports and study (A-RPT) ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryParams:
    half_year_due: str = "07-10"   # MM-DD of the same year (inferred default)
    year_due: str = "01-10"        # MM-DD of the next year (inferred default)


WORK_SUMMARY = Rule(
    id="A-RPT-01", citation=Citation(S003_1, "四1"),
    summary_zh="办事处及各部门每半年进行一次书面小结，年终进行总结，并按时上报主管部门。",
    summary_en="Half-year interim summary and year-end summary, submitted on time (default 10 Jul and 10 Jan).",
    params=SummaryParams(), action="remind")


@WORK_SUMMARY.decides
def summaries_due(p: SummaryParams, *, year: int) -> dict[str, datetime.date]:
    """The due dates of the half-year summary of `year` and of its year-end summary."""
    half_m, half_d = (int(x) for x in p.half_year_due.split("-"))
    year_m, year_d = (int(x) for x in p.year_due.split("-"))
    return {"half_year_summary": datetime.date(year, half_m, half_d),
            "year_summary": datetime.date(year + 1, year_m, year_d)}


QUARTERLY_REPORT = Rule(
    id="A-RPT-02", citation=Citation(S003_1, "四1"),
    summary_zh="行政工作每季度不拘形式的向党工委汇报。",
    summary_en="Administrative work is reported to the party working committee every quarter.",
    params=CountParams(1), action="remind")


@QUARTERLY_REPORT.decides
def quarter_of(p: CountParams, *, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar quarter containing `day` (first and last day)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    nxt = datetime.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, nxt - datetime.timedelta(days=1)


REPORT_CHAIN = (CLERK, SECTION_HEAD, LEADER_IN_CHARGE, DIRECTOR)
REPORT_LEVELS = Rule(
    id="A-RPT-04", citation=Citation(S003_1, "四3"),
    summary_zh="工作汇报必须逐级汇报，不得越级：办事员→科室负责人→分管领导→主任。",
    summary_en="Reports go level by level: clerk → section head → leader in charge → director; no skipping.",
    params=NoParams(), action="enforce")


@REPORT_LEVELS.decides
def next_level(p: NoParams, *, rank: str, urgent: bool = False) -> str:
    """The post a report of `rank` is addressed to; an urgent major matter may go to a principal leader
    (A-RPT-05)."""
    if urgent:
        return PRINCIPAL_LEADER
    level = {ORDINARY_STAFF: CLERK, DEPUTY_DIRECTOR: LEADER_IN_CHARGE, OFFICE_DIRECTOR: SECTION_HEAD}.get(rank, rank)
    if level not in REPORT_CHAIN[:-1]:
        return DIRECTOR if level != DIRECTOR else PARTY_SECRETARY
    return REPORT_CHAIN[REPORT_CHAIN.index(level) + 1]


@dataclass(frozen=True)
class StudyParams:
    weekday: int = 2   # Wednesday (Monday = 0)


STUDY_DAY = Rule(
    id="A-RPT-20", citation=Citation(S003_1, "一1–3"),
    summary_zh="机关干部和居委会主任坚持每周三下午为学习日，无特殊情况不得缺席，并做好记录。",
    summary_en="Organ cadres and residents-committee directors study on Wednesday afternoons, with a record.",
    params=StudyParams(), action="flag")


@STUDY_DAY.decides
def study_weeks_missed(p: StudyParams, *, held: list[datetime.date], since: datetime.date,
                       today: datetime.date) -> list[datetime.date]:
    """The Mondays of the ended weeks from `since` to before `today` without a study session."""
    monday = since - datetime.timedelta(days=since.weekday())
    this_week = today - datetime.timedelta(days=today.weekday())
    weeks = {d - datetime.timedelta(days=d.weekday()) for d in held}
    missed = []
    while monday < this_week:
        if monday not in weeks:
            missed.append(monday)
        monday += datetime.timedelta(days=7)
    return missed
