"""Finance (rules-admin §2.7 A-FIN): who approves an expense of a given amount, in which order, and when a
collective decision must come first.

Community claims follow 001 附件三 六 (V-FIN-COM: A-FIN-04 and A-FIN-07 apply together); street-office claims
follow 003 第10篇 三 (V-FIN-STs default: 四笔会签一笔审批 with the all-leader and working-committee thresholds).
Amounts are integer fen; every bound is a rulebook parameter. 以上/以内 include the stated number, and where
the seed puts one value in two bands (A-FIN-07 "100元以内" / "100元至500元" / "500元以上", BOUNDARY) the value
goes to the stricter band.

`expense_route` is the pure function the services call; it never reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .base import Citation, Rule
from .shapes import deadline_rule, duty_rule, record_rule

S001 = "001 第四篇 附件三《社区居委会财务管理制度》"
S003_1 = "003 第1篇《街道办事处各项规章制度》"
S003_10 = "003 第10篇《街道办事处工作制度》"

COMMUNITY, STREET = "community", "street"

# rules-admin §1.2 role identifiers used by the finance routes, with their Chinese labels.
ROLE_LABELS = {
    "rc_director": ("居委会主任", "residents committee director"),
    "rc_deputy_director": ("居委会副主任", "residents committee deputy director"),
    "community_party_secretary": ("社区党组织书记", "community party secretary"),
    "leader_in_charge": ("街道办事处分管领导", "street leader in charge"),
    "section_head": ("科室负责人", "section head"),
    "discipline_secretary": ("纪工委书记", "discipline secretary"),
    "leadership_member": ("领导班子成员", "leadership member"),
    "director": ("办事处主任", "street office director"),
    "party_secretary": ("党工委书记", "party working committee secretary"),
    "accountant": ("会计", "accountant"),
    "cashier": ("出纳", "cashier"),
    "reimbursement_clerk": ("报账员", "reimbursement clerk"),
    "finance_staff": ("财会人员", "finance staff"),
}
# Where each post is held: the claim's community, or its street (a community claim's leader in charge is the
# street office's, A-FIN-07 "报街道办事处分管主任同意").
STREET_POSTS = frozenset({"leader_in_charge", "section_head", "discipline_secretary", "leadership_member", "director",
                          "party_secretary"})
COMMUNITY_POSTS = frozenset({"rc_director", "rc_deputy_director", "community_party_secretary"})

# Street expense kinds (A-FIN-34/35): building repairs need the repair audit report from the all-leader bound;
# year-end bonuses always need the working committee's decision.
KINDS = {
    "ordinary": ("一般性支出", "ordinary spending"),
    "building_repair": ("建筑维修工程", "building repair"),
    "fixed_asset": ("固定资产支出", "fixed-asset spending"),
    "special": ("特殊支出", "special spending"),
    "year_end_bonus": ("年终奖金", "year-end bonus"),
}
DECISION_BODIES = {
    "member_congress": ("社区成员代表大会", "community member congress"),
    "street_party_working_committee": ("街道党工委（扩大）会议", "street party working committee (enlarged)"),
}


def yuan(fen: int) -> str:
    """"1234.50" from 123450, for messages; exact, never through a float."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


# Community: A-FIN-04 (three signatures) and A-FIN-07 (approval by amount) ----------------------------------

@dataclass(frozen=True)
class SignerParams:
    signers: tuple[str, ...]  # besides the handler (经办人 = the claimant), in order
    stand_in: str             # signs as well when one person is both director and secretary


SIGNERS = Rule(
    id="A-FIN-04", citation=Citation(S001, "六(三)"),
    summary_zh="发票和收据须由经办人、主任、书记三人以上签字（社区居委会主任书记一人兼的，在经办人、主任签字的基础上，"
               "要有一名副主任签字）方可报销。",
    summary_en="A voucher is reimbursed with the signatures of the handler, the committee director and the party "
               "secretary (three distinct persons); when one person is director and secretary a deputy director "
               "signs as well.",
    params=SignerParams(("rc_director", "community_party_secretary"), "rc_deputy_director"))


@SIGNERS.decides
def community_signers(p: SignerParams, *, director_is_secretary: bool = False,
                      claimant_is_director: bool = False) -> tuple[str, ...]:
    """The signers after the handler. The deputy signs when director and secretary are one person (the seed's
    own case: handler, director, deputy) and, by the same reasoning (three distinct signers) and A-FIN-39
    (nobody approves their own claim), in the director's place when the director is the claimant *(inferred)*."""
    signers = list(p.signers)
    if claimant_is_director:
        signers[signers.index("rc_director")] = p.stand_in
    elif director_is_secretary:
        # The one person signs once, as director; the deputy is the third signer.
        signers[signers.index("community_party_secretary")] = p.stand_in
    return tuple(signers)


