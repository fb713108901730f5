"""Organisational life of the community party organisation (rules-core §2.17 R-DEMEV, §2.18 R-COMMIT, §2.19 R-EDU,
§2.9 R-MTG-13/14; rules-admin A-PARTY-38): democratic evaluation of members, service commitments 「一定二审三公开」
and e-education screenings. The numbers and lists live here, never in jiceng/orglife.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from .base import Citation, Rule
from .shapes import (
    HALF,
    S002B,
    cadence_rule,
    category_rule,
    duty_rule,
    passing_rule,
    sequence_rule,
    span_rule,
)
from .thresholds import Base, Threshold

S003_5 = "003 第5篇《机关党建工作制度》"

# Democratic evaluation of members (R-DEMEV) -------------------------------------------------------------

# E-10: the seeds do not enumerate the grades (C-14); seed 003 (A-PARTY-38) names three: 优秀、合格、不合格.
GRADE_LABELS = {"excellent": ("优秀党员", "excellent"), "qualified": ("合格党员", "qualified"),
                "basically_qualified": ("基本合格党员", "basically qualified"),
                "unqualified": ("不合格党员", "unqualified")}
EXCELLENT, UNQUALIFIED = "excellent", "unqualified"
# E-11 measures for unqualified members (002-B 八5).
MEASURE_LABELS = {"education_assistance": ("教育帮助", "education and assistance"),
                  "correct_within_deadline": ("限期改正", "correction within a deadline"),
                  "persuade_to_withdraw": ("劝其退党", "persuasion to withdraw"),
                  "removal_from_party": ("党内除名", "removal from the party")}
# 002-B 八2: the four modes recorded per member.
MODE_LABELS = {"self": ("自评", "self"), "peer": ("互评", "peer"), "residents": ("群众评议", "residents"),
               "organisation": ("组织评议", "organisation")}

DEMEV_CADENCE = cadence_rule(
    "R-DEMEV-01", Citation(S002B, "八1"), 1, "year",
    "社区党支部对党员每年组织一次民主评议，上级党组织派员参加。",
    "The branch evaluates its members once a year; the superior organisation sends an envoy.")
DEMEV_ENVOY = duty_rule(
    "R-DEMEV-01", Citation(S002B, "八1"), "上级党组织派员参加民主评议，提交结果前须登记上级派员。",
    "The superior's envoy is recorded before the results are submitted.",
    code="superior_envoy_missing", message_zh="尚未登记上级党组织派员",
    message_en="The superior organisation's envoy has not been recorded", variant="envoy")
DEMEV_MODES = category_rule(
    "R-DEMEV-02", Citation(S002B, "八2"), tuple(MODE_LABELS),
    "实行党员自评、互评、群众评议和组织评议相结合。",
    "Self, peer, residents' and organisation evaluation are combined.", code="unknown_evaluation_mode",
    action="record")


@dataclass(frozen=True)
class ParticipationParams:
    threshold: Threshold


DEMEV_PARTICIPATION = Rule(
    id="R-DEMEV-03", citation=Citation(S002B, "八3"),
    summary_zh="督促外出党员按时返回参加民评，确保党员参评率达95%以上。",
    summary_en="Members are urged to return so that at least 95% take part (base: members of the branch on the "
               "evaluation date, outgoing members included).",
    params=ParticipationParams(Threshold(Fraction(95, 100), Base.MEMBERS_TOTAL, False)), action="warn")


@DEMEV_PARTICIPATION.decides
def participation(p: ParticipationParams, *, participants: int, base: int):
    """WARN: None when the rate reaches the minimum ("95%以上" includes 95%), else the refusal to store and show
    (`20 × participants ≥ 19 × base`: 19 of 20, 38 of 40, 39 of 41)."""
    t = p.threshold
    zh, en = t.describe(participants, base, "人参评", "took part")
    if t.met(participants, base):
        return None
    return DEMEV_PARTICIPATION.violation(
        "participation_below_minimum", f"参评率不足：{zh}，至少需{t.minimum(base) if base else 0}人",
        f"Participation too low: {en}; at least {t.minimum(base) if base else 0} needed",
        {"participants": participants, "base": base, "minimum": t.minimum(base) if base else 0,
         "share": str(t.share)})


DEMEV_SELF_ASSESSMENT = duty_rule(
    "R-DEMEV-04", Citation(S002B, "八4"), "每个党员都要写出自评材料；没有自评材料不能定格次。",
    "Every member writes a self-assessment; no grade without one.",
    code="self_assessment_missing", message_zh="该党员没有自评材料，不能确定格次",
    message_en="The member has no written self-assessment; no grade can be set")


@dataclass(frozen=True)
class GradeParams:
    grades: tuple[str, ...]   # E-10, must contain "excellent" and "unqualified" (C-14)


DEMEV_GRADES = Rule(
    id="A-PARTY-38", citation=Citation(S003_5, "七1–3"),
    summary_zh="按照优秀、合格、不合格三个等次评定党员，经上级党组织审批后方为最终结果。",
    summary_en="Members are graded excellent, qualified or unqualified; grades are final once the superior "
               "organisation approves them.",
    params=GradeParams(("excellent", "qualified", "unqualified")))


@DEMEV_GRADES.decides
def grade_allowed(p: GradeParams, *, grade: str) -> str:
    if grade in p.grades:
        return grade
    raise DEMEV_GRADES.violation("unknown_grade", f"格次「{grade}」不在本区规定的等次之中",
                                 f"Grade {grade!r} is not one of the district's grades",
                                 {"grade": grade, "allowed": list(p.grades)})


DEMEV_APPROVAL = duty_rule(
    "R-DEMEV-05", Citation(S002B, "八4"), "定出党员的格次，然后报上级党组织（街道党工委）审定；审定前为建议格次。",
    "Grades are proposed by the branch and approved by the superior (the street working committee); until then "
    "they are provisional.",
    code="grade_not_approved", message_zh="尚有党员的格次未经上级党组织审定",
    message_en="Some grades have not been approved by the superior organisation")
DEMEV_APPROVER = duty_rule(
    "R-DEMEV-05", Citation(S002B, "八4"), "审定格次的是上级党组织（街道党工委）成员。",
    "Only members of the superior organisation (the street working committee) approve grades.",
    code="not_superior_org", message_zh="只有街道党工委成员可以审定党员格次",
    message_en="Only members of the street party working committee approve grades", variant="approver")
DEMEV_MEASURE = duty_rule(
    "R-DEMEV-06", Citation(S002B, "八5"),
    "对优秀党员每年表彰一次；对不合格党员分别采取教育帮助、限期改正、劝其退党、党内除名等方式处置；"
    "评议结束前每名不合格党员须有处置决定。",
    "Excellent members are commended yearly; each unqualified member is handled by one of four measures, "
    "recorded as a decision before the evaluation closes.",
    code="unqualified_measure_missing", message_zh="尚有不合格党员没有处置决定",
    message_en="An unqualified member has no recorded measure")
DEMEV_SUMMARY = duty_rule(
    "R-DEMEV-07", Citation(S002B, "八6"),
    "民主评议结束时，党支部要搞好工作小结，提出整改措施，并报上级党组织汇总归档。",
    "The evaluation closes with a summary and a rectification plan submitted to the superior.",
    code="summary_missing", message_zh="评议结束前须提交工作小结和整改措施",
    message_en="A summary and a rectification plan are required to close the evaluation")

# Service commitments (R-COMMIT) ------------------------------------------------------------------------

# E-14: committer types and the areas each commits in (002-B 十四).
COMMITTER_AREAS = {
    "branch": ("five_goods",),
    "double_lead_member": ("teach_skills", "lead_enterprise", "poverty_relief", "service"),
    "member_without_post": ("ideological_education", "cultural_publicity", "sanitation", "public_order",
                            "civil_mediation"),
    "mobile_member": ("wealth_information", "labour_export", "hometown_support"),
}
COMMITTER_LABELS = {"branch": ("社区党支部", "branch"), "double_lead_member": ("“双带”党员", "double-lead member"),
                    "member_without_post": ("无职党员", "member without post"),
                    "mobile_member": ("流动党员", "mobile member")}
AREA_LABELS = {
    "five_goods": "创建“五个好”", "teach_skills": "传授技术", "lead_enterprise": "领办和创办经济实体",
    "poverty_relief": "扶贫帮困", "service": "服务", "ideological_education": "思想教育",
    "cultural_publicity": "文化宣传", "sanitation": "卫生保洁", "public_order": "社会治安",
    "civil_mediation": "民事调解", "wealth_information": "提供致富信息", "labour_export": "组织劳务输出",
    "hometown_support": "支援家乡建设",
}
CHANNEL_LABELS = {"assembly": ("大会公开", "at the assembly"), "written": ("书面公开", "in writing"),
                  "posting": ("公示公开", "by public posting")}
# E-06, never mapped onto E-07 (C-12).
APPRAISAL_GRADES = {"satisfied": ("满意", "satisfied"), "fairly_satisfied": ("较满意", "fairly satisfied"),
                    "average": ("一般", "average"), "dissatisfied": ("不满意", "dissatisfied")}


@dataclass(frozen=True)
class AreasParams:
    areas: dict


COMMIT_AREA = Rule(
    id="R-COMMIT-02", citation=Citation(S002B, "十四"),
    summary_zh="承诺内容按承诺主体确定：党支部以创建“五个好”为目标；“双带”党员、无职党员、流动党员各在规定方面承诺。",
    summary_en="What is committed depends on who commits (E-14).", params=AreasParams(COMMITTER_AREAS))


@COMMIT_AREA.decides
def area_fits(p: AreasParams, *, committer_type: str, content_area: str) -> str:
    area = content_area
    allowed = p.areas.get(committer_type)
    if allowed is None:
        raise COMMIT_AREA.violation("unknown_committer_type", f"承诺主体「{committer_type}」不在规定之中",
                                    f"Unknown committer type {committer_type!r}", {"committer_type": committer_type})
    if area not in allowed:
        raise COMMIT_AREA.violation(
            "area_not_allowed", f"承诺方面「{AREA_LABELS.get(area, area)}」不属于该承诺主体的承诺范围",
            f"Area {area!r} is outside what a {committer_type} commits to",
            {"committer_type": committer_type, "area": area, "allowed": list(allowed)})
    return area


COMMIT_PUBLIC_REVIEW = duty_rule(
    "R-COMMIT-04", Citation(S002B, "十四"), "承诺拟定后，在本社区范围内进行公示，接受审查；公示后方可组织审查。",
    "The draft is posted in the community for public review before the organisational review.",
    code="public_review_missing", message_zh="承诺尚未在社区范围内公示接受审查，不能进行组织审查",
    message_en="The commitment has not been posted for public review")
COMMIT_REVIEWER = duty_rule(
    "R-COMMIT-05", Citation(S002B, "十四"), "党支部的承诺由上级党组织审查，党员个人承诺交党支部审查。",
    "The branch's commitment is reviewed by the superior; a member's by the branch committee.",
    code="wrong_reviewer", message_zh="审查人不是该承诺的审查组织成员",
    message_en="The reviewer does not belong to the organisation that reviews this commitment", variant="reviewer")
COMMIT_APPROVAL = passing_rule(
    "R-COMMIT-05", Citation(S002B, "十四"), Threshold(HALF, Base.PRESENT, False),
    "经党员大会参会人员半数以上同意，确定承诺（半数以上含半数，C-16）。",
    "Confirmed when at least half of those present at the members' assembly agree (inclusive, C-16).")
COMMIT_THREE_CHANNELS = duty_rule(
    "R-COMMIT-06", Citation(S002B, "十四"), "“三公开”即大会公开、书面公开、公示公开。",
    "Confirmed commitments are disclosed at the assembly, in writing and by public posting.",
    code="publication_incomplete", message_zh="三种公开方式尚未全部完成",
    message_en="Not all three channels of publication are recorded")
COMMIT_REVIEW_CADENCE = cadence_rule(
    "R-COMMIT-07", Citation(S002B, "十四"), 1, "half_year",
    "原则上一季一公示，半年一点评，年终一考核（季度公示由党务公开栏跟踪）。",
    "Progress is posted quarterly (tracked by the party-affairs board), reviewed every half year, appraised "
    "yearly.")
APPRAISAL_STEPS = ("self", "mutual", "assembly")
COMMIT_APPRAISAL = sequence_rule(
    "R-COMMIT-08", Citation(S002B, "十四"), APPRAISAL_STEPS,
    "年度考评按照自评、互评、支部大会讨论通过的程序进行，分满意、较满意、一般、不满意四个档次，结果应予公开。",
    "Yearly: self-assessment, mutual assessment, adoption by the branch assembly; four grades; results published.",
    code="appraisal_out_of_order")
COMMIT_PER_YEAR = span_rule(
    "R-COMMIT-09", Citation(S002B, "五2"), 1, 2,
    "有条件的党员每年要承诺为群众办一两件实事。", "A capable member commits to one or two practical things a year.",
    code="commitments_per_year", what_zh="本年度承诺", what_en="commitments this year")

# E-education screenings (R-EDU, R-MTG-14) ---------------------------------------------------------------

EDU_PROJECTIONISTS = span_rule(
    "R-EDU-01", Citation(S002B, "九1"), 1, 2, "配1-2名责任心强的专兼职播放员。",
    "One or two projectionists.", code="projectionists_out_of_range", what_zh="播放员", what_en="projectionists")
EDU_MONTHLY = cadence_rule(
    "R-EDU-02", Citation(S002B, "九3"), 1, "month", "保证做到党员每月能看到一次电教片；每次播放都要做好记录。",
    "At least one logged screening a month (= R-MTG-14).")
EDU_CHAIR = duty_rule(
    "R-EDU-02", Citation(S002B, "九2"), "播放收看由支部成员主持。", "A branch committee member chairs each screening.",
    code="chair_not_committee_member", message_zh="主持人不是支部委员会成员",
    message_en="The chair is not a member of the branch committee", variant="chair")
EDU_CATALOGUE = duty_rule(
    "R-EDU-03", Citation(S002B, "九5"), "不准播放与党员教育无关的录像片：只能播放经审定目录中的电教片。",
    "Only items of the approved catalogue may be screened.",
    code="content_not_approved", message_zh="该片不在审定的电教片目录中",
    message_en="The film is not in the approved catalogue")


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
