"""Meeting rules (rules-core §2.3–§2.9, rules-admin A-PARTY, A-COM-32): notice, quorum, passing, minimums,
publication deadlines and cadences. The numbers of every meeting live here and nowhere else.

Each factory below builds a rule object of one shape; the shapes share one pure decision function.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from .base import Citation, Rule
from .thresholds import Base, Threshold

S000A = "000-A《社区听证会、议事会、评议会制度》"
S000G = "000-G《街道办事处党工委议事决策规则》"
S000F = "000-F《街道办事处党工委工作细则》"
S000I = "000-I《社区党组织工作细则》"
S002B = "002-B《党支部工作制度》"
S001 = "001《社区工作制度》附件三"
S004 = "《重庆市街道社区党组织工作规定》"

HALF, TWO_THIRDS, FOUR_FIFTHS = Fraction(1, 2), Fraction(2, 3), Fraction(4, 5)


# Shapes ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeParams:
    days: int  # "N日前": event date − notice date ≥ N calendar days (rules-core §0.3)


@dataclass(frozen=True)
class ThresholdParams:
    threshold: Threshold


@dataclass(frozen=True)
class MinimumParams:
    minimum: int


@dataclass(frozen=True)
class DeadlineParams:
    days: int  # "N日内": done date − event date ≤ N


@dataclass(frozen=True)
class CadenceParams:
    count: int     # at least this many held meetings …
    period: str    # … per "month" | "quarter" | "half_year" | "year"


@dataclass(frozen=True)
class EscalationParams:
    trigger: str   # "below_two_thirds" (default, C-09) or "not_unanimous"


@dataclass(frozen=True)
class Outcome:
    passed: bool
    arithmetic_zh: str
    arithmetic_en: str
    basis: dict


def notice_rule(id, citation, days, summary_zh, summary_en, *, code="notice_period_not_met", action="enforce"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=NoticeParams(days), action=action)

    @rule.decides
    def notice_period(p: NoticeParams, *, event_on: datetime.date, notice_on: datetime.date | None) -> int:
        """Calendar days from notice to event must reach `days` (notice on E−3 satisfies "3日前")."""
        if notice_on is None:
            raise rule.violation(code, "会议尚未发出通知", "No notice has been given", {"required_days": p.days})
        lead = (event_on - notice_on).days
        if lead >= p.days:
            return lead
        raise rule.violation(
            code, f"通知于{notice_on}发出，距会议{event_on}仅{lead}天，须提前{p.days}天",
            f"Notice on {notice_on} is {lead} day(s) before the meeting on {event_on}; {p.days} required",
            {"notice_on": notice_on.isoformat(), "event_on": event_on.isoformat(), "lead_days": lead,
             "required_days": p.days})

    return rule


def quorum_rule(id, citation, threshold, summary_zh, summary_en, *, code="quorum_not_met"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=ThresholdParams(threshold))

    @rule.decides
    def quorum(p: ThresholdParams, *, present: int, base: int) -> Outcome:
        t = p.threshold
        if t.share is None:
            raise rule.violation("rule_parameter_unset", "本区尚未设定该会议的到会人数要求",
                                 "The district has not set this meeting's quorum", {})
        zh, en = t.describe(present, base, "人到会", "present")
        facts = {"present": present, "base": base, "base_kind": t.base, "minimum": t.minimum(base),
                 "share": str(t.share), "strict": t.strict}
        if t.met(present, base):
            return Outcome(True, zh, en, facts)
        raise rule.violation(code, f"到会人数不足：{zh}，至少需{t.minimum(base)}人",
                             f"No quorum: {en}; at least {t.minimum(base)} needed", facts)

    return rule


def passing_rule(id, citation, threshold, summary_zh, summary_en, *, variant=""):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=ThresholdParams(threshold), variant=variant)

    @rule.decides
    def passing(p: ThresholdParams, *, yes: int, base: int) -> Outcome:
        """Passed or not, with the arithmetic shown; it never refuses, except for an unset parameter."""
        t = p.threshold
        if t.share is None:
            raise rule.violation("rule_parameter_unset", "本区尚未设定该会议的表决通过标准",
                                 "The district has not set this meeting's passing threshold", {})
        zh, en = t.describe(yes, base, "赞成", "yes")
        passed = t.met(yes, base)
        return Outcome(passed, f"{zh} → {'通过' if passed else '未通过'}",
                       f"{en} → {'passed' if passed else 'not passed'}",
                       {"yes": yes, "base": base, "base_kind": t.base, "minimum": t.minimum(base),
                        "share": str(t.share), "strict": t.strict})

    return rule


def minimum_rule(id, citation, minimum, summary_zh, summary_en, *, code, what_zh, what_en, action="enforce"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=MinimumParams(minimum), action=action)

    @rule.decides
    def at_least(p: MinimumParams, *, count: int) -> int:
        if count >= p.minimum:
            return count
        raise rule.violation(code, f"{what_zh}{count}人，不少于{p.minimum}人", f"{count} {what_en}; at least "
                             f"{p.minimum} required", {"count": count, "minimum": p.minimum})

    return rule


def deadline_rule(id, citation, days, summary_zh, summary_en, *, action="publish"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=DeadlineParams(days), action=action)

    @rule.decides
    def due_on(p: DeadlineParams, *, event_on: datetime.date) -> datetime.date:
        """The last day on which the duty is still on time ("7日内": event + 7)."""
        return event_on + datetime.timedelta(days=p.days)

    return rule


def cadence_rule(id, citation, count, period, summary_zh, summary_en):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=CadenceParams(count, period), action="remind")

    @rule.decides
    def cadence(p: CadenceParams) -> CadenceParams:
        return p

    return rule


def duty_rule(id, citation, summary_zh, summary_en, *, code, message_zh, message_en, action="enforce",
              variant=""):
    """A yes/no precondition (a recorder named, a list approved …): the service states the fact."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en, params=None,
                action=action, variant=variant)

    @rule.decides
    def holds(_p, *, satisfied: bool, **facts) -> None:
        if not satisfied:
            raise rule.violation(code, message_zh, message_en, facts)

    return rule


