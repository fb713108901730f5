"""Meeting rules of the community (rules-core §2.3–§2.5, §2.8–§2.9; rules-admin A-PARTY-02/04/06/10, A-COM-32,
A-MEET-05): notice, quorum, passing, minimums, publication deadlines, records and cadences. The numbers of every
meeting live in the rulebook, never in the services.

The shapes and their factories are in jiceng/rules/shapes.py; the street party working committee's rules (R-PWC)
are in jiceng/rules/pwc.py and the other rules-admin meeting rules (A-MEET, A-HEAR, A-PARTY) in
jiceng/rules/admin_meetings.py.
"""

from __future__ import annotations

from . import admin_meetings as admin
from .base import Citation, Rule
from .shapes import (
    FOUR_FIFTHS,
    HALF,
    S000A,
    S000F,
    S000G,
    S000I,
    S000J,
    S001,
    S002A,
    S002B,
    S003_1,
    S004,
    TWO_THIRDS,
    EscalationParams,
    cadence_rule,
    category_rule,
    deadline_rule,
    duty_rule,
    minimum_rule,
    notice_rule,
    passing_rule,
    quorum_rule,
    record_rule,
    sequence_rule,
    span_rule,
)
from .thresholds import Base, Threshold

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

HEAR_CONVENER = duty_rule(
    "R-HEAR-02", Citation(S000A, "第五条"), "听证会由社区居委会负责召集。",
    "The residents committee convenes the hearing (C-07: the party organisation co-organises).",
    code="not_convener", message_zh="听证会须由社区居委会召集",
    message_en="A hearing is convened by the residents committee")
# E-05's sibling for invitees: the categories 第五条 names, in its order.
HEARING_INVITEES = ("party_org", "residents_committee", "resident_representative", "unit_party_org",
                    "government_department", "street_office_leader", "related_person")
HEAR_INVITEES = category_rule(
    "R-HEAR-03", Citation(S000A, "第五条"), HEARING_INVITEES,
    "参加对象为社区党组织、社区居委会、社区居民代表，辖区单位党组织代表以及有关政府职能部门、"
    "街道办事处负责人等与听证主题相关的人员。",
    "Invitees: the party organisation, the RC, resident representatives, unit party organisations, relevant "
    "government departments, street office leaders and others related to the subject.",
    code="invitee_category_unknown", required=("resident_representative",),
    required_code="no_resident_representatives", action="warn")
HEAR_INVESTIGATION = duty_rule(
    "R-HEAR-07", Citation(S000A, "第七条(一)2"),
    "居委会应对需要听证的事项，进行广泛深入的调查摸底，掌握基本情况，征询居民群众意见。",
    "Before the hearing the RC investigates the matter thoroughly and solicits residents' opinions.",
    code="investigation_missing", message_zh="听证会召开前须附调查摸底和征询意见情况",
    message_en="An investigation summary must be attached before the hearing is held", action="enforce_o")
# Not enforced yet: no screen or endpoint takes the investigation summary; the meetings engine would judge it in
# hold() with satisfied=bool(summary) once one does.
HEAR_ORDER = sequence_rule(
    "R-HEAR-09", Citation(S000A, "第七条(二)1–5"),
    ("主持人介绍到会人员并宣布议程", "通报听证事项", "代表发表意见", "责任单位答复", "表决形成决议"),
    "会议程序：主持人介绍到会人员、宣布听证会议程；听取有关听证项目的情况介绍；会议代表发表意见和建议；"
    "听证项目的责任单位或部门解答有关问题；表决和形成听证决议。",
    "Order of business: introductions and agenda; briefing; representatives' opinions; the responsible unit "
    "answers; vote and resolution. The hearing minutes follow this order.", action="record")
HEAR_WRITTEN_MATERIAL = record_rule(
    "R-HEAR-10", Citation(S000A, "第七条(二)4"), ("responsible_unit",),
    "听证项目的责任单位或部门解答有关问题，必要时应准备书面材料，并对材料真实性负责。",
    "The responsible unit answers questions and, where necessary, provides written material it vouches for.",
    code="material_provider_missing")
HEARING_VOTE_METHODS = ("show_of_hands", "named", "ballot")
HEAR_VOTE_METHOD = category_rule(
    "R-HEAR-11", Citation(S000A, "第七条(二)5"), HEARING_VOTE_METHODS,
    "表决的方式由居委会根据听证事项的实际情况决定。",
    "The residents committee chooses the voting method of each hearing (show of hands, named or secret ballot).",
    code="vote_method_missing", action="record")
