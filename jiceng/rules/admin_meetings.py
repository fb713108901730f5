"""Meeting rules of rules-admin (seeds 001 and 003): the street office's own meetings (A-MEET), the community
hearing of 001 附件三 五 (A-HEAR) and the community party committee's rules of procedure (A-PARTY).

Where a rule repeats one of rules-core for another seed, both IDs exist and the comment names the other: a district
follows the seed it adopted (rules-admin §4: "A-HEAR-11's inferred pass rule applies only where no R-HEAR rule does").
A-PARTY-02/04/06/10 and A-MEET-05 are in jiceng/rules/meetings.py, next to the kinds that judge them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Citation, Rule
from .shapes import (
    HALF,
    S001,
    S001_2,
    S003_1,
    S003_9,
    S003_10,
    cadence_rule,
    category_rule,
    deadline_rule,
    duty_rule,
    leave_rule,
    passing_rule,
    record_rule,
    sequence_rule,
)
from .thresholds import Base, Threshold


@dataclass(frozen=True)
class CombineParams:
    counts_for_each: bool  # a combined meeting (联合召开、套开) counts for every kind it covers (INFERRED)


@dataclass(frozen=True)
class AbsenceReportParams:
    period: str  # unexcused absences are counted once per "month"


@dataclass(frozen=True)
class CommitteeScopeParams:
    matters: tuple[str, ...]   # 一(一)6(2): matters always decided by the committee
    larger_expense_fen: int    # "较大数额经费开支": above this amount (strict), in fen; not in the seed (A-FIN-07)


# Street office meetings (A-MEET, 003) -----------------------------------------------------------------------

DIRECTOR_MEETING = cadence_rule(
    "A-MEET-01", Citation(S003_1, "三1"), 1, "month",
    "主任会议由主任决定主持召开，每月一至二次。研究行政方面的工作，根据工作情况可与党工委会一道开联席会议。",
    "The director calls and chairs a director's meeting on administrative work once or twice a month.", at_most=2)
OFFICE_MEETING = cadence_rule(
    "A-MEET-02", Citation(S003_1, "三2"), 1, "month",
    "办公会议由书记或主任主持召开，部门负责人参加，汇报当月工作，安排次月工作，原则上每月底前召开。",
    "The office meeting, chaired by the secretary or the director with section heads, is held before month end.")
# "每半月一次": two per calendar month is what the schedules can count; a month with both meetings in its first
# half passes although the second half had none (半个月 = 15 days, rules-admin §0.3).
SECTION_MEETING = cadence_rule(
    "A-MEET-03", Citation(S003_1, "三3"), 2, "month",
    "部门会议由分管主任或部门负责人决定召开，每半月一次研究部门工作。",
    "A section meeting every half month, called by the deputy in charge or the section head.")
UPPER_MEETINGS = record_rule(
    "A-MEET-04", Citation(S003_1, "三4"), ("attended_by", "relayed_on"),
    "按时参加上级机关要求参加的会议，并根据情况适时汇报和传达，需要协作的要开好内外部协调会。",
    "Attend upper-level meetings on time, then report and relay them; hold coordination meetings where needed.",
    code="relay_missing")
# Needs the office app (upper-level meetings are not meetings of a body here).
REGULAR_MEETINGS = {
    variant: cadence_rule("A-MEET-10", Citation(S003_10, "一(一)"), 1, "month", zh, en, variant=variant)
    for variant, zh, en in [
        ("administrative", "行政例会原则上每月一次。", "Administrative regular meeting: monthly."),
        ("zongzhi", "综治例会原则上每月一次。", "Comprehensive-governance regular meeting: monthly."),
        ("community_work", "社区工作例会原则上每月一次。", "Community work regular meeting: monthly."),
        ("urban_management", "城管工作例会原则上每月一次。", "Urban management regular meeting: monthly."),
    ]
}
COMBINED_MEETINGS = Rule(
    id="A-MEET-11", citation=Citation(S003_10, "一(二)"),
    summary_zh="凡是能联合召开、套开、连续开的会议均应合并召开。",
    summary_en="Meetings that can be held jointly, nested or back to back are combined.",
    params=CombineParams(counts_for_each=True), action="record")


@COMBINED_MEETINGS.decides
def kinds_counted(p: CombineParams, *, kinds: list[str]) -> list[str]:
    """The meeting kinds one combined meeting counts for in the schedules: all of them, or only the first."""
    kinds = list(dict.fromkeys(kinds))
    return kinds if p.counts_for_each else kinds[:1]
# Not counted yet: a Meeting has one kind, and schedules.py counts meetings by that kind.


FOLLOW_UP = record_rule(
    "A-MEET-12", Citation(S003_10, "一(三)"), ("decisions", "follow_up"),
    "会前准备，会中部署明确、形成共识，会后抓好落实，加强督查指导，及时跟踪反馈落实情况。",
    "Prepare, decide clearly, then follow implementation up and report back.", code="follow_up_missing")
ABSENCE_REPORT = Rule(
    id="A-MEET-13", citation=Citation(S003_10, "一(四)"),
    summary_zh="参会人员应按时到会，不迟到、不早退；对无故缺席会议的，将参会情况每月统计一次，纳入考核。",
    summary_en="Attend on time; unexcused absences are counted every month and enter the assessment (A-EVAL-07).",
    params=AbsenceReportParams(period="month"), action="record")


@ABSENCE_REPORT.decides
def unexcused_absences(p: AbsenceReportParams, *, statuses: list[str]) -> int:
    """How many of a period's attendance rows were absences without leave ("absent", not "leave")."""
    return sum(1 for status in statuses if status == "absent")