# Hearings (R-HEAR) --------------------------------------------------------------------------------------

HEAR_PARTICIPANTS_AGREED = duty_rule(
    "R-HEAR-05", Citation(S000A, "第七条(一)1"),
    "听证会具体人选由街道办事处和社区党组织、居委会商定。",
    "Hearing participants are agreed by the street office, the party organisation and the residents committee.",
    code="participant_list_not_agreed", message_zh="参会人员名单尚未经街道办事处、社区党组织、居委会三方确认",
    message_en="The participant list lacks the confirmation of the street office, party organisation and RC")
HEARING_SUBJECTS = ("H1", "H2", "H3", "H4", "H5")  # E-05
HEAR_SUBJECT = duty_rule("R-HEAR-04", Citation(S000A, "第六条"),
                         "听证事项为：社区建设规划；公共事务和公益事业；社会稳定事项；政府部门和街道在社区实施的工作；其它。",
                         "A hearing's subject belongs to one of the five categories (E-05).",
                         code="subject_category_missing", message_zh="听证会须注明听证事项类别（H1–H5）",
                         message_en="A hearing needs its subject category H1–H5")
COUNCIL_TOPICS = ("T1", "T2", "T3", "T4", "T5", "T6")  # E-04
DELIB_TOPIC = duty_rule("R-DELIB-04", Citation(S000A, "第十条"), "议事会议题须属于六类议事范围之一。",
                        "A council topic belongs to one of the six topics of the method (E-04).",
                        code="topic_category_missing", message_zh="议事会议题须注明议题类别（T1–T6）",
                        message_en="A council topic needs its category T1–T6")
HEAR_NOTICE = notice_rule("R-HEAR-06", Citation(S000A, "第七条(一)1"), 3,
                          "召开听证会需3日前在社区公示栏公布时间、地点、内容和参加人员。",
                          "Post time, place, content and participants at least 3 days before the hearing.")
HEAR_QUORUM = quorum_rule("R-HEAR-08", Citation(S000A, "第七条(一)3"), Threshold(HALF, Base.EXPECTED, True),
                          "听证会必须有应到人数的过半数出席，方可举行。",
                          "More than half of the expected attendees must be present.")
HEAR_PASS = passing_rule("R-HEAR-12", Citation(S000A, "第七条(二)5"), Threshold(HALF, Base.PRESENT, True),
                         "听证决议必须由出席人员的过半数通过。",
                         "A hearing resolution needs more than half of those present.")
HEAR_RECORD = duty_rule("R-HEAR-13", Citation(S000A, "第七条(二)5"), "居委会应做好完整的会议记录。",
                        "The residents committee keeps a complete record of the hearing.",
                        code="record_missing", message_zh="会议记录尚未签发，不能结束会议",
                        message_en="The meeting record is not signed off; the meeting cannot be closed")
# 000-A gives 7 days; 001 附件三 五 (A-HEAR-09) gives 3 — a district under 001 sets days=3.
HEAR_PUBLISH = deadline_rule("R-HEAR-15", Citation(S000A, "第七条(三)"), 7,
                             "听证会后7日内在居务公开栏公布结果。",
                             "Publish the hearing's results on the residents'-affairs board within 7 days.")