HEAR_PREFERRED_PLAN = record_rule(
    "R-HEAR-16", Citation(S000A, "第七条(三)"), ("preferred_plan",),
    "听证会形成的倾向性方案应充分考虑听证代表的意见和建议，并作为社区运用“一征三议两公开”工作法"
    "实施决策的重要参考和依据。",
    "The preferred plan takes the representatives' opinions into account and informs the matter's decision.",
    code="preferred_plan_missing")

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

DELIB_SOLICITED = duty_rule(
    "R-DELIB-05", Citation(S000A, "第十一条(一)1"), "根据社区党组织或社区听证会征求意见情况，确定议事会议题。",
    "A council topic is fixed on the opinions solicited by the party organisation or by a hearing.",
    code="topic_without_solicitation", message_zh="议事会议题须关联征求意见汇总或听证会议纪要",
    message_en="A council topic must link to a solicitation summary or hearing minutes")
# Enforcement waits for the decisions app (issue #4): the solicitation summary is a step of the matter.
DELIB_TO_RESIDENTS = record_rule(
    "R-DELIB-12", Citation(S000A, "第十一条(三)1"), ("submitted_to",),
    "议事会形成的决定，由社区党组织和居委会提交居民代表会议或居民会议决议。",
    "The council's decision goes to the resident representatives meeting or residents' assembly (R-WF-08).",
    code="not_submitted_to_residents", action="remind")
DELIB_SUPERVISION = record_rule(
    "R-DELIB-13", Citation(S000A, "第十一条(三)2"), ("comment",),
    "议事会成员监督议案的实施进展情况，就议案办理过程中存在的问题向社区党组织和居委会提出意见建议。",
    "Council members supervise implementation and raise problems with the party organisation and the RC.")
DELIB_TELL_CONCERNED = record_rule(
    "R-DELIB-14", Citation(S000A, "第十一条(三)3"), ("notice_form",),
    "讨论通过的议案应针对涉及的党员群众进行书面公示或口头告知。",
    "A passed proposal is posted in writing or told orally to the party members and residents it concerns.",
    code="concerned_not_told", action="publish")
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
EVALUATOR_CATEGORIES = (  # E-09, in 第十四条's order
    "staff_and_leaders_of_four_bodies", "supervision_committee_member", "part_time_committee_member",
    "grid_party_branch_secretary_or_group_leader", "grid_worker", "building_party_group_leader", "building_head",
    "resident_representative", "resident_unit_representative", "party_congress_delegate", "npc_deputy",
    "cppcc_member", "party_member", "resident_representative_mass")
EVAL_EVALUATORS = category_rule(
    "R-EVAL-04", Citation(S000A, "第十四条"), EVALUATOR_CATEGORIES,
    "参加评议人员为四个组织工作人员及班子成员，居务监督委员会成员和兼职委员；网格党支部书记（党小组长）、"
    "网格员，楼栋党小组长、楼栋长；居民代表、驻区单位代表及部分党代表、人大代表、政协委员；党员群众代表。",
    "Evaluators come from the categories of E-09; each evaluator's category is recorded.",
    code="evaluator_category_unknown", action="record")
EVAL_REPORT_ORDER = sequence_rule(
    "R-EVAL-09", Citation(S000A, "第十八条(二)2"),
    ("community_party_secretary", "rc_director", "workstation_head", "cgo_director"),
    "社区党组织、社区居委会、社区工作站、社区综治办负责人依次述职。",
    "The four heads report in the order party organisation → RC → workstation → CGO.", action="record")
EVAL_COMMENTS = record_rule(
    "R-EVAL-11", Citation(S000A, "第十八条(二)4"), ("liaison_comment",),
    "街道办事处分包领导对评议工作进行现场点评。", "The liaison leader comments on the evaluation at the meeting.",
    code="liaison_comment_missing")
EVAL_REWARDS = record_rule(
    "R-EVAL-13", Citation(S000A, "第十八条(三)"), ("assessment",),
    "街道办事处应将评议结果作为实施奖惩的重要依据。",
    "The street office uses the results as an important basis for rewards and punishments (R-ACC-14).",
    code="results_not_linked")
# Period NOT IN SOURCE ("定期"): once a year is the weakest reading (INFERRED); a district sets its own.
EVAL_SERVICE_SATISFACTION = cadence_rule(
    "R-EVAL-14", Citation(S004, "第十二条"), 1, "year",
    "定期组织群众对社区服务工作进行监督评议，以居民群众的满意度评价和衡量街道、社区服务工作。",
    "Residents periodically evaluate community service work (period not in the seed; the district sets it).")
