"""Accountability (rules-core §2.13 R-ACC, R-ORG-12; enumerations E-12, E-13): what a case may decide for which
severity and subject, who may decide it, and how the compliance score is defined.

The software never decides guilt or severity: the scan finds breaches, a person classifies and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .base import Citation, Rule
from .shapes import duty_rule

S000E = "000-E《基层民主科学决策机制责任追究办法》"

LIGHT, SERIOUS, SEVERE, CRIMINAL = "light", "serious", "severe", "criminal"
SEVERITIES = {LIGHT: ("情节较轻，没有造成较大影响的", "minor, without wider effect"),
              SERIOUS: ("情节较重，造成一定影响的", "fairly serious, with some effect"),
              SEVERE: ("情节严重，造成不良后果的", "serious, with bad consequences"),
              CRIMINAL: ("涉嫌犯罪", "suspected crime")}
# The subjects E-12 tells apart.
SUBJECTS = {
    "street_leaders": ("街道办事处党政主要领导", "street office party and government principal leaders"),
    "community_team": ("社区“两委”班子", "community two-committee team"),
    "agency_staff": ("机关工作人员（非党员）", "agency staff, not party members"),
    "agency_staff_party": ("机关工作人员（党员）", "agency staff, party members"),
    "community_cadre": ("社区干部（非党员）", "community cadres, not party members"),
    "community_cadre_party": ("社区干部（党员）", "community cadres, party members"),
}
MEASURES = {
    "written_self_criticism": ("责令写出检查", "organizational_handling"),
    "circulated_criticism": ("通报批评", "organizational_handling"),
    "rectify_within_deadline": ("限期整改", "organizational_handling"),
    "admonishment_talk": ("诫勉谈话", "organizational_handling"),
    "efficiency_warning": ("效能告诫", "organizational_handling"),
    "concentrated_rectification": ("集中整顿", "organizational_handling"),
    "refer_to_residents": ("提请居民代表或居民大会讨论确定处理", "organizational_handling"),
    "administrative_sanction": ("政纪处分", "disciplinary_sanction"),
    "party_discipline": ("党纪处分", "disciplinary_sanction"),
    "refer_to_judicial": ("按有关法律程序依法处理", "referral"),
}
LIGHT_MEASURES = ("written_self_criticism", "circulated_criticism", "rectify_within_deadline")
# E-12 as data: severity → subject → the measures allowed. Light measures apply to both levels and every subject.
MEASURE_TABLE = {
    LIGHT: {subject: LIGHT_MEASURES for subject in SUBJECTS},
    SERIOUS: {"street_leaders": ("admonishment_talk", "efficiency_warning"),
              "community_team": ("concentrated_rectification",)},
    SEVERE: {"agency_staff": ("administrative_sanction",), "agency_staff_party": ("party_discipline",),
             "community_cadre": ("refer_to_residents",), "community_cadre_party": ("party_discipline",)},
    CRIMINAL: {subject: ("refer_to_judicial",) for subject in SUBJECTS},
}


@dataclass(frozen=True)
class MeasureParams:
    table: dict = field(default_factory=lambda: MEASURE_TABLE)


MEASURE_ALLOWED = Rule(
    id="R-ACC-09", citation=Citation(S000E, "第七条"),
    summary_zh="情节较轻的责令写出检查、通报批评、限期整改；情节较重的对街道党政主要领导诫勉谈话或效能告诫，"
               "对社区“两委”班子集中整顿；情节严重的给予政纪、党纪处分或提请居民代表会议讨论处理；涉嫌犯罪的依法处理。",
    summary_en="The measures a case may take depend on the severity and the subject (E-12); a suspected crime is "
               "referred only.", params=MeasureParams())


@MEASURE_ALLOWED.decides
def measure_allowed(p: MeasureParams, *, severity: str, subject: str, measure: str) -> str:
    allowed = p.table.get(severity, {}).get(subject, ())
    if measure in allowed:
        return MEASURES[measure][1]
    label = SEVERITIES.get(severity, (severity,))[0]
    who = SUBJECTS.get(subject, (subject,))[0]
    raise MEASURE_ALLOWED.violation(
        "measure_not_allowed_for_severity",
        f"「{label}」且对象为「{who}」时，不能采取「{MEASURES.get(measure, (measure,))[0]}」",
        f"{measure} is not a measure for severity {severity} and subject {subject}",
        {"severity": severity, "subject": subject, "measure": measure, "allowed": list(allowed)})


DECIDERS = duty_rule(
    "R-ACC-12", Citation(S000E, "第十条"), "责任追究的具体实施由区纪委监察局、区委组织部负责。",
    "Only the district discipline commission and organisation department classify severity and decide measures; "
    "the street working committee opens and prepares cases.", code="not_a_deciding_body",
    message_zh="只有区纪委监察局、区委组织部的人员可以认定情节并决定处理措施",
    message_en="Only the district discipline commission or organisation department decides severity and measures")
PUBLIC_EXPOSURE = duty_rule(
    "R-ACC-10", Citation(S000E, "第八条"), "对进行责任追究的人和事在全区公开曝光。",
    "Closed cases are made public across the district (name and post only).", code="case_not_closed",
    message_zh="只有已办结的案件可以公开", message_en="Only a closed case is made public", action="publish")
RESPONSIBILITY_CHAIN = duty_rule(
    "R-ORG-12", Citation(S000E, "第八条"),
    "街道办事处党工委书记为第一责任人、社区党组织书记为具体责任人；分管领导为直接责任人。",
    "The PWC secretary is first responsible, the community party secretary specifically responsible, the "
    "supervising leader directly responsible; each finding records them as of the day of the breach.",
    code="responsibility_unresolved", message_zh="未能确定责任人", message_en="The responsible persons are unknown",
    action="record")


@dataclass(frozen=True)
class ScoreParams:
    # NOT IN SOURCE (R-PDISC-04, R-ACC-11 name the assessment, not a formula): the share of obligations that fell
    # due in the period and were met on time, over every family the scan counts.
    on_time_counts: Fraction = Fraction(1)
    late_counts: Fraction = Fraction(0)


SCORE = Rule(
    id="R-ACC-11", citation=Citation(S000E, "第九条"),
    summary_zh="区委组织部每半年考核一次。合规得分＝按时完成的到期义务数÷到期义务总数（逾期后完成的按参数折算，默认不计）。",
    summary_en="Half-yearly assessment. Compliance score = obligations met on time ÷ obligations due in the period "
               "(a late one counts at the `late_counts` weight, 0 by default).", params=ScoreParams(), action="remind")


@SCORE.decides
def score(p: ScoreParams, *, due: int, on_time: int, late: int) -> Fraction | None:
    """None when nothing fell due: no score rather than a perfect one."""
    if due <= 0:
        return None
    return (on_time * p.on_time_counts + late * p.late_counts) / due


@dataclass(frozen=True)
class LagParams:
    days: int = 0  # 0: not judged — no seed gives a lag (only ARCHITECTURE §4 asks for one); a district sets it


LATE_ENTRY = Rule(
    id="JC-SYS-01", citation=Citation("Jiceng《系统设计》", "§4（发生时间与记录时间）"),
    summary_zh="允许补录，但补录须可见；记录时间晚于发生时间超过本区设定天数的，列为违规发现（未设定时不判断）。",
    summary_en="Late entry is allowed and visible; an entry recorded more than the district's set number of days after "
               "it happened is a finding (not judged until the district sets the days).",
    params=LagParams(), action="flag")


@LATE_ENTRY.decides
def late_entry(p: LagParams, *, lag_days: int) -> bool:
    return p.days > 0 and lag_days > p.days


SUPERVISION_INACTIVE = duty_rule(
    "R-ACC-07", Citation(S000E, "第六条4"),
    "居务监督委员会在执行“一征三议两公开”工作法中不履行监督责任的，追究责任。",
    "The supervision committee that does not supervise the method is held accountable: a matter that closes with no "
    "supervision record is a finding against it.", code="no_supervision_record",
    message_zh="事项实施过程中没有任何监督记录", message_en="The matter's implementation has no supervision record",
    action="flag")



# The grounds of a case (000-E 第四–六条): the scan finds them, a person opens the case on them.

@dataclass(frozen=True)
class GroundParams:
    grounds: tuple[str, ...]


def _grounds_rule(id: str, article: str, grounds: tuple[str, ...], summary_zh: str, summary_en: str) -> Rule:
    rule = Rule(id=id, citation=Citation(S000E, article), summary_zh=summary_zh, summary_en=summary_en,
                params=GroundParams(grounds), action="record")

    @rule.decides
    def ground_known(p: GroundParams, *, ground: str) -> str:
        if ground in p.grounds:
            return ground
        raise rule.violation("invalid_ground", f"追究情形「{ground}」不在本条规定之内",
                             f"Ground {ground!r} is not one of this article's", {"allowed": list(p.grounds)})

    return rule


PRINCIPLES = _grounds_rule(
    "R-ACC-01", "第二条、第三条", ("organizational_handling", "disciplinary_sanction"),
    "实事求是、有错必纠、惩处与教育相结合；组织处理和纪律处分可以单独适用，也可以合并适用。",
    "Measures are organisational handling and/or disciplinary sanction, separately or together (E-13).")
COMMUNITY_BREACH = _grounds_rule(
    "R-ACC-02", "第四条", ("community_1", "community_2", "community_3", "community_4", "community_5"),
    "城市社区不履行“一征三议两公开”工作法程序，贻误工作或有损群众权益的行为，应追究责任。",
    "A community's failure to follow the method, delaying work or harming residents' interests, is pursued.")
STREET_BREACH = _grounds_rule(
    "R-ACC-03", "第五条", ("street_1", "street_2", "street_3", "street_4"),
    "街道办事处：工作敷衍应付；决策程序不规范造成上访；问题不及时研究解决；纪工委监督不到位。",
    "Street office grounds: neglect; irregular procedure causing petitions; problems left unsolved; inadequate "
    "supervision by the discipline working committee.")
INDIVIDUAL_DECISION = _grounds_rule(
    "R-ACC-04", "第六条1", ("community_1",), "未通过集体研究、会议决定，个人擅自决策（扫描：R-WF-01）。",
    "Deciding alone without collective study (scan: R-WF-01 outside the method).")
DISCLOSURE_FAILURE = _grounds_rule(
    "R-ACC-05", "第六条2", ("community_2",),
    "应公开而未公开、公开不及时或弄虚作假（扫描：逾期公开、逾期公布结果、决议逾期未公开）。",
    "Not publishing, publishing late or falsely (scan: overdue disclosures, results, resolutions).")
RESOLUTION_CHANGED = _grounds_rule(
    "R-ACC-06", "第六条3", ("community_3",), "随意变更已形成的决议（扫描：被拒绝的变更尝试，R-WF-13）。",
    "Arbitrarily changing a resolution (scan: refused attempts, R-WF-13).")
OTHER_BREACH = _grounds_rule(
    "R-ACC-08", "第六条5", ("community_5",), "其他违反民主科学决策机制规定的行为。",
    "Other breaches of the mechanism (opened by hand).")


@dataclass(frozen=True)
class ReportParams:
    months: tuple[int, ...] = (1, 7)  # the half-years end in June and December (rules-core §0.3)


HALF_YEAR_REPORT = Rule(
    id="R-ACC-11", citation=Citation(S000E, "第九条"),
    summary_zh="区委组织部每半年对民主科学决策机制考核一次：半年度结束后提醒考核并给出各街道、社区的合规报告。",
    summary_en="The organisation department assesses the mechanism every half year: when a half-year ends, the "
               "district is reminded and given each street's and community's compliance report.",
    params=ReportParams(), action="remind", variant="report")


@HALF_YEAR_REPORT.decides
def report_due(p: ReportParams, *, month: int) -> bool:
    return month in p.months