HEARING_MINUTES = duty_rule(
    "R-HEAR-14", Citation(S000A, "第七条(三)"),
    "听证会后及时形成《听证会议纪要》，包括听证会的基本情况、听证代表意见的简明扼要陈述和倾向性方案，"
    "并报街道办事处或相关部门备案。",
    "Hearing minutes give the basic information, a concise statement of the representatives' opinions and the "
    "preferred plan, and are filed with the street office or the relevant department.",
    code="minutes_incomplete", message_zh="听证会议纪要须写明基本情况、代表意见和倾向性方案后方可签发",
    message_en="Hearing minutes need the basic information, the representatives' opinions and the preferred plan "
               "before sign-off")
PWC_MINUTES_SIGNER = duty_rule(
    "R-DOC-04", Citation(S000G, "三(二)4"), "党工委会议纪要由书记签发，或由书记委托副书记签发。",
    "PWC minutes are signed off by the secretary, or by a deputy secretary the secretary delegates.",
    code="signer_not_authorised", message_zh="党工委会议纪要须由书记或受书记委托的副书记签发",
    message_en="PWC minutes are signed off by the secretary or a delegated deputy secretary")

# Deliberation councils (R-DELIB) ------------------------------------------------------------------------

DELIB_NOTICE = notice_rule("R-DELIB-06", Citation(S000A, "第十一条(一)2"), 3,
                           "议事会议题至少提前3天公告。",
                           "Announce a council's topic at least 3 days before.")
DELIB_PASS = passing_rule("R-DELIB-07", Citation(S000A, "第十一条(二)1"), Threshold(TWO_THIRDS, Base.PRESENT, False),
                          "三分之二以上到会成员赞成的议题即为有效，否则议题不办或缓办。",
                          "A topic is valid with at least two thirds of the members present voting yes.")
DELIB_GRID_FILED = duty_rule("R-DELIB-08", Citation(S000A, "第十一条(二)2"),
                             "网格议事会讨论通过的议案，应交社区议事会备案。",
                             "A proposal passed by a grid council is filed with the community council.",
                             code="grid_filing_missing", message_zh="网格议事会通过的议案须交社区议事会备案",
                             message_en="A passed grid proposal must be filed with the community council",
                             action="record")
DELIB_GRID_ESCALATE = duty_rule("R-DELIB-09", Citation(S000A, "第十一条(二)2"),
                                "网格议事会没有通过的议案，应及时提交社区议事会讨论。",
                                "A proposal a grid council did not pass goes to the community council.",
                                code="grid_failure_must_escalate",
                                message_zh="网格议事会未通过的议案不能以不办或缓办结束，须提交社区议事会",
                                message_en="A failed grid proposal cannot close as not handled or postponed; "
                                           "it goes to the community council", action="escalate")
DELIB_COMMUNITY_ESCALATE = Rule(
    id="R-DELIB-10", citation=Citation(S000A, "第十一条(二)3"),
    summary_zh="社区议事会达不成一致意见的议案，应及时提交街道办事处党工委研究决定。",
    summary_en="A proposal the community council cannot agree on goes to the street party working committee.",
    params=EscalationParams("below_two_thirds"), action="escalate")


@DELIB_COMMUNITY_ESCALATE.decides
def community_council_escalates(p: EscalationParams, *, passed: bool, unanimous: bool) -> bool:
    """C-09: by default "达不成一致意见" reads as "did not reach two thirds"; a district may read it as
    "not unanimous"."""
    return (not unanimous) if p.trigger == "not_unanimous" else (not passed)


DELIB_RECORDER = duty_rule("R-DELIB-11", Citation(S000A, "第十一条(二)3"), "会议要指定专人负责记录。",
                           "Each council meeting designates a recorder.", code="recorder_missing",
                           message_zh="未指定记录人，不能举行会议", message_en="No recorder designated")

# Evaluation meetings (R-EVAL) ---------------------------------------------------------------------------

EVAL_CADENCE = cadence_rule("R-EVAL-02", Citation(S000A, "第十三条"), 1, "year",
                            "评议会一般采取综合评议的形式，在每年的年底进行。",
                            "One comprehensive evaluation meeting a year, at year end.")
EVAL_MIN_EVALUATORS = minimum_rule("R-EVAL-05", Citation(S000A, "第十四条"), 50,
                                   "参加评议人数一般不少于50人。", "Generally at least 50 evaluators.",
                                   code="too_few_evaluators", what_zh="参加评议人员", what_en="evaluators",
                                   action="enforce_o")