EVAL_PUBLISH = deadline_rule("R-EVAL-12", Citation(S000A, "第十八条(三)"), 7,
                             "评议会召开后7日内将评议结果在党务公开栏上公布，并报街道党工委备案。",
                             "Publish the results on the party-affairs board within 7 days and file them.")

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
# The seeds give no period for R-CPO-05/06/07 ("及时", "定期"): once a quarter (INFERRED) until a district sets one.
CPO_SECRETARY_REPORTS = cadence_rule(
    "R-CPO-05", Citation(S000J, "1、3；002-B 十二4"), 1, "quarter",
    "书记将社区的重大问题和决策，及时提交党委（总支、支部）会议讨论决定，并按时向委员会、党员大会和上级报告工作。",
    "The secretary brings the community's major issues to the committee meeting and reports on time "
    "(period not in the seeds).")
CPO_COORDINATION = cadence_rule(
    "R-CPO-06", Citation(S002A, "二4"), 1, "quarter",
    "社区党支部定期召开社区事务协调会议，研究社会性、群众性、地区性和公益性的建设和管理工作，"
    "对协调会提出的建议研究落实并反馈。",
    "The branch regularly convenes a community-affairs coordination meeting with units, outposts and "
    "intermediary organisations, and reports back on their suggestions (period not in the seed).")
CPO_CHONGQING_COUNCILS = cadence_rule(
    "R-CPO-07", Citation(S004, "第十三条、第十四条"), 1, "quarter",
    "全面推行街道社区党组织工作会议制度、社区党员代表议事会制度，建立街道社区党建工作协调议事机构。",
    "Street-community party work meetings and community party member representatives councils coordinate "
    "social, mass and public-welfare work (period not in the seed).")
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

PARTY_MEMBERS_PASS = passing_rule(
    "R-WF-03", Citation("000-D《基层民主科学决策机制档案管理办法》", "第六条3"), Threshold(None, Base.PRESENT, True),
    "村改居社区党员会议的表决通过标准种子未规定，由区设定（E-20）。",
    "The seeds give no passing threshold for the 村改居 party members' meeting; the district sets it (E-20).",
    variant="party_members_vote")

# Democratic life meeting ------------------------------------------------------------------------------

DLM_THEME = duty_rule("R-MTG-15", Citation(S002B, "三2"), "民主生活会之前要和上级党组织沟通，确定好主题。",
                      "The theme is agreed with the superior party organisation before notice.",
                      code="theme_not_agreed", message_zh="民主生活会主题尚未经上级党组织同意",
                      message_en="The theme has not been agreed with the superior organisation")
DLM_NOTICE = duty_rule(
    "R-MTG-16", Citation(S002B, "三4"),
    "民主生活会参加对象为党员社区“两委”干部；会前要广泛征求党员、群众意见，将时间、议题通知参加会议人员。",
    "Participants are the two-committee cadres who are party members; opinions are solicited and time and topics "
    "notified before the meeting.", code="notice_incomplete",
    message_zh="民主生活会须先将时间、议题通知参加会议人员",
    message_en="Time and topics must be notified to the participants before the meeting")
DLM_PROBLEMS = span_rule(
    "R-MTG-17", Citation(S002B, "三3、三5"), 1, 2,
    "每次民主生活会都要集中解决一、二个实际问题；切忌开成工作会和评功摆好会。",
    "Each meeting concentrates on solving one or two practical problems.", code="problems_out_of_range",
    what_zh="集中解决的实际问题", what_en="practical problems addressed")
DLM_REPORT_AHEAD = notice_rule("A-PARTY-10", Citation(S001, "一(二)1,3"), 5,
                               "民主生活会时间和议题提前五日以书面形式向上级党组织报告。",
                               "Report time and agenda to the superior organisation in writing 5 days before.",
                               code="superior_report_too_late")
DLM_RECORD = duty_rule("R-MTG-18", Citation(S002B, "三6"), "做好记录，会后要将记录报送上级党组织。",
                       "Minutes are kept and sent to the superior organisation.", code="record_missing",
                       message_zh="会议记录尚未签发，不能结束会议",
                       message_en="The meeting record is not signed off; the meeting cannot be closed")
MEETING_RECORD = duty_rule("A-MEET-05", Citation(S003_1, "三5"), "要做好会议记录。",
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
    # The street office's meetings (rules-admin A-MEET, seed 003).
    "director_meeting": admin.DIRECTOR_MEETING,
    "office_meeting": admin.OFFICE_MEETING,
    "section_meeting": admin.SECTION_MEETING,
    "administrative_regular_meeting": admin.REGULAR_MEETINGS["administrative"],
    "zongzhi_regular_meeting": admin.REGULAR_MEETINGS["zongzhi"],
    "community_work_regular_meeting": admin.REGULAR_MEETINGS["community_work"],
    "urban_management_regular_meeting": admin.REGULAR_MEETINGS["urban_management"],
}