@dataclass(frozen=True)
class CommunityApprovalParams:
    street_consent_from_fen: int  # from this amount on the street's leader in charge consents
    congress_from_fen: int        # from this amount the member congress decides first, then 备案
    street_approver: str


COMMUNITY_APPROVAL = Rule(
    id="A-FIN-07", citation=Citation(S001, "六(四)"),
    summary_zh="100元以内的经费开支须由社区居委会主任审批；100元至500元的开支须报街道办事处分管主任同意；500元以上的开支"
               "须经社区成员代表大会讨论决定，并经街道办事处分管主任同意，同时备案。边界值归入较严的一档。",
    summary_en="Below 100 yuan the committee director approves; from 100 the street's leader in charge also "
               "consents; from 500 the member congress decides first, the leader in charge consents and the "
               "claim is filed. A boundary value goes to the stricter band.",
    params=CommunityApprovalParams(street_consent_from_fen=100_00, congress_from_fen=500_00,
                                   street_approver="leader_in_charge"))


@COMMUNITY_APPROVAL.decides
def community_approval(p: CommunityApprovalParams, *, amount_fen: int) -> dict:
    street = amount_fen >= p.street_consent_from_fen
    congress = amount_fen >= p.congress_from_fen
    return {"street_approvers": (p.street_approver,) if street or congress else (),
            "decision_required": congress, "filing_required": congress}


CONGRESS_DECISION = duty_rule(
    "A-FIN-07", Citation(S001, "六(四)"),
    "500元以上的开支须先经社区成员代表大会（或临时召集的社区成员代表大会）讨论决定。",
    "From 500 yuan the member congress (or an extraordinary session) decides before anyone approves.",
    code="decision_required", message_zh="本笔开支须先经社区成员代表大会讨论决定，请先登记决定",
    message_en="The member congress must decide this expense first; record its decision", variant="congress")
COMMUNITY_ORDER = duty_rule(
    "A-FIN-07", Citation(S001, "六(三)、六(四)"),
    "经办人、主任、书记签字后，再报街道办事处分管主任同意。",
    "The handler, director and secretary sign before the street's leader in charge consents.",
    code="step_out_of_order", message_zh="须按审批顺序签字，前一步尚未完成",
    message_en="Signatures follow the route; an earlier step is still open", variant="order")


# Street office: A-FIN-20, 33–36, 39 ------------------------------------------------------------------------

@dataclass(frozen=True)
class CosignParams:
    co_signers: tuple[str, ...]  # after the handler (经手人 = the claimant), in order


COSIGN = Rule(
    id="A-FIN-36", citation=Citation(S003_10, "三(三)4"),
    summary_zh="坚持执行“四笔会签一笔审批”制度：每笔经济业务单据必须有经手人、科室负责人、分管领导、街道纪工委书记签字，"
               "街道主要负责人审批后，方可报销。",
    summary_en="Four co-signatures, one approval: handler, section head, leader in charge and discipline secretary "
               "sign, then the street's principal leader approves.",
    params=CosignParams(("section_head", "leader_in_charge", "discipline_secretary")))


@COSIGN.decides
def street_cosigners(p: CosignParams) -> tuple[str, ...]:
    return tuple(p.co_signers)


@dataclass(frozen=True)
class AmountParams:
    from_fen: int  # 以上: the bound itself is included


ALL_LEADERS = Rule(
    id="A-FIN-34", citation=Citation(S003_10, "三(三)2"),
    summary_zh="5000元以上的开支应由所有领导成员签字报销，建筑维修工程需附维修审计报告。",
    summary_en="Spending of 5000 yuan or more is signed by every leadership member; building repairs need a "
               "repair audit report.",
    params=AmountParams(5000_00))


@ALL_LEADERS.decides
def all_leaders(p: AmountParams, *, amount_fen: int) -> bool:
    return amount_fen >= p.from_fen


REPAIR_REPORT = duty_rule(
    "A-FIN-34", Citation(S003_10, "三(三)2"),
    "5000元以上的建筑维修工程开支需附维修审计报告。",
    "Building repairs of 5000 yuan or more need a repair audit report attached.",
    code="repair_audit_report_missing", message_zh="建筑维修工程须附维修审计报告后方可审批",
    message_en="Attach the repair audit report before approval", variant="repair_report")


@dataclass(frozen=True)
class CommitteeParams:
    from_fen: int
    always: tuple[str, ...]  # kinds that need the decision at any amount


COMMITTEE_DECISION = Rule(
    id="A-FIN-35", citation=Citation(S003_10, "三(三)3"),
    summary_zh="年终奖金、壹万元以上固定资产支出以及其他一万元以上的特殊支出等，需经党工委或党工委扩大会议研究同意。",
    summary_en="Year-end bonuses, and fixed-asset or other spending of 10 000 yuan or more, need a prior decision "
               "of the party working committee (or its enlarged meeting).",
    params=CommitteeParams(10000_00, ("year_end_bonus",)))


