"""The street party working committee's meeting rules (rules-core §2.6, R-PWC): quorum, cadre quorum, agenda
notice, passing, ballots, recusal, who votes, who chairs and records, and the duties around a decision.

R-PWC-23 (cadences) lives in CADENCES of jiceng/rules/meetings.py as R-MTG-09/10/11; R-DOC-04 (minutes
sign-off) stays there too, next to the other document rules.
"""

from __future__ import annotations

from .base import Citation, Rule
from .shapes import (
    HALF,
    S000F,
    S000G,
    TWO_THIRDS,
    duty_rule,
    leave_rule,
    notice_rule,
    passing_rule,
    quorum_rule,
    record_rule,
    sequence_rule,
)
from .thresholds import Base, Threshold

PWC_QUORUM = quorum_rule("R-PWC-04", Citation(S000G, "三(一)4"), Threshold(HALF, Base.MEMBERS_TOTAL, False),
                         "党工委会议必须有半数以上党工委成员到会方能举行。",
                         "At least half of the members must be present (C-16: inclusive by default).")
PWC_CADRE_QUORUM = quorum_rule("R-PWC-05", Citation(S000G, "三(一)4"),
                               Threshold(TWO_THIRDS, Base.MEMBERS_TOTAL, False),
                               "讨论干部问题时应有三分之二以上党工委成员到会。",
                               "Cadre items need at least two thirds of the members present.",
                               code="cadre_quorum_not_met")
PWC_AGENDA_NOTICE = notice_rule("R-PWC-08", Citation(S000G, "三(一)6"), 3,
                                "议题一般应在会议召开3天前通知党工委成员；一般不临时增加议题。",
                                "Topics are notified at least 3 days before; no topics added at the meeting.",
                                code="agenda_notice_too_late", action="enforce_o")
PWC_AD_HOC_ITEM = duty_rule("R-PWC-08", Citation(S000G, "三(一)6"), "一般不临时增加议题。",
                            "Topics are generally not added at the meeting.", code="item_added_ad_hoc",
                            message_zh="会议已通知，一般不临时增加议题",
                            message_en="No topic may be added after notice",
                            action="enforce_o", variant="ad_hoc")
PWC_PASS = passing_rule("R-PWC-11", Citation(S000G, "三(一)11"), Threshold(HALF, Base.MEMBERS_TOTAL, True),
                        "赞成票超过应到会党工委成员人数的半数为通过；未到会成员的书面意见不计入票数。",
                        "An item passes when yes votes exceed half of the members entitled to attend.")
PWC_BALLOT = duty_rule("R-PWC-12", Citation(S000G, "三(一)11"), "讨论决定重大问题和任用干部采取票决制。",
                       "Major issues and cadre appointments are decided by ballot.", code="ballot_required",
                       message_zh="重大问题和干部任用须采取票决（投票）方式",
                       message_en="Major and cadre items need a ballot")
PWC_ONE_BY_ONE = duty_rule("R-PWC-13", Citation(S000G, "三(一)11"), "逐项表决；干部任免逐个表决。",
                           "Each item separately; each cadre separately.", code="bundled_vote",
                           message_zh="干部事项须逐人表决，一次表决只能涉及一人",
                           message_en="A cadre item is voted person by person")
PWC_CADRE_PRECONDITIONS = duty_rule(
    "R-PWC-09", Citation(S000G, "三(一)7"), "干部任免事项须经民主推荐、考察，并听取分管领导意见。",
    "Cadre items need a democratic recommendation, an inspection and the supervising leader's opinion.",
    code="cadre_preconditions_missing", message_zh="干部事项缺少民主推荐、考察或分管领导意见记录",
    message_en="The cadre item lacks its recommendation, inspection or supervising leader's opinion")
PWC_RECUSAL = duty_rule("R-PWC-16", Citation(S000G, "三(一)12"), "如涉及党工委成员本人或其亲属，本人应回避。",
                        "A member recuses from an item concerning himself or a relative.",
                        code="recused_member_cannot_vote", message_zh="该成员已回避本议题，不能参加表决",
                        message_en="This member has recused from the item and cannot vote")
PWC_ONLY_MEMBERS_VOTE = duty_rule("R-PWC-03", Citation(S000G, "三(一)3"), "列席人员不参加表决。",
                                  "Only members vote; invitees do not.", code="not_a_voting_member",
                                  message_zh="该人员不是本会议的表决成员", message_en="This person has no vote here")
PWC_CHAIR = duty_rule("R-PWC-02", Citation(S000G, "三(一)2"),
                      "党工委会议由书记召集并主持，书记因故不能出席时，可委托副书记召集并主持。",
                      "The secretary (or a delegated deputy secretary) convenes and chairs.",
                      code="not_authorised_to_convene", message_zh="会议须由书记或受书记委托的副书记召集主持",
                      message_en="Only the secretary or a delegated deputy secretary may chair")
PWC_RECORDER = duty_rule("R-PWC-19", Citation(S000G, "三(一)14"), "党办安排专人负责党工委会议记录。",
                         "A designated recorder takes the minutes.", code="recorder_missing",
                         message_zh="未指定记录人，不能举行会议", message_en="No recorder designated")

PWC_SCOPE = duty_rule(
    "R-PWC-01", Citation(S000F, "二(一)；000-G 二1–9"),
    "凡属本街道办事处的重大事项均由党工委会议按照规定的议事原则、议事范围和议事程序集体讨论决定。",
    "Every major matter of the street (E-16) is decided collectively by a PWC meeting; no individual decides it.",
    code="decision_outside_meeting", message_zh="党工委议事范围内的事项只能作为已召开党工委会议的议题作出决定",
    message_en="A matter in the PWC's scope is decided only as an item of a held PWC meeting")
