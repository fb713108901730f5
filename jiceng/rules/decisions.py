"""The 「一征三议两公开」 method (rules-core §2.2 R-WF, §2.12 R-ARCH-04/05): the two step orders, what each step
needs, the publication deadline and the dossier a matter may not close without.

The seeds' flowchart (000-K) has no text, so the step order is the spec's reconstruction from the archive list
(000-D 第六条3/4); urban and 村改居 communities keep their different sequences.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Citation, Rule
from .meetings import COUNCIL_TOPICS
from .shapes import S000A, S002A, deadline_rule, duty_rule, record_rule

S000D = "000-D《基层民主科学决策机制档案管理办法》"
S000E = "000-E《基层民主科学决策机制责任追究办法》"
S002B = "002-B《党支部工作制度》"

URBAN, VILLAGE = "urban", "village"

# The step codes of the spec's two tables (U0–U8, V0–V8), in order.
URBAN_STEPS = ("intake", "solicitation", "proposal", "consultation", "resolution", "resolution_published",
               "implementation", "result_published", "closed")
VILLAGE_STEPS = ("intake", "party_proposal", "two_committee_consultation", "party_members_review", "resolution",
                 "resolution_published", "implementation", "result_published", "closed")
STEP_LABELS = {
    "intake": ("事项登记", "Matter registered"),
    "solicitation": ("一征：党组织征求意见", "Opinions solicited by the party organisation"),
    "proposal": ("议①：社区“两委”提议", "Proposal by the two committees"),
    "consultation": ("议②：相关单位商议（议事会）", "Consultation by the related units (council)"),
    "party_proposal": ("议①：党组织提议", "Proposal by the party organisation"),
    "two_committee_consultation": ("议②：社区“两委”商议", "Consultation by the two committees"),
    "party_members_review": ("党员会议审议", "Party members' meeting"),
    "resolution": ("议③：居民代表会议或居民会议决议", "Resolution by the residents' (representatives') meeting"),
    "resolution_published": ("公开①：决议公开", "Resolution published"),
    "implementation": ("组织实施", "Implementation"),
    "result_published": ("公开②：实施结果公开", "Implementation result published"),
    "closed": ("立卷归档", "Dossier closed"),
}
# E-04 (000-A 第十条): the six topics a matter belongs to, with the spec's exact labels.
TOPIC_LABELS = {
    "T1": ("社区居民自治章程、居民公约等居民自我管理服务章程、制度的制订和修改",
           "Residents' self-government charters, conventions and rules: drafting and amendment"),
    "T2": ("政府下拨和社会捐赠给本社区的救灾、救济、扶贫、助残款物的分配发放",
           "Distribution of disaster-relief, relief, poverty and disability funds and goods"),
    "T3": ("国家和上级重要政策、重点工作部署在本社区的落实方案",
           "Plans implementing major national and higher-level policies in the community"),
    "T4": ("楼院管理、设施改造、环境优化、文明创建等社区公共事务",
           "Community public affairs: building management, facilities, environment, civility"),
    "T5": ("居民意见较为集中的重点、难点、热点问题", "Key, difficult and hot issues many residents raise"),
    "T6": ("多数居民认为应纳入决策的其他事项", "Other matters most residents want decided"),
}
# Who takes each step (the spec's step tables).
STEP_ACTORS = {
    "solicitation": ("社区党组织", "the community party organisation"),
    "proposal": ("社区“两委”（两委联席会议）", "the two committees (joint meeting)"),
    "consultation": ("议事会（网格 → 社区 → 街道党工委）", "the deliberation council (grid → community → PWC)"),
    "party_proposal": ("社区党组织（委员会会议）", "the party organisation (committee meeting)"),
    "two_committee_consultation": ("社区“两委”（两委联席会议）", "the two committees (joint meeting)"),
    "party_members_review": ("党员大会", "the party members' meeting"),
    "resolution": ("居民代表会议或居民会议", "the resident representatives meeting or residents' assembly"),
    "resolution_published": ("社区居委会（居务公开栏）", "the residents committee (residents'-affairs board)"),
    "implementation": ("社区“两委”组织实施，议事会成员监督", "the two committees; council members supervise"),
    "result_published": ("社区居委会（居务公开栏）", "the residents committee (residents'-affairs board)"),
    "closed": ("档案管理人员", "the archivist"),
}
# What the archive must hold for each step (000-D 第六条3–5), in the order the dossier lists them.
ARCHIVE_ITEMS = {
    "intake": "每个决策事项的内容和有关原始资料",
    "solicitation": "党组织征求意见过程情况档案",
    "proposal": "社区“两委”提议形成过程情况档案",
    "consultation": "相关单位商议工作档案",
    "party_proposal": "党组织提议形成过程情况档案",
    "two_committee_consultation": "社区“两委”商议工作档案",
    "party_members_review": "党员会议召开及表决情况记录档案",
    "resolution": "居民代表或居民大会召开及表决情况记录档案",
    "resolution_published": "公开内容记录档案（决议公开）",
    "implementation": "执行情况、对执行中问题的处理情况",
    "result_published": "公开内容记录档案（实施结果公开）",
}


TOPIC = Rule(
    id="R-WF-01", citation=Citation("000-A《社区听证会、议事会、评议会制度》", "第十条"),
    summary_zh="社区章程公约、救灾救济款物分配、上级政策落实方案、楼院公共事务、居民集中关注的问题及多数居民认为"
               "应纳入决策的事项，须运用“一征三议两公开”工作法决策。",
    summary_en="Decisions on the six topics of E-04 are taken through the method; each matter has one topic.",
    params=None)


@TOPIC.decides
def topic(_p, *, topic: str) -> str:
    if topic in COUNCIL_TOPICS:
        return topic
    raise TOPIC.violation("invalid_topic", f"事项类别「{topic}」不在规定的六类（T1–T6）之中",
                          f"Topic {topic!r} is not one of the six of E-04 (T1–T6)",
                          {"topic": topic, "allowed": list(COUNCIL_TOPICS)})


@dataclass(frozen=True)
class OrderParams:
    steps: tuple[str, ...]
    optional: tuple[str, ...] = ()  # steps a matter may skip (the spec's configurable flags)


def _order_rule(id: str, article: str, steps: tuple, optional: tuple, summary_zh: str, summary_en: str) -> Rule:
    rule = Rule(id=id, citation=Citation(S000D, article), summary_zh=summary_zh, summary_en=summary_en,
                params=OrderParams(steps, optional))

    @rule.decides
    def next_allowed(p: OrderParams, *, done: list[str], step: str) -> str:
        """`step` may be completed only when every earlier step that is not optional is done, and not twice."""
        if step not in p.steps:
            raise rule.violation("unknown_step", f"本类社区的决策程序没有「{step}」这一步",
                                 f"This community's method has no step {step!r}",
                                 {"step": step, "steps": list(p.steps)})
        if step in done:
            raise rule.violation("step_already_done", f"「{STEP_LABELS[step][0]}」已完成",
                                 f"{STEP_LABELS[step][1]} is already done", {"step": step})
        before = p.steps[:p.steps.index(step)]
        missing = [s for s in before if s not in done and s not in p.optional]
        if missing:
            first = missing[0]
            raise rule.violation(
                "step_out_of_order", f"须先完成「{STEP_LABELS[first][0]}」，才能进行「{STEP_LABELS[step][0]}」",
                f"{STEP_LABELS[first][1]} must be done before {STEP_LABELS[step][1].lower()}",
                {"step": step, "missing": missing})
        return step

    return rule


URBAN_ORDER = _order_rule(
    "R-WF-02", "第六条4", URBAN_STEPS, (),
    "城市社区：征求意见 → “两委”提议 → 相关单位商议 → 居民代表会议或居民大会决议 → 决议公开 → 实施 → 结果公开 → "
    "立卷归档，前一步完成后方可进行下一步。",
    "Urban communities: solicitation → proposal → consultation → resolution → publication → implementation → "
    "result publication → closed, each after the one before.")
VILLAGE_ORDER = _order_rule(
    "R-WF-03", "第六条3", VILLAGE_STEPS, (),
    "村改居社区：党组织提议 → “两委”商议 → 党员会议 → 居民代表会议或居民大会表决 → 决议公开 → 实施 → 结果公开 → "
    "立卷归档。",
    "村改居 communities: party proposal → two-committee consultation → party members' meeting → residents' vote "
    "→ publication → implementation → result publication → closed.")
ORDERS = {URBAN: URBAN_ORDER, VILLAGE: VILLAGE_ORDER}

SOLICITATION_SUMMARY = duty_rule(
    "R-WF-04", Citation("000-A《社区听证会、议事会、评议会制度》", "第十一条(一)1、第七条(三)"),
    "社区党组织在提议前征求居民意见，听证会是方式之一，其倾向性方案是决策的重要参考。",
    "The party organisation solicits residents' opinions before the proposal; a hearing's preferred plan is an "
    "important reference.", code="solicitation_summary_missing",
    message_zh="征求意见须形成意见汇总后方可结束", message_en="The solicitation needs its opinion summary to end")


@dataclass(frozen=True)
class StepMeetingParams:
    kinds: tuple[str, ...]  # meeting kinds whose passed item completes the step


def _meeting_step(id: str, citation: Citation, kinds: tuple, summary_zh: str, summary_en: str,
                  variant: str = "") -> Rule:
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=StepMeetingParams(kinds), variant=variant)

    @rule.decides
    def adopted(p: StepMeetingParams, *, step: str, meeting_kind: str | None, item_status: str) -> None:
        if meeting_kind not in p.kinds:
            raise rule.violation("wrong_meeting_kind",
                                 f"「{STEP_LABELS[step][0]}」须由规定的会议作出（{', '.join(p.kinds)}）",
                                 f"{STEP_LABELS[step][1]} is taken by one of: {', '.join(p.kinds)}",
                                 {"step": step, "meeting_kind": meeting_kind, "allowed": list(p.kinds)})
        if item_status != "passed":
            raise rule.violation("step_not_passed", f"所链接的议题未获通过（{item_status}），不能完成「"
                                 f"{STEP_LABELS[step][0]}」", f"The linked item did not pass ({item_status})",
                                 {"step": step, "item_status": item_status})

    return rule


PROPOSAL = _meeting_step(
    "R-WF-05", Citation(S002B, "十5"), ("two_committees_joint_meeting",),
    "“两委”提议须经三分之二以上与会人员同意（两委联席会议），方可提交居民会议或居民代表会议讨论决定。",
    "The proposal is adopted at a two-committee joint meeting (quorum R-JOINT-03, ≥ 2/3 of those present).")
CONSULTATION = _meeting_step(
    "R-WF-06", Citation(S000A, "第八条、第十一条(二)"), ("deliberation_council", "pwc_meeting"),
    "议事会是相关单位商议的实际步骤；网格议事会未通过的提交社区议事会，社区议事会达不成一致的提交街道党工委"
    "研究决定（R-WF-07）。",
    "The deliberation council is the consultation step; failures escalate grid → community → PWC (R-WF-07), "
    "whose decision to proceed completes it.")
ESCALATION = duty_rule(
    "R-WF-07", Citation(S000A, "第十一条(二)2、3"),
    "网格议事会没有通过的议案提交社区议事会；社区议事会达不成一致意见的议案提交街道办事处党工委研究决定。",
    "A grid council's failed proposal goes to the community council, and one the community council cannot agree "
    "on to the street party working committee.", code="not_this_matters_item",
    message_zh="该议题不是本事项的议事会议题，也不是由它提交上级的议题",
    message_en="The item is neither this matter's council item nor one escalated from it", action="escalate")
RESOLUTION = _meeting_step(
    "R-WF-08", Citation(S000A, "第十一条(三)1"), ("resident_representatives_meeting", "residents_assembly"),
    "由社区党组织和居委会提交居民代表会议或居民会议决议。",
    "The party organisation and the RC submit the proposal to the resident representatives meeting or the "
    "residents' assembly for resolution.", variant="step")
PARTY_PROPOSAL = _meeting_step(
    "R-WF-03", Citation(S000D, "第六条3"), ("party_org_committee_meeting",),
    "村改居社区由社区党组织提议（党组织委员会会议）。", "In a 村改居 community the party organisation proposes.",
    variant="party_proposal")
TWO_COMMITTEE_CONSULTATION = _meeting_step(
    "R-WF-03", Citation(S000D, "第六条3"), ("two_committees_joint_meeting",),
    "村改居社区由社区“两委”商议（两委联席会议）。", "The two committees consult at a joint meeting.",
    variant="two_committee_consultation")
PARTY_MEMBERS_REVIEW = _meeting_step(
    "R-WF-03", Citation(S000D, "第六条3"), ("party_members_assembly",),
    "村改居社区经党员会议审议后提交居民表决。",
    "A party members' meeting reviews the proposal before the residents vote.",
    variant="party_members_review")
STEP_RULES = {"proposal": PROPOSAL, "consultation": CONSULTATION, "resolution": RESOLUTION,
              "party_proposal": PARTY_PROPOSAL, "two_committee_consultation": TWO_COMMITTEE_CONSULTATION,
              "party_members_review": PARTY_MEMBERS_REVIEW}

RESOLUTION_PUBLISHED = deadline_rule(
    "R-WF-09", Citation(S000A, "第十一条(三)3"), 7,
    "讨论通过的议案应针对涉及的党员群众进行书面公示或口头告知（期限种子未规定，默认参照听证会7日）。",
    "A passed proposal is made known by written notice or oral notification; the seeds give no deadline, so 7 "
    "days by analogy with hearings (configurable).")
PROGRESS_RESPONSE = record_rule(
    "R-WF-10", Citation(S000A, "第十一条(三)2"), ("text",),
    "议事会成员监督议案的实施进展情况，发现问题及时向社区党组织和居委会反映；执行情况和问题处理情况记录在案。",
    "Council members supervise implementation; progress and the handling of problems are recorded, each remark "
    "with its response.", code="progress_text_missing")
RESULT_PUBLISHED = record_rule(
    "R-WF-11", Citation("000-C《社区居务公开制度》", "一1"), ("disclosure", "board"),
    "居民会议或居民代表会议讨论决定事项的实施情况在居务公开栏公开；结案前须有实施结果公开记录（R-WF-12）。",
    "The implementation of every resolution is published on the residents'-affairs board; a matter closes only "
    "with that publication in its dossier (R-WF-12).", code="result_not_published", action="publish")
DOSSIER_COMPLETE = duty_rule(
    "R-WF-12", Citation(S000D, "第四条、第六条5"), "一事一档：每个决策事项留存完整档案。",
    "One dossier per matter: every record of its template, with its content and original materials.",
    code="dossier_incomplete", message_zh="事项档案不完整，不能结案", message_en="The dossier is incomplete")
RESOLUTION_IMMUTABLE = duty_rule(
    "R-WF-13", Citation(S000E, "第六条3"),
    "不得随意变更已通过“一征三议两公开”工作法形成的决议；任何个人或少数人无权决定重大问题。",
    "A resolution adopted through the method is not changed except by running the method again.",
    code="resolution_immutable", message_zh="已形成的决议不能修改；如需变更，须另立事项重新履行程序",
    message_en="A resolution cannot be edited; open a new matter that amends it")


@dataclass(frozen=True)
class PwcReportParams:
    report_to_pwc_before_resolution: bool = False


PWC_REPORT = Rule(
    id="R-WF-14", citation=Citation(S002A, "二1"),
    summary_zh="（002模式）社区日常重大问题由党支部提出并向街道党工委汇报后，提交社区居委会讨论形成决定。"
               "默认不启用（C-08），由区设定。",
    summary_en="(002 model) The branch reports a major issue to the PWC before the RC decides; off by default (C-08).",
    params=PwcReportParams())


@PWC_REPORT.decides
def pwc_report(p: PwcReportParams, *, reported_on, resolved_on) -> None:
    if p.report_to_pwc_before_resolution and (reported_on is None or reported_on > resolved_on):
        raise PWC_REPORT.violation("pwc_report_missing", "决议前须先由党支部向街道党工委汇报",
                                   "The branch must report to the PWC before the resolution",
                                   {"reported_on": reported_on and reported_on.isoformat(),
                                    "resolved_on": resolved_on.isoformat()})


STAGES = Rule(
    id="R-WF-15", citation=Citation("《重庆市街道社区党组织工作规定》", "第十五条"),
    summary_zh="社区重要事项按照收集民意、民主决策、监督执行、公示反馈等程序进行。",
    summary_en="Important matters follow: collect opinions → democratic decision → supervise execution → publicise "
               "and feed back (mapped onto the method's steps).",
    params=None, action="record")
STAGE_OF_STEP = {"solicitation": "收集民意", "proposal": "民主决策", "consultation": "民主决策",
                 "party_proposal": "民主决策", "two_committee_consultation": "民主决策",
                 "party_members_review": "民主决策", "resolution": "民主决策", "implementation": "监督执行",
                 "resolution_published": "公示反馈", "result_published": "公示反馈"}


@STAGES.decides
def stage(_p, *, step: str) -> str:
    return STAGE_OF_STEP.get(step, "")


PUBLIC_BEFORE_PWC = duty_rule(
    "R-WF-16", Citation("000-G《街道办事处党工委议事决策规则》", "三(一)8"),
    "对与群众利益密切相关的重大事项，要实行公示、听证等制度。",
    "A PWC decision on a major matter closely related to residents' interests is preceded by public notice or a "
    "hearing.", code="public_notice_or_hearing_missing",
    message_zh="与群众利益密切相关的重大事项，表决前须有公示或听证", action="enforce_o",
    message_en="A matter closely related to residents' interests needs a public notice or hearing before the vote")
ARCHIVIST_REQUIRED = duty_rule(
    "R-ARCH-03", Citation(S000D, "第四条、第五条"), "社区明确档案责任人，有专（兼）职档案管理人员。",
    "A community names its archivist; a matter cannot be opened without one.", code="no_archivist",
    message_zh="本社区没有在任的档案管理人员，不能登记决策事项", message_en="The community has no archivist in office")