@COMMITTEE_DECISION.decides
def committee_decision(p: CommitteeParams, *, amount_fen: int, kind: str) -> bool:
    """Every street expense from the bound on counts as 一万元以上的特殊支出 *(inferred: the seed lists
    fixed assets and "other special spending" without defining special)*."""
    return amount_fen >= p.from_fen or kind in p.always


COMMITTEE_DECISION_FIRST = duty_rule(
    "A-FIN-35", Citation(S003_10, "三(三)3"),
    "需经党工委或党工委扩大会议研究同意的开支，须先登记会议决定再审批。",
    "The working committee's decision is recorded before anyone approves.",
    code="decision_required", message_zh="本笔开支须先经党工委（扩大）会议研究同意，请先登记决定",
    message_en="The party working committee must decide this expense first; record its decision",
    variant="first")


@dataclass(frozen=True)
class OnePenParams:
    approver: str


ONE_PEN = Rule(
    id="A-FIN-20", citation=Citation(S003_1, "六 2"),
    summary_zh="实行“一支笔”审批办事处一切行政开支（各项费用开支由主任一支笔签字报销，003 第10篇 三(四)2）。",
    summary_en="One single approver (the director) approves all administrative spending.",
    params=OnePenParams("director"))


@ONE_PEN.decides
def one_pen(p: OnePenParams) -> str:
    return p.approver


@dataclass(frozen=True)
class OwnClaimParams:
    own: str       # the one-pen approver …
    instead: str   # … whose own claims this post approves


OWN_CLAIM = Rule(
    id="A-FIN-39", citation=Citation(S003_10, "三(四)2"),
    summary_zh="各项费用开支由主任一支笔签字报销，主任个人因公支出由书记审签；任何人不得审批本人的报销。",
    summary_en="The director approves all spending; the director's own spending is approved by the party "
               "secretary. Nobody approves their own claim.",
    params=OwnClaimParams("director", "party_secretary"))


@OWN_CLAIM.decides
def not_own_claim(_p: OwnClaimParams, *, approver_id: int, claimant_id: int, role: str) -> None:
    if approver_id == claimant_id:
        raise OWN_CLAIM.violation("own_claim", "任何人不得审批或会签本人的报销",
                                  "Nobody approves or co-signs their own claim",
                                  {"approver": approver_id, "claimant": claimant_id, "role": role})


STREET_ORDER = duty_rule(
    "A-FIN-36", Citation(S003_10, "三(三)4"),
    "经手人、科室负责人、分管领导、纪工委书记会签后，街道主要负责人方可审批。",
    "All co-signatures come before the principal leader's approval.",
    code="step_out_of_order", message_zh="须按会签顺序签字，前一步尚未完成",
    message_en="Signatures follow the route; an earlier step is still open", variant="order")


# Both levels ------------------------------------------------------------------------------------------------

REFUSAL = record_rule(
    "A-FIN-37", Citation(S003_10, "三(三)4"), ("reason",),
    "凡手续不全，事由不明确，报账员有权拒绝（社区：财会人员有权拒绝支付或报销，001 附件三 六(三)）。",
    "Incomplete or unclear claims may be refused, with the reason recorded.", code="reason_required")
VOUCHER_REQUIRED = duty_rule(
    "A-FIN-02", Citation(S001, "六(二)"),
    "收有凭，支有据，所有收支必须入账管理。",
    "Every receipt and payment has a voucher and is booked.",
    code="voucher_required", message_zh="没有凭证的收支不能入账",
    message_en="An entry without a voucher cannot be posted")
NO_INFORMAL_SLIP = duty_rule(
    "A-FIN-05", Citation(S001, "六(三)"),
    "禁止使用白条下账。", "Informal slips (白条) may not be booked.",
    code="informal_slip", message_zh="白条不能作为凭证入账", message_en="An informal slip is not a voucher")
DEPARTURE_AUDIT = duty_rule(
    "A-FIN-09", Citation(S001, "六(六)"),
    "掌管社区经费的社区居委会正、副主任和职业社区工作者离岗时要接受街道办事处和有关部门的审计，并办理财务交接手续。",
    "Whoever held the funds is audited by the street when leaving and hands the finances over.",
    code="departure_audit_missing", message_zh="掌管经费的人员离岗须有离岗审计和财务交接记录",
    message_en="A fund holder leaves only with a departure audit and a handover record")
CASHIER_SEPARATE = duty_rule(
    "A-FIN-01", Citation(S001, "六(一)"),
    "会计、出纳要分设；社区居委会主任不得兼任出纳。",
    "Accountant and cashier are different persons; the committee director is never cashier.",
    code="cashier_incompatible", message_zh="会计与出纳须分设，居委会主任不得兼任出纳",
    message_en="Accountant and cashier are different persons, and the director is never cashier")