EVAL_DUTY_REPORTS = duty_rule("R-EVAL-06", Citation(S000A, "第十八条(一)1"),
                              "述职报告主要包括工作完成情况、个人履职情况、下步工作打算3项内容。",
                              "Four duty reports, each with three sections, are prepared in advance.",
                              code="duty_report_missing", message_zh="四份述职报告（含三项内容）尚未齐备",
                              message_en="The four duty reports with their three sections are not all attached")
EVAL_PARTICIPANTS_APPROVED = duty_rule("R-EVAL-07", Citation(S000A, "第十八条(一)2"),
                                       "提前确定参会人员并报街道办事处党工委审核通过后方可召开会议。",
                                       "The participant list must be approved by the street party working committee.",
                                       code="participants_not_approved",
                                       message_zh="参会人员名单尚未经街道党工委审核通过",
                                       message_en="The participant list is not approved by the party working committee")
EVAL_CHAIR = duty_rule("R-EVAL-08", Citation(S000A, "第十八条(二)1"), "评议会由街道办事处分包社区领导主持。",
                       "The street leader assigned to the community chairs the evaluation meeting.",
                       code="wrong_chair", message_zh="评议会须由街道办事处分包该社区的领导主持",
                       message_en="The chair must be the street leader assigned to this community")
EVAL_PUBLISH = deadline_rule("R-EVAL-12", Citation(S000A, "第十八条(三)"), 7,
                             "评议会召开后7日内将评议结果在党务公开栏上公布，并报街道党工委备案。",
                             "Publish the results on the party-affairs board within 7 days and file them.")

# Street party working committee (R-PWC) ----------------------------------------------------------------

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

# Two-committee joint meeting (R-JOINT) and community party organisation (R-CPO, A-PARTY) --------------

JOINT_QUORUM = quorum_rule("R-JOINT-03", Citation(S002B, "十4"), Threshold(FOUR_FIFTHS, Base.MEMBERS_TOTAL, False),
                           "每次会议到会人员必须达到社区两委班子成员总数的80%以上。",
                           "At least 80% of all two-committee members must be present.")
JOINT_PASS = passing_rule("R-JOINT-04", Citation(S002B, "十5"), Threshold(TWO_THIRDS, Base.PRESENT, False),
                          "必须得到2/3以上与会人员的同意，方可提交居民会议或居民代表会议讨论决定。",
                          "At least two thirds of those present must agree before the residents decide.")
JOINT_CHAIR = duty_rule("R-JOINT-01", Citation(S002B, "十2"), "联席会议由社区党支部书记主持。",
                        "The community party secretary chairs the joint meeting.", code="wrong_chair",
                        message_zh="两委联席会议须由社区党组织书记（或代行职责的副书记）主持",
                        message_en="The community party secretary (or the acting deputy) must chair")
PARTY_COMMITTEE_QUORUM = quorum_rule("A-PARTY-02", Citation(S001, "一(一)3"),
                                     Threshold(HALF, Base.MEMBERS_TOTAL, False),
                                     "必须由半数以上的委员到会方能举行。",
                                     "At least half of the committee members must be present.")
PARTY_COMMITTEE_NOTICE = notice_rule("A-PARTY-04", Citation(S001, "一(一)4"), 1,
                                     "提前一天通知与会人员。", "Notify the attendees one day in advance.")
PARTY_COMMITTEE_PASS = passing_rule("A-PARTY-06", Citation(S001, "一(一)6(8)"),
                                    Threshold(HALF, Base.MEMBERS_TOTAL, True),
                                    "决议必须由应到会半数以上的委员赞同。",
                                    "A resolution needs more than half of the members entitled to attend.")
CONGRESS_QUORUM = quorum_rule("A-COM-32", Citation(S001, "二(二)"), Threshold(HALF, Base.MEMBERS_TOTAL, True),
                              "必须有社区成员代表过半数出席才能召开。决定问题，由出席人过半数通过。",
                              "More than half of the representatives present; decisions by more than half of them.")
CONGRESS_PASS = passing_rule("A-COM-32", Citation(S001, "二(二)"), Threshold(HALF, Base.PRESENT, True),
                             "决定问题，由出席人过半数通过。", "Decisions need more than half of those present.",
                             variant="passing")
# R-WF-08: the seeds give no numbers for these meetings; a district must set them (E-20).
RESIDENTS_QUORUM = quorum_rule("R-WF-08", Citation("000-A", "第十一条(三)1"), Threshold(None, Base.EXPECTED, True),
                               "由社区党组织和居委会提交居民代表会议或居民会议决议（到会与表决标准由区设定）。",
                               "Resident representatives or residents resolve; the district sets quorum and majority.")