# Enforcement waits for the decisions app (issue #4): a decision outside a meeting has no record here yet.
PWC_LEAVE = leave_rule(
    "R-PWC-06", Citation(S000G, "三(一)4"),
    "党工委成员因故不能出席会议，应在会前请假，其意见和建议可用书面形式表达。",
    "A member who cannot attend asks for leave before the meeting and may give written opinions "
    "(never counted as votes, R-PWC-11).")
# Attendance.leave_requested_at holds the fact, but no screen or endpoint records when leave was asked yet; hold()
# takes the leave list as stated by the recorder.
PWC_AGENDA_SETTER = duty_rule(
    "R-PWC-07", Citation(S000G, "三(一)5"),
    "党办在年初提出全年党工委会议议题预排方案；书记在充分听取党工委成员意见的基础上，确定党工委会议议题。",
    "Members propose topics; the PWC office drafts the annual plan in January; the secretary fixes the agenda.",
    code="agenda_not_authorised", message_zh="党工委会议议题须由书记（或受委托的副书记）确定",
    message_en="Only the secretary (or the acting deputy) finalises the agenda")
# No agenda-finalising step exists yet (publish_notice freezes the list, whoever sends it): rule object only.
PWC_MATERIALS = duty_rule(
    "R-PWC-10", Citation(S000G, "三(一)8、9"),
    "提交党工委会议讨论的文件、材料由党办报书记或副书记审阅同意后，提前分送各位党工委成员。",
    "Materials are approved by the secretary or a deputy secretary and sent to all members in advance.",
    code="materials_not_approved", message_zh="会议材料须经书记或副书记审阅同意后方可分送",
    message_en="Materials are distributed only after the secretary or a deputy secretary approved them")
# Meetings have no materials yet: rule object only.
PWC_ANNOUNCED = record_rule(
    "R-PWC-14", Citation(S000G, "三(一)11"), ("announced_at",), "表决结果由主持人当场宣布。",
    "The chair announces each result at the meeting.", code="result_not_announced")
PWC_ABSENT_CONSULTED = Rule(
    id="R-PWC-17", citation=Citation(S000G, "三(一)10"),
    summary_zh="党工委成员在讨论决定重大问题时因故缺席，由书记或书记委托有关同志事先征求意见或事后通报情况。",
    summary_en="A member absent when a major issue is decided is consulted beforehand or informed afterwards.",
    params=None, action="remind")


@PWC_ABSENT_CONSULTED.decides
def absentees_to_consult(_p, *, absent: list[int], consulted: list[int]) -> list[int]:
    """The absent members of a major item not yet consulted or informed: what the reminder names."""
    return [person for person in absent if person not in set(consulted)]


PWC_EMERGENCY = record_rule(
    "R-PWC-18", Citation(S000G, "三(一)13"), ("acted_by", "action", "reported_at_meeting"),
    "如遇重大突发事件和紧急情况，来不及召开党工委会议的，书记或副书记、党工委成员可临时处置，"
    "但事后应及时向党工委报告。",
    "In an emergency a secretary, deputy or member may act and reports to the PWC promptly afterwards.",
    code="emergency_not_reported", action="remind")
PWC_PROCEDURE = sequence_rule(
    "R-PWC-20", Citation(S000F, "三1"), ("确定议题", "预先告知", "会前准备", "集体讨论", "进行表决", "形成决议"),
    "按照确定议题、预先告知、会前准备、集体讨论、进行表决、形成决议的程序召开会议决定；"
    "对决定或决议的内容应及时向所属党组织和党员通报。",
    "Set topics → notify → prepare → discuss → vote → resolve; decisions are communicated to subordinate "
    "organisations and members.")
# The meeting's status machine (draft → noticed → held → closed; items voted only while held) already keeps
# this order; the publication of decisions waits for the disclosure app.
PWC_RECONSIDERATION = duty_rule(
    "R-PWC-21", Citation(S000G, "四2、四4"),
    "党工委成员在执行决议、决定中如发现新的情况，应及时提出，经书记同意后，可在党工委会议上复议。",
    "A member may have a decision reconsidered at a PWC meeting with the secretary's consent.",
    code="reconsideration_not_consented", message_zh="复议须经书记同意",
    message_en="A reconsideration needs the secretary's recorded consent")
PWC_DECISION_IMMUTABLE = duty_rule(
    "R-PWC-22", Citation(S000G, "四3"),
    "对党工委会议的决议、决定，党工委成员个人无权改变，须无条件执行。",
    "No member may change a PWC decision; only a new PWC decision can.", code="decision_immutable",
    message_zh="党工委会议的决议、决定只能由党工委会议重新作出决定改变",
    message_en="A PWC decision changes only by a new PWC decision")
# R-PWC-21/22 wait for the decisions app (issue #4): reconsideration and amendment are operations on a decision.
PWC_SUPERVISION = record_rule(
    "R-PWC-24", Citation(S000G, "五2、五3"), ("finding",),
    "对违反本规则做出的错误决定，情节较轻的批评纠正，情节严重的追究相关领导责任；执行情况作为年终考核的重要依据。",
    "Breaches are corrected or lead to accountability; compliance feeds the year-end assessment.",
    code="breach_not_flagged", action="escalate")
# FLAG: the accountability app (issue #6) turns every ENFORCE-O override (Meeting.overrides) into a Finding.