MONTHLY_STATEMENT = record_rule(
    "A-FIN-43", Citation(S003_10, "三(四)6"), ("opening", "income", "expense", "closing"),
    "财会人员每月应将财务报表提供给主管领导一份（日清月结，001 附件三 六(三)）。",
    "Finance staff give the leader in charge a statement every month (daily balance, monthly close).",
    code="statement_incomplete", variant="record")
STATEMENT_DUE = deadline_rule(
    "A-FIN-43", Citation(S003_10, "三(四)6"), 15,
    "财会人员每月应将财务报表提供给主管领导一份；月结报表须在次月15日内编制（期限为推定，可由区调整）。",
    "The month's statement is drawn up within 15 days after the month ends (inferred deadline; CONFIG).",
    action="remind")


@dataclass(frozen=True)
class Route:
    """The approvers of one claim, in order, and what must happen besides their signatures."""

    level: str
    amount_fen: int
    steps: tuple[str, ...]             # approver role identifiers (rules-admin §1.2), in order
    decision_required: bool = False
    decision_body: str = ""            # "member_congress" | "street_party_working_committee"
    decision_rule: str = ""
    filing_required: bool = False      # 备案 (A-FIN-07)
    repair_report_required: bool = False
    rules: tuple[str, ...] = ()        # the rule IDs that shaped the route

    def as_dict(self) -> dict:
        return {"level": self.level, "amount": yuan(self.amount_fen), "route": list(self.steps),
                "decision_required": self.decision_required, "decision_body": self.decision_body or None,
                "decision_rule": self.decision_rule or None, "filing_required": self.filing_required,
                "repair_report_required": self.repair_report_required, "rules": list(self.rules)}


ROUTE_RULES = (SIGNERS, COMMUNITY_APPROVAL, COSIGN, ALL_LEADERS, COMMITTEE_DECISION, ONE_PEN, OWN_CLAIM)


def default_params() -> dict[str, object]:
    return {rule.key: rule.params for rule in ROUTE_RULES}


def expense_route(*, level: str, amount_fen: int, kind: str = "ordinary", claimant_roles: Iterable[str] = (),
                  director_is_secretary: bool = False, params: Mapping[str, object] | None = None) -> Route:
    """The ordered approvers of an expense of `amount_fen` at a community or the street office.

    `claimant_roles` are the posts the claimant holds there (the director's own claim routes elsewhere);
    `params` maps rule keys to the parameters in force (the district's rulebook version), default the
    catalogue's. Community: A-FIN-04 signers, then A-FIN-07 by amount. Street: A-FIN-36 co-signers, every
    leadership member from the A-FIN-34 bound, the A-FIN-20 one pen last (A-FIN-39: the director's own claim
    goes to the party secretary); A-FIN-35 adds the working committee's decision."""
    p = {**default_params(), **(params or {})}
    roles = frozenset(claimant_roles)
    if amount_fen <= 0:
        raise ValueError("an expense is a positive amount")
    if level == COMMUNITY:
        steps = community_signers(p[SIGNERS.key], director_is_secretary=director_is_secretary,
                                  claimant_is_director="rc_director" in roles)
        band = community_approval(p[COMMUNITY_APPROVAL.key], amount_fen=amount_fen)
        return Route(COMMUNITY, amount_fen, steps + band["street_approvers"],
                     decision_required=band["decision_required"],
                     decision_body="member_congress" if band["decision_required"] else "",
                     decision_rule=COMMUNITY_APPROVAL.id if band["decision_required"] else "",
                     filing_required=band["filing_required"], rules=(SIGNERS.id, COMMUNITY_APPROVAL.id))
    if level != STREET:
        raise ValueError(f"unknown level {level!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    steps = list(street_cosigners(p[COSIGN.key]))
    used = [COSIGN.id]
    leaders = all_leaders(p[ALL_LEADERS.key], amount_fen=amount_fen)
    if leaders:
        steps.append("leadership_member")
        used.append(ALL_LEADERS.id)
    final = one_pen(p[ONE_PEN.key])
    used.append(ONE_PEN.id)
    own: OwnClaimParams = p[OWN_CLAIM.key]
    if final == own.own and own.own in roles:
        final = own.instead
        used.append(OWN_CLAIM.id)
    steps.append(final)
    decision = committee_decision(p[COMMITTEE_DECISION.key], amount_fen=amount_fen, kind=kind)
    if decision:
        used.append(COMMITTEE_DECISION.id)
    return Route(STREET, amount_fen, tuple(steps), decision_required=decision,
                 decision_body="street_party_working_committee" if decision else "",
                 decision_rule=COMMITTEE_DECISION.id if decision else "",
                 repair_report_required=leaders and kind == "building_repair", rules=tuple(used))