RESIDENTS_PASS = passing_rule("R-WF-08", Citation("000-A", "第十一条(三)1"), Threshold(None, Base.PRESENT, True),
                              "居民代表会议或居民会议的表决通过标准由区设定。",
                              "The district sets the passing threshold of residents' meetings.", variant="passing")

# Democratic life meeting ------------------------------------------------------------------------------

DLM_THEME = duty_rule("R-MTG-15", Citation(S002B, "三2"), "民主生活会之前要和上级党组织沟通，确定好主题。",
                      "The theme is agreed with the superior party organisation before notice.",
                      code="theme_not_agreed", message_zh="民主生活会主题尚未经上级党组织同意",
                      message_en="The theme has not been agreed with the superior organisation")
DLM_REPORT_AHEAD = notice_rule("A-PARTY-10", Citation(S001, "一(二)1,3"), 5,
                               "民主生活会时间和议题提前五日以书面形式向上级党组织报告。",
                               "Report time and agenda to the superior organisation in writing 5 days before.",
                               code="superior_report_too_late")
DLM_RECORD = duty_rule("R-MTG-18", Citation(S002B, "三6"), "做好记录，会后要将记录报送上级党组织。",
                       "Minutes are kept and sent to the superior organisation.", code="record_missing",
                       message_zh="会议记录尚未签发，不能结束会议",
                       message_en="The meeting record is not signed off; the meeting cannot be closed")
MEETING_RECORD = duty_rule("A-MEET-05", Citation("003《街道办事处工作制度》第1篇", "三5"), "要做好会议记录。",
                           "Every meeting keeps minutes.", code="record_missing",
                           message_zh="会议记录尚未签发，不能结束会议",
                           message_en="The meeting record is not signed off; the meeting cannot be closed")

# Cadences (R-MTG table) -------------------------------------------------------------------------------

CADENCES = {
    "party_org_committee_meeting": cadence_rule("R-MTG-01", Citation(S002B, "二1"), 1, "month",
                                                "支委会每月召开一次。", "Branch committee: monthly."),
    "party_members_assembly": cadence_rule("R-MTG-02", Citation(S002B, "二2"), 1, "quarter",
                                           "党员大会每季度召开一次。", "Members' assembly: quarterly."),
    "party_group_meeting": cadence_rule("R-MTG-03", Citation(S002B, "二3"), 1, "month",
                                        "党小组会每月召开一次。", "Party group meeting: monthly."),
    "party_lecture": cadence_rule("R-MTG-04", Citation(S002B, "二4"), 1, "quarter",
                                  "上党课每季度进行一次。", "Party lecture: quarterly."),
    "organizational_life_meeting": cadence_rule("R-MTG-05", Citation(S000I, "二(二)2"), 1, "half_year",
                                                "组织生活会一般每半年召开一次。",
                                                "Organisational life meeting: half-yearly."),
    "community_work_joint_meeting": cadence_rule("R-MTG-06", Citation(S000I, "二(二)3"), 1, "quarter",
                                                 "社区工作联席会每季度召开一次。",
                                                 "Community work joint meeting: quarterly."),
    "two_committees_joint_meeting": cadence_rule("R-MTG-07", Citation(S002B, "十2"), 1, "month",
                                                 "每月至少召开一次两委联席会议。",
                                                 "Two-committee joint meeting: monthly."),
    # C-01: 002-B says half-yearly, 004 yearly; the default follows the spec's recommendation.
    "democratic_life_meeting": cadence_rule("R-MTG-08", Citation(S002B, "三1"), 1, "half_year",
                                            "社区支部委员会每半年召开一次民主生活会。",
                                            "Community democratic life meeting: half-yearly (C-01; 004: yearly)."),
    "pwc_democratic_life_meeting": cadence_rule("R-MTG-09", Citation(S000F, "二(三)"), 2, "year",
                                                "街道党工委每年至少召开2次领导班子民主生活会。",
                                                "PWC democratic life meeting: at least twice a year (C-02)."),
    "pwc_meeting": cadence_rule("R-MTG-10", Citation(S000G, "三(一)1"), 1, "month",
                                "党工委会议一般每月召开一次。", "PWC meeting: monthly."),
    "central_group_study_session": cadence_rule("R-MTG-11", Citation(S000F, "二(四)"), 1, "month",
                                                "集中学习会每月不少于一次。", "Central group study: monthly."),
    "evaluation_meeting": EVAL_CADENCE,
}