# The monthly report to the assessment waits for the accountability app (issue #6).


DECISION_TRACKING = record_rule(
    "A-MEET-14", Citation(S003_10, "一(五)"), ("owner", "due_on"),
    "办公室牵头对党工委会、行政例会等议定事项贯彻落实情况督查督办，对落实不到位的通报并在目标考核中扣分。",
    "Decisions of the PWC and the regular meetings are tracked with an owner and a due date; overdue ones are "
    "reported and cost target points.", code="decision_untracked")
# Waits for the decisions app (issue #4): decisions become tracked tasks.
ZZ_MEETINGS = {  # A-MEET-15 points to the 综治 rules (A-ZZ-20/55/60/75); the zongzhi app will hold these kinds.
    "committee": cadence_rule(
        "A-MEET-15", Citation(S001_2, "三1"), 1, "quarter",
        "乡镇综治委每季度召开一次综治委全体人员会议，总结本季度综治工作，研究布署下一步工作。",
        "The 综治 committee meets in full once a quarter.", variant="committee"),
    "joint": cadence_rule(
        "A-MEET-15", Citation(S003_9, "三2、七1"), 1, "month",
        "每月召开一次联席会议，通报上月中心受理及调处矛盾纠纷和问题隐患情况。",
        "The 综治 centre's joint meeting with its member units is held monthly.", variant="joint"),
}
SAFETY_COMMITTEE = cadence_rule(
    "A-MEET-16", Citation(S003_10, "二(一)1"), 1, "quarter",
    "街道安全生产委员会每季度召开一次领导小组成员会议。",
    "The work-safety committee's leading group meets quarterly (A-SAFE-01).")

# Community hearings of 001 (A-HEAR) -------------------------------------------------------------------------
# 001 附件三 五 is a second model of the hearing beside 000-A (R-HEAR): the engine runs one hearing kind, judged
# by R-HEAR where both speak (notice, quorum, passing) and by A-HEAR where only 001 does.

S001_HEAR = f"{S001} 五"

HEARING_BEFORE_DECISION = duty_rule(
    "A-HEAR-01", Citation(S001_HEAR, "第一段"),
    "对社区居民普遍关心、涉及切身利益的社区有关事务在做出决策前，由居委会组织部分社区成员召开社区听证会。",
    "A hearing is held before the residents committee decides a matter of general concern.",
    code="hearing_required_first", message_zh="该事项须先召开听证会并形成结果，方可作出决策",
    message_en="This matter needs a hearing result before it is decided")
# Waits for the decisions app (issue #4): "hearing required" is a mark on the matter.
HEARING_ORGANISER = duty_rule(
    "A-HEAR-02", Citation(S001_HEAR, "第二段"), "社区听证会由社区居委会召集和主持。",
    "The residents committee convenes and chairs the hearing.", code="not_residents_committee",
    message_zh="社区听证会须由社区居委会召集和主持",
    message_en="A hearing is convened and chaired by the residents committee")
# Convening is R-HEAR-02's check too (000-A 第五条); A-HEAR-02 adds the chair, judged in hold().
HEARING_MEMBER_KINDS = ("party_org_member", "rc_member", "community_worker", "resident_group_leader",
                        "member_representative")
HEARING_MEMBERS = category_rule(
    "A-HEAR-03", Citation(S001_HEAR, "第二段"), HEARING_MEMBER_KINDS,
    "参与听证的人员可由社区党组织成员、社区居委会成员、职业社区工作者、居民小组长、社区成员代表组成。",
    "Hearing members are party organisation members, committee members, community workers, resident-group "
    "leaders or member representatives.", code="not_an_eligible_member")
