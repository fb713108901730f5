"""Disclosure rules (rules-core §2.10 R-PDISC, §2.11 R-RDISC; rules-admin §2.5.1 A-OPEN; enumerations E-01–E-03).

The two boards' categories, their timing classes and periodic duties, the order of the workflow steps,
the reply deadline for feedback and the "overwhelming majority" objection rule. The numbers live here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .base import Citation, Rule
from .shapes import deadline_rule, duty_rule
from .thresholds import Base, Threshold

S000B = "000-B《社区党务公开制度》"
S000C = "000-C《社区居务公开制度》"
S001 = "001《社区工作制度》附件三"
S002B = "002-B《党支部工作制度》"
S003 = "003 第6篇《党务政务公开制度》"

PARTY, RESIDENTS = "party", "residents"

# E-01, exact labels (000-B 一 1–12).
PARTY_CATEGORIES = {
    "P01": "执行中央方针政策、上级党组织决议、决定和工作部署等情况",
    "P02": "党组织开展思想政治工作、理论学习计划及落实等情况",
    "P03": "社区党组织机构变动情况；社区党组织及党员隶属关系变动情况；党员教育培训情况",
    "P04": "党建工作检查情况；党建工作目标及考核考评情况；对党员的考核考评情况",
    "P05": "入党积极分子培养、发展情况；发展对象培养情况；预备党员发展、培养、转正情况",
    "P06": "社区党组织和党员评先评优情况；社区党组织和党员受到表彰、奖励通报情况",
    "P07": "党组织的设置、主要职责、机构调整、换届选举、民主评议、创先争优，党费收缴，党务工作经费管理和使用，"
           "党员权利保障等情况",
    "P08": "社区党组织和党员见义勇为、扶贫济困、捐赠款物、参加义务劳动情况",
    "P09": "社区党组织和党员受到投诉举报情况；社区党组织和党员受到处分或处理情况",
    "P10": "居民关心的热点、难点问题的处理情况和居民意见建议落实情况",
    "P11": "上级党组织和本级党组织认为需要公开的内容",
    "P12": "其他需要公开的内容",
}
# E-02, exact labels (000-C 一 1–8).
RESIDENTS_CATEGORIES = {
    "R01": "社区居民会议或居民代表会议讨论决定事项的实施情况",
    "R02": "社区各项收支情况",
    "R03": "上级下拨款物和社会各界捐款物资及使用发放情况",
    "R04": "居民低保金申请报批和发放情况",
    "R05": "社区计划生育政策执行情况",
    "R06": "社区落实完成上级部署的有关工作任务情况",
    "R07": "有关涉及居民日常生活的政策法规公开情况",
    "R08": "涉及本社区居民利益，居民普遍关心的其他事项",
}
CATEGORIES = {PARTY: PARTY_CATEGORIES, RESIDENTS: RESIDENTS_CATEGORIES}

# E-03 (000-B 二 = 000-C 二).
TIMING_CLASSES = {
    "fixed_permanent": ("固定内容长期公开", "Fixed content, displayed permanently"),
    "routine_periodic": ("常规工作定期公开", "Routine work, published periodically"),
    "phased_by_stage": ("阶段性工作逐段公开", "Phased work, published stage by stage"),
    "temporary_anytime": ("临时工作随时公开", "Temporary work, published at any time"),
    "hot_issue_prompt": ("热点问题及时公开", "Hot issues, published promptly"),
    "key_matter_timely": ("重点事项适时公开", "Key matters, published at the right time"),
}
PERMANENT = "fixed_permanent"

# Structured tables a category calls for (issue #4 point 3): money in and out (R02), distributions to named
# recipients whose names the public pages mask (R03, R04, P08), and dues collected by month (P07).
TABLE_KINDS = {"R02": ("finance",), "R03": ("distribution",), "R04": ("distribution",),
               "P07": ("dues", "finance"), "P08": ("distribution",)}


# Catalogue ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryParams:
    board: str


def _category_rule(id: str, citation: Citation, board: str, summary_zh: str, summary_en: str) -> Rule:
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=CategoryParams(board))

    @rule.decides
    def category(p: CategoryParams, *, category: str) -> str:
        """The label of `category` on this board; anything else is refused."""
        labels = CATEGORIES[p.board]
        if category in labels:
            return labels[category]
        raise rule.violation("invalid_category", f"公开类别「{category}」不在本公开栏的类别目录中",
                             f"Category {category!r} is not one of this board's categories",
                             {"category": category, "allowed": sorted(labels)})

    return rule


PARTY_CATEGORY = _category_rule("R-PDISC-01", Citation(S000B, "一 1–12"), PARTY,
                                "党务公开内容为规定的12类，每项公开内容属于其中一类。",
                                "Party-affairs disclosure covers the 12 categories of E-01; each item has one.")
RESIDENTS_CATEGORY = _category_rule("R-RDISC-01", Citation(S000C, "一 1–8"), RESIDENTS,
                                    "居务公开内容为规定的8类，每项公开内容属于其中一类。",
                                    "Residents'-affairs disclosure covers the 8 categories of E-02; each item has one.")


# Timing and periodic duties -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TimingParams:
    # {category: {"period": "month"|"quarter"|"half_year"|"year", "grace": whole periods after the period
    # ends before it is late, "rule": the rule that fixes the period}}. Categories without a fixed period
    # are published when the work happens (the seeds give no number for 随时 / 及时 / 适时).
    duties: dict = field(default_factory=dict)
    remind_days: int = 5  # NOT IN SOURCE: how many days before a due date the reminder goes out
    # The day the district started keeping its boards here; earlier periods were kept on paper and are not
    # judged. The default judges every period from the day each community opened.
    since: datetime.date = datetime.date.min


def _timing_rule(id: str, citation: Citation, duties: dict, summary_zh: str, summary_en: str) -> Rule:
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=TimingParams(duties), action="remind")

    @rule.decides
    def timing(p: TimingParams) -> TimingParams:
        return p

    return rule


PARTY_TIMING = _timing_rule(
    "R-PDISC-02", Citation(S000B, "二"),
    {"P07": {"period": "month", "grace": 1, "rule": "R-DUES-04"},
     "P04": {"period": "quarter", "grace": 0, "rule": "R-COMMIT-07"}},
    "原则上固定内容长期公开；常规工作定期公开；阶段性工作逐段公开；临时工作随时公开；热点问题及时公开；"
    "重点事项适时公开。党费收缴按月公布（次月底前），党员承诺践诺情况一季一公示。",
    "Timing follows the content (E-03). Dues are published monthly (by the end of the next month, R-DUES-04) "
    "and commitment progress quarterly (R-COMMIT-07).")
RESIDENTS_TIMING = _timing_rule(
    "A-OPEN-06", Citation(S001, "四(二)"),
    {"R06": {"period": "month", "grace": 0, "rule": "A-OPEN-06"},
     "R02": {"period": "half_year", "grace": 0, "rule": "A-OPEN-06"}},
    "政务、事务一般每月公开一次，财务情况每半年公开一次，群众普遍关心的问题随时公开。",
    "Government and community affairs are published monthly; finances every half year; issues of "
    "concentrated concern at any time.")
RESIDENTS_TIMING_CLASSES = duty_rule(
    "R-RDISC-02", Citation(S000C, "二"),
    "居务公开的时间与内容相适应（六类公开时间）；设立居务公开检举、意见箱；规范、及时公开纳入年度考核。",
    "Residents'-affairs timing follows the six classes of E-03; a feedback box; timeliness counts in the "
    "annual assessment.",
    code="invalid_timing_class", message_zh="公开时间类别不在规定的六类之中",
    message_en="The timing class is not one of the six of E-03", action="record")
PERMANENT_ITEM = duty_rule(
    "R-PDISC-02", Citation(S000B, "二"), "固定内容长期公开，不设撤下日期。",
    "Fixed content is displayed permanently and has no withdrawal date.",
    code="permanent_item_no_withdrawal", message_zh="固定内容长期公开，不能设定撤下日期或撤下",
    message_en="Fixed content is displayed permanently; it cannot be given a withdrawal date or be withdrawn",
    variant="permanent")


# Workflow -----------------------------------------------------------------------------------------------

COLLECTOR = duty_rule(
    "R-PDISC-05", Citation(S000B, "三1"), "社区党组织指定专人负责收集，提出拟公开事项。",
    "A person designated by the party organisation collects and proposes the items.",
    code="not_designated_collector", message_zh="只有社区党组织指定的党务公开专人可以提出拟公开事项",
    message_en="Only the person the party organisation designated for disclosure may propose items")
PARTY_DECIDED = duty_rule(
    "R-PDISC-06", Citation(S000B, "三2"), "党务公开内容由社区党组织集体研究决定。",
    "Party-affairs contents are decided collectively by the party organisation.",
    code="not_collectively_decided", message_zh="党务公开内容须经社区党组织会议集体研究决定（议题已通过）",
    message_en="The item needs a passed agenda item of a party-organisation meeting")
PARTY_SIGNED = duty_rule(
    "R-PDISC-07", Citation(S000B, "三3"),
    "党组织指定专人填写党务公开报告清单，社区党组织负责人审核签字后，通过党务公开栏进行公开。",
    "The designated person fills in the disclosure checklist; the party organisation's head reviews and signs "
    "it; then it is published on the party-affairs board.",
    code="signature_missing", message_zh="党务公开报告清单尚未经社区党组织负责人审核签字",
    message_en="The disclosure checklist has not been signed by the party organisation's head")
PARTY_SIGNER = duty_rule(
    "R-PDISC-07", Citation(S000B, "三3"), "党务公开报告清单由社区党组织负责人审核签字。",
    "The checklist is signed by the head of the community party organisation.",
    code="signer_not_authorised", message_zh="只有社区党组织负责人（书记）可以审核签字",
    message_en="Only the head (secretary) of the community party organisation may sign", variant="signer")
PARTY_FEEDBACK = duty_rule(
    "R-PDISC-08", Citation(S000B, "三4"),
    "党务内容公开后，广泛听取党员群众的意见，接受询问，做好解释、核查、整改工作。",
    "After publication the party organisation hears opinions, answers questions, explains, verifies and "
    "rectifies; corrections are new versions.",
    code="reply_missing", message_zh="反馈须有答复内容", message_en="A reply needs its text", action="record")
PARTY_ARCHIVED = duty_rule(
    "R-PDISC-09", Citation(S000B, "三5"), "建立党务公开档案，每次公开的内容都要及时立卷存档。",
    "Every publication is filed into the party-affairs disclosure archive.",
    code="archive_missing", message_zh="公开内容未能立卷存档，不能公开",
    message_en="The publication could not be filed; it is not published")
STREET_OVERSIGHT = duty_rule(
    "R-PDISC-10", Citation(S000B, "三6"), "在街道办事处党工委的指导、监督和管理下开展党务公开。",
    "The street party working committee guides, supervises and manages party-affairs disclosure: street users "
    "read every board, obligation and overdue list of their communities.",
    code="not_in_street_scope", message_zh="只能查看本街道社区的公开情况",
    message_en="Only the street's own communities can be read", action="record")
RC_PLANS = duty_rule(
    "R-RDISC-03", Citation(S000C, "三1"), "社区居民委员会依照法规和政策提出社区居务公开的具体方案。",
    "The residents committee proposes the concrete disclosure plan.",
    code="not_residents_committee", message_zh="居务公开方案须由社区居民委员会成员提出",
    message_en="Residents'-affairs plans are proposed by a member of the residents committee")
SUPERVISION_REVIEWED = duty_rule(
    "R-RDISC-04", Citation(S000C, "三2"),
    "社区居务监督委员会对方案进行审查、补充、完善后，提交社区党组织、居民委员会集体讨论确定。",
    "The supervision committee reviews, supplements and completes the plan; then the party organisation and "
    "the residents committee decide it collectively.",
    code="supervision_review_missing", message_zh="居务公开方案尚未经居务监督委员会审查",
    message_en="The plan has not been reviewed by the supervision committee")
SUPERVISION_REVIEWER = duty_rule(
    "R-RDISC-04", Citation(S000C, "三2"), "居务公开方案由社区居务监督委员会审查。",
    "Plans are reviewed by a member of the community's supervision committee.",
    code="not_supervision_committee", message_zh="只有居务监督委员会成员可以审查居务公开方案",
    message_en="Only a member of the supervision committee may review the plan", variant="reviewer")
RESIDENTS_DECIDED = duty_rule(
    "R-RDISC-04", Citation(S000C, "三2"), "居务公开方案由社区党组织、居民委员会集体讨论确定后方可公布。",
    "No publication before the party organisation and the residents committee have decided the plan together.",
    code="not_collectively_decided",
    message_zh="居务公开方案须经社区党组织、居民委员会集体讨论确定（两委会议议题已通过）",
    message_en="The plan needs a passed agenda item of a meeting of the party organisation and the residents "
               "committee", variant="decided")
RESIDENTS_PUBLISHED = duty_rule(
    "R-RDISC-05", Citation(S000C, "三3"), "社区居民委员会通过居务公开栏等形式及时公布，并建立居务公开档案备查。",
    "The residents committee publishes on the residents'-affairs board and files every publication.",
    code="wrong_publisher", message_zh="居务公开由社区居民委员会公布，发布人须为居委会成员",
    message_en="Residents'-affairs items are published by the residents committee")
PARTY_FIRST = duty_rule(
    "A-OPEN-08", Citation(S001, "四(四)"),
    "公开内容必须经社区党组织委员会集体研究决定，并坚持先党内后党外。",
    "Every item is decided collectively by the community party committee before publication; party members "
    "are informed before the public.",
    code="not_collectively_decided", message_zh="公开内容须先经社区党组织集体研究决定（先党内后党外）后方可公布",
    message_en="The party organisation must have decided the item (party first, then the public) before it is "
               "published")


# Results that belong on a board (R-RDISC-07) ------------------------------------------------------------

@dataclass(frozen=True)
class BoardRoutingParams:
    boards: dict  # meeting kind → board its results go to


RESULTS_BOARD = Rule(
    id="R-RDISC-07", citation=Citation("000-A《社区听证会、议事会、评议会制度》", "第七条(三)、第十八条(三)"),
    summary_zh="听证会结果在居务公开栏公布；评议会结果在党务公开栏公布。",
    summary_en="Hearing results go to the residents'-affairs board; evaluation results to the party-affairs board.",
    params=BoardRoutingParams({"hearing": RESIDENTS, "evaluation_meeting": PARTY}), action="publish")


@RESULTS_BOARD.decides
def results_board(p: BoardRoutingParams, *, meeting_kind: str, board: str) -> str:
    expected = p.boards.get(meeting_kind)
    if expected is None or expected == board:
        return board
    names = {PARTY: ("党务公开栏", "party-affairs board"), RESIDENTS: ("居务公开栏", "residents'-affairs board")}
    raise RESULTS_BOARD.violation(
        "wrong_board", f"该会议的结果须在{names[expected][0]}公布，不能在{names[board][0]}公布",
        f"These results belong on the {names[expected][1]}, not the {names[board][1]}",
        {"meeting_kind": meeting_kind, "board": board, "expected_board": expected})


# Feedback -----------------------------------------------------------------------------------------------

REPLY_DEADLINE = deadline_rule(
    "A-OPEN-23", Citation(S003, "意见建议 第二–四条"), 15,
    "意见建议要认真研究、及时答复，反馈时限一般不得超过半个月；署名的意见建议要当面答复。",
    "Opinions are studied and answered within half a month (15 days from receipt); named suggestions are "
    "answered face to face.", action="remind")
NAMED_FACE_TO_FACE = duty_rule(
    "A-OPEN-23", Citation(S003, "意见建议 第三条"), "对署名的意见建议，要当面向本人反馈。",
    "A named suggestion is answered to the person face to face.",
    code="face_to_face_missing", message_zh="署名的意见建议须记录当面答复的日期",
    message_en="A named suggestion needs the date of the face-to-face reply", variant="named")


@dataclass(frozen=True)
class ObjectionParams:
    threshold: Threshold


OBJECTION_MAJORITY = Rule(
    id="R-RDISC-06", citation=Citation(S000C, "三4"),
    summary_zh="每次居务公开后，应听取居民反映和意见，及时予以解释和答复。绝大多数居民不赞成的事，应予以纠正。"
               "（“绝大多数”无数值，须由本区设定比例和基数。）",
    summary_en="Residents' reactions are heard and answered; what the overwhelming majority disapproves is "
               "corrected. The seeds give no number: the district sets the share and its base.",
    params=ObjectionParams(Threshold(None, Base.HOUSEHOLDS, False)), action="flag")


@dataclass(frozen=True)
class ObjectionJudgement:
    correction_required: bool | None  # None: the district has not set the threshold, nothing is judged
    arithmetic_zh: str
    arithmetic_en: str


@OBJECTION_MAJORITY.decides
def objection_majority(p: ObjectionParams, *, objections: int, base_count: int) -> ObjectionJudgement:
    if p.threshold.share is None:
        return ObjectionJudgement(None, f"{objections} 户/人不赞成（本区未设定“绝大多数”的比例，暂不判定）",
                                  f"{objections} objection(s); the district has not set the threshold")
    zh, en = p.threshold.describe(objections, base_count, "不赞成", "objecting")
    return ObjectionJudgement(p.threshold.met(objections, base_count), zh, en)