# Attendance.category can hold the kind, but no screen or endpoint sets it yet: rule object only.
HEARING_OFFICIALS = duty_rule(
    "A-HEAR-04", Citation(S001_HEAR, "第二段"),
    "经社区居委会邀请，有关政府部门和街道办事处、驻社区单位的代表应列席会议。",
    "Invited representatives of government departments, the street office and resident units sit in without a vote.",
    code="official_cannot_vote", message_zh="列席的政府部门、街道办事处和驻社区单位代表没有表决权",
    message_en="Officials who sit in have no vote")
HEARING_VOTERS = duty_rule(
    "A-HEAR-05", Citation(S001_HEAR, "第二段"),
    "社区居民可自由旁听听证会。听证会成员的听证表决权，由社区居委会确定。",
    "Residents may observe freely; the residents committee fixes which members vote. Observers never vote.",
    code="observer_cannot_vote", message_zh="旁听和列席人员没有表决权，表决权由社区居委会确定",
    message_en="Observers have no vote; the residents committee fixes who votes")
# The voter list is the expected list (Attendance.voting), fixed at notice; anyone else who came sits in.
HEARING_SCOPE = ("社区治安防范", "环境治理", "油烟噪音和占道摊点整治", "违法建筑整治", "设施管理",
                 "对本社区突发困难居民进行捐赠", "筹集本社区公益事业建设经费", "其他需要社区居民听证的事项")
HEARING_TOPICS = category_rule(
    "A-HEAR-06", Citation(S001_HEAR, "第三段"), HEARING_SCOPE,
    "社区听证会的议事范围为：社区治安防范、环境治理、油烟噪音和占道摊点整治、违法建筑整治、设施管理、"
    "对本社区突发困难居民进行捐赠、筹集本社区公益事业建设经费以及其他需要社区居民听证的事项。",
    "Hearing topics (E-HEARSCOPE); 000-A's five subject categories (R-HEAR-04, E-05) are a different list.",
    code="hearing_topic_unknown", action="record")
CONGRESS_RESERVED = duty_rule(
    "A-HEAR-07", Citation(S001_HEAR, "第三段"),
    "对应由社区成员代表大会讨论决定的事项，由社区居委会提请社区成员代表大会讨论决定。",
    "A matter reserved to the member congress (A-COM-33) is referred to it, not decided by the hearing vote.",
    code="congress_reserved_matter", message_zh="该事项应由社区成员代表大会讨论决定，听证会表决不能作为决定",
    message_en="This matter is for the member congress; a hearing vote cannot decide it")
# Waits for the decisions app (issue #4).
HEARING_STEPS = sequence_rule(
    "A-HEAR-08", Citation(S001_HEAR, "第四段"),
    ("主持人报告议题", "居委会通报议题情况", "听证会成员讨论", "政府部门代表答复咨询", "听证会成员投票表决"),
    "听证会的一般程序：一是由主持人报告议题；二是由社区居委会通报所听证议题的相关情况；三是由听证会成员充分讨论；"
    "四是涉及国家法律、法规、政策规定的问题，请政府相关部门的代表回答听证会的咨询；五是由听证会成员投票表决。",
    "Steps in order: the chair reports the topic; the RC briefs; members discuss; where law or policy is involved, "
    "government representatives answer; members vote.", optional=("政府部门代表答复咨询",))
# The same five steps as R-HEAR-09 (000-A), one for one; jiceng/meetings/minutes.py maps the minutes' headings.
HEARING_PUBLISH = deadline_rule(
    "A-HEAR-09", Citation(S001_HEAR, "第五段"), 3,
    "社区居委会应于社区居民听证会召开后的三日内，将听证会的表决结果采取适当方式公示。",
    "The residents committee publishes the vote result within 3 days after the hearing.")
# R-HEAR-15 (000-A) gives 7 days for the same duty; the hearing kind publishes under R-HEAR-15, and a district
# under 001 sets R-HEAR-15's days to 3 in its rulebook version.
HEARING_WRITTEN_COPY = duty_rule(
    "A-HEAR-10", Citation(S001_HEAR, "第五段"),
    "听证事项涉及政府相关部门或街道办事处，由社区居委会将听证会的表决结果书面抄送政府相关部门或街道办事处。",
    "Where the matter involves a government department or the street office, the result is sent to it in writing.",
    code="written_copy_missing", message_zh="听证事项涉及政府相关部门或街道办事处，须记录书面抄送",
    message_en="The result must be sent in writing to the departments the matter involves")
# No hearing records which departments its matter involves yet: rule object only.
HEARING_PASS_001 = passing_rule(
    "A-HEAR-11", Citation(S001_HEAR, "第二段（表决权）"), Threshold(HALF, Base.VALID_BALLOTS, True),
    "听证会表决的通过标准原文未规定；默认为有表决权成员所投票数的过半数赞成（推定，可由区设定）。",
    "The seed gives no passing threshold; by default more than half of the votes cast by voting members (INFERRED).")
# R-HEAR-12 (000-A: more than half of those present) is what the hearing kind uses; this one applies only where
# no R-HEAR rule does.

# Community party committee, rules of procedure (A-PARTY, 001 附件三 一(一)) -------------------------------------

S001_PARTY = f"{S001} 一(一)"

PARTY_COMMITTEE_CADENCE = cadence_rule(
    "A-PARTY-01", Citation(S001_PARTY, "2"), 1, "month",
    "社区党组织委员会一般每月召开1—2次会议，如有特殊情况可随时召开。会议由书记召集、主持。",
    "The committee meets once or twice a month, more if needed; the secretary convenes and chairs.", at_most=2)
# The same meeting kind as R-MTG-01 (002-B: monthly), which drives the schedules; the minimum agrees (1 a month).
PARTY_COMMITTEE_LEAVE = leave_rule(
    "A-PARTY-03", Citation(S001_PARTY, "3"),
    "根据议题需要，有关人员可以列席会议，委员因故不能出席会议，要事先向书记请假。",
    "A member who cannot attend asks the secretary for leave beforehand; otherwise the absence is unexcused.",
    action="enforce")
# Same shape as R-PWC-06; see the note there on recording when leave was asked (A-LEAVE-08 is this rule too).
PARTY_COMMITTEE_AGENDA = duty_rule(
    "A-PARTY-05", Citation(S001_PARTY, "5"),
    "社区党组织委员会议的议题，由书记根据工作需要确定，各委员拟提交会议讨论的问题，应事先向书记汇报、确定。",
    "The secretary sets the agenda; members submit their topics to the secretary beforehand.",
    code="agenda_not_authorised", message_zh="委员会议议题须由社区党组织书记确定",
    message_en="Only the community party secretary sets the committee's agenda")
# As R-PWC-07: no agenda-finalising step exists yet.
PARTY_COMMITTEE_OUTCOMES = category_rule(
    "A-PARTY-07", Citation(S001_PARTY, "6(7)、(8)"), ("passed", "rejected", "deferred", "referred_up"),
    "坚持少数服从多数，讨论结果由会议主持人当场宣布；出现重大分歧不能匆忙做出决定，待调查研究后再定，"
    "也可将有争议的事项向街道党工委报告；紧急情况下不足半数时处理的重大问题事后应向下次会议汇报。",
    "Majority rule, result announced on the spot; strong disagreement → deferred or referred to the street PWC; "
    "emergency decisions by fewer than half are reported to the next meeting.",
    code="outcome_unknown", action="record")
PARTY_COMMITTEE_SCOPE = Rule(
    id="A-PARTY-08", citation=Citation(S001_PARTY, "6(2)"),
    summary_zh="研究决定社区建设规划、财务收支计划、固定资产购置及较大数额经费开支、所属商业网点、"
               "房屋租赁及合同的签定、下岗职工安置以及居民群众关心的热点、难点问题。",
    summary_en="The committee decides plans, budgets, fixed-asset purchases, larger expenditures, commercial outlets, "
               "leases and contracts, placement of laid-off workers and residents' hot issues.",
    params=CommitteeScopeParams(
        matters=("community_plan", "budget", "fixed_asset_purchase", "commercial_outlet", "lease_contract",
                 "laid_off_placement", "hot_issue"),
        larger_expense_fen=500_00),  # 500 元 (INFERRED, aligned with A-FIN-07's top band)
    action="record")


@PARTY_COMMITTEE_SCOPE.decides
def needs_committee_decision(p: CommitteeScopeParams, *, matter: str, amount_fen: int = 0) -> bool:
    """Whether a matter needs a committee decision record: a listed matter always, an expenditure only above
    the "较大数额" amount (more than 500 元 by default: 500 元 itself does not)."""
    if matter == "expenditure":
        return amount_fen > p.larger_expense_fen
    return matter in p.matters
# The decision record itself waits for the decisions app (issue #4).


PARTY_COMMITTEE_RECORD = duty_rule(
    "A-PARTY-09", Citation(S001_PARTY, "6(9)、(10)"),
    "社区党组织委员会议要做好会议记录，决议形成后要按照分工认真组织实施；会议研究的内容具有保密性。",
    "The committee keeps minutes, implements its resolutions by division of labour and keeps deliberations "
    "confidential.", code="record_missing", message_zh="会议记录尚未签发，不能结束会议",
    message_en="The meeting record is not signed off; the meeting cannot be closed")
