"""Archive rules (rules-core §2.12 R-ARCH; rules-admin §2.9 A-ARC, §2.10 A-SEC-01; enumeration E-RETENTION).

Retention classes and the series defaults, the 综治 floor, the archivist's handover, loans (who may borrow,
letters and approvals, the default loan period), approval of exports to outside parties, and appraisal and
destruction (the group, expiry, the director-approved list filed with the bureau, three persons, method, classified
files). The numbers live here; services in jiceng/archives gather the facts and call `check`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .base import Citation, Rule
from .shapes import S003_1, S003_10, duty_rule

S000D = "000-D《基层民主科学决策机制档案管理办法》"
S001_3 = "001 第三篇（综治办材料规范化）"
S001_APP3 = "001《社区工作制度》附件三"
S003_10_ARC = f"{S003_10}四(二)档案管理工作十项制度"
E_RETENTION = "rules-admin E-RETENTION（国家档案局令第8号；会计档案管理办法）"

PERMANENT, FIXED_30Y, FIXED_10Y = "permanent", "fixed_30y", "fixed_10y"

# Approvers of loans to outside units (A-ARC-28 "办公室或街办负责人") and of exports to outside parties (A-SEC-01
# "街办领导"): the street's leaders and the head of its office.
STREET_LEADERS = ("pwc_secretary", "pwc_deputy_secretary", "street_office_director", "street_office_deputy_director",
                  "supervising_leader")
OFFICE_HEADS = ("pwc_office_director",)


# Retention (A-ARC-11, A-ARC-23, E-RETENTION) ------------------------------------------------------------------

@dataclass(frozen=True)
class RetentionParams:
    # class -> years kept (None: permanent). E-RETENTION's inferred national defaults; the seed's local table
    # (攀东档[1989]1号) is not included, so a district sets its own in a RulebookVersion.
    classes: dict = field(default_factory=lambda: {PERMANENT: None, FIXED_30Y: 30, FIXED_10Y: 10})
    # series -> default class. The seeds name no class per series: records of the method's matters and the
    # boards' publications are kept permanently (R-ARCH-01 "具有保存价值", R-ARCH-09 "备查"), as are community
    # election records (E-RETENTION) and the fonds file (A-ARC-37); 综治 work files 10 years (A-ARC-50 floor 2).
    series_defaults: dict = field(default_factory=lambda: {
        "matter": PERMANENT, "party_disclosure": PERMANENT, "residents_disclosure": PERMANENT,
        "election": PERMANENT, "fonds": PERMANENT, "zongzhi": FIXED_10Y, "general": FIXED_30Y})
    fallback: str = FIXED_30Y  # a series the table does not name


RETENTION = Rule(
    id="A-ARC-11", citation=Citation(f"{S003_10}四(一)公文归档", "2、3"),
    summary_zh="案卷应当确定保管期限（永久、定期30年、定期10年），保管期限自案卷所属年度的次年1月1日起算。",
    summary_en="Every file gets a retention period (permanent, 30 years, 10 years), counted from 1 January of the "
               "year after the file's year.",
    params=RetentionParams())


@dataclass(frozen=True)
class Retention:
    retention: str
    years: int | None
    until: datetime.date | None  # last day kept; None for permanent or a file not yet closed


@RETENTION.decides
def retention(p: RetentionParams, *, series: str, retention: str | None, base_year: int | None) -> Retention:
    """The class (the series default when `retention` is empty) and the last day of retention.

    `base_year` is the year the file belongs to (a yearly file's year, a matter's closing year); the period runs
    from 1 January of the next year, so "10 years" for 2026 ends on 31 December 2036."""
    chosen = retention or p.series_defaults.get(series, p.fallback)
    if chosen not in p.classes:
        raise RETENTION.violation("invalid_retention_class", f"保管期限「{chosen}」不在保管期限表中",
                                  f"Retention class {chosen!r} is not in the retention table",
                                  {"retention": chosen, "allowed": sorted(p.classes)})
    years = p.classes[chosen]
    until = datetime.date(base_year + years, 12, 31) if years is not None and base_year is not None else None
    return Retention(chosen, years, until)


@dataclass(frozen=True)
class FloorParams:
    minimum_years: dict = field(default_factory=lambda: {"zongzhi": 2})


RETENTION_FLOOR = Rule(
    id="A-ARC-50", citation=Citation(S001_3, "二"),
    summary_zh="综治工作材料至少保留两年。", summary_en="综治 work materials are kept at least two years.",
    params=FloorParams())


@RETENTION_FLOOR.decides
def retention_floor(p: FloorParams, *, series: str, years: int | None) -> None:
    minimum = p.minimum_years.get(series)
    if minimum is None or years is None or years >= minimum:
        return
    raise RETENTION_FLOOR.violation("retention_below_minimum", f"保管期限{years}年，不得少于{minimum}年",
                                    f"Retention of {years} year(s); at least {minimum} required",
                                    {"series": series, "years": years, "minimum": minimum})


@dataclass(frozen=True)
class ExpiryParams:
    remind_at_hour: int = 9  # NOT IN SOURCE: when the reminder goes out


RETENTION_EXPIRY = Rule(
    id="A-ARC-40", citation=Citation(S003_1, "九5"),
    summary_zh="对档案材料的保留、保密时间必须严格掌握：保管期限届满的案卷提请鉴定小组鉴定。",
    summary_en="Retention periods are strictly controlled: a file whose retention has expired goes to the appraisal "
               "group.",
    params=ExpiryParams(), action="remind")


@RETENTION_EXPIRY.decides
def retention_expired(p: ExpiryParams, *, until: datetime.date | None, today: datetime.date) -> bool:
    return until is not None and until < today


# Archivist handover (R-ARCH-07, A-ARC-04, A-ARC-33) -------------------------------------------------------------

HANDOVER_REQUIRED = duty_rule(
    "R-ARCH-07", Citation(S000D, "第七条5"), "档案管理人员调离工作岗位时，应在离职前办妥有关档案交接手续。",
    "An archivist leaving the post completes the handover, naming the successor, before leaving.",
    code="handover_missing", message_zh="尚无指明接替人的档案交接记录，不能结束档案管理人员任职",
    message_en="No handover record names a successor; the archivist's post cannot end")
HANDOVER_ON_CHANGE = duty_rule(
    "A-ARC-04", Citation(S001_APP3, "七(四)"), "档案人员工作变动时要做好交接工作。",
    "When the archivist changes, a handover is done.", code="handover_missing",
    message_zh="档案人员变动须办理交接", message_en="A change of archivist needs a handover", action="record")


@dataclass(frozen=True)
class SignaturesParams:
    signatures: int = 2  # the one handing over and the one taking over


HANDOVER_SLIP = Rule(
    id="A-ARC-33", citation=Citation(S003_10_ARC, "交接制度1"),
    summary_zh="交接时双方必须当面点清数量，双方在交接单上签字。",
    summary_en="Both sides count the items face to face and both sign the handover slip.",
    params=SignaturesParams())


@HANDOVER_SLIP.decides
def handover_slip(p: SignaturesParams, *, items: int, signed: int, distinct: bool) -> None:
    if not distinct:
        raise HANDOVER_SLIP.violation("handover_same_person", "移交人与接收人不能是同一人",
                                      "The one handing over and the successor must be different persons", {})
    if items < 1:
        raise HANDOVER_SLIP.violation("handover_items_missing", "交接单须列明交接的档案及数量",
                                      "The handover slip must list the items handed over", {"items": items})
    if signed < p.signatures:
        raise HANDOVER_SLIP.violation("handover_signature_missing", f"交接单须由双方签字，现有{signed}人签字",
                                      f"Both sides must sign the slip; {signed} signed",
                                      {"signed": signed, "required": p.signatures})


# Loans (A-ARC-27, A-ARC-28, A-ARC-29) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BorrowerParams:
    # "党委委员或街办领导": members of the street's party (working) committee and the street office's leaders.
    roles: tuple[str, ...] = ("pwc_secretary", "pwc_deputy_secretary", "pwc_member", "street_office_director",
                              "street_office_deputy_director")


PARTY_COMMITTEE_LOAN = Rule(
    id="A-ARC-27", citation=Citation(S003_10_ARC, "利用借阅制度1"),
    summary_zh="借阅档案须说明用途；凡借阅党委相关文件，只能是党委委员或街办领导。",
    summary_en="Borrowers state the purpose; party-committee documents are lent only to party committee members or "
               "street leaders.",
    params=BorrowerParams())


@PARTY_COMMITTEE_LOAN.decides
def party_committee_borrower(p: BorrowerParams, *, party_committee: bool, borrower_roles: list[str]) -> None:
    if not party_committee or set(borrower_roles) & set(p.roles):
        return
    raise PARTY_COMMITTEE_LOAN.violation(
        "borrower_not_entitled", "党委相关文件只能借给党委委员或街办领导",
        "Party-committee documents are lent only to party committee members or street leaders",
        {"borrower_roles": sorted(borrower_roles), "allowed": list(p.roles)})


@dataclass(frozen=True)
class ApprovalParams:
    approver_roles: tuple[str, ...] = STREET_LEADERS + OFFICE_HEADS


EXTERNAL_LOAN = Rule(
    id="A-ARC-28", citation=Citation(S003_10_ARC, "利用借阅制度2"),
    summary_zh="外单位查阅档案，必须持单位介绍信，经办公室或街办负责人批准。",
    summary_en="External users need a letter of introduction from their unit and approval by the office or a street "
               "leader.",
    params=ApprovalParams())


@EXTERNAL_LOAN.decides
def external_loan(p: ApprovalParams, *, external: bool, letter: str, approved: bool,
                  approver_roles: list[str]) -> None:
    if not external:
        return
    if not letter:
        raise EXTERNAL_LOAN.violation("introduction_letter_missing", "外单位查阅档案须持单位介绍信",
                                      "An external borrower needs a letter of introduction", {})
    if not approved:
        raise EXTERNAL_LOAN.violation("approval_missing", "外单位查阅档案须经办公室或街办负责人批准",
                                      "An external loan needs the approval of the office or a street leader", {})
    if not set(approver_roles) & set(p.approver_roles):
        raise EXTERNAL_LOAN.violation("approver_not_entitled", "批准人不是办公室负责人或街办领导",
                                      "The approver is neither the head of the office nor a street leader",
                                      {"approver_roles": sorted(approver_roles), "allowed": list(p.approver_roles)})


@dataclass(frozen=True)
class LoanParams:
    days: int = 7  # inferred default loan period (A-ARC-29 "CONFIG")


LOAN_TERMS = Rule(
    id="A-ARC-29", citation=Citation(S003_10_ARC, "利用借阅制度3–5"),
    summary_zh="借阅须登记（用途、批准、归还期限，默认7天）并反馈利用效果；确需摘抄、复印的，必须事先征得同意。",
    summary_en="Every loan is registered with purpose, approval and due date (default 7 days) and feedback on use; "
               "excerpts or copies only with prior consent.",
    params=LoanParams())


@LOAN_TERMS.decides
def loan_due(p: LoanParams, *, lent_on: datetime.date, due_on: datetime.date | None, purpose: str,
             allow_copy: bool, consented: bool) -> datetime.date:
    """The due date: the one given, or `days` after the loan ("7天": lent on the 1st, due on the 8th)."""
    if not purpose.strip():
        raise LOAN_TERMS.violation("purpose_missing", "借阅须说明用途", "A loan must state its purpose", {})
    if allow_copy and not consented:
        raise LOAN_TERMS.violation("copy_consent_missing", "摘抄、复印须事先征得同意（批准人）",
                                   "Copies or excerpts need prior consent (an approver)", {})
    due = due_on or lent_on + datetime.timedelta(days=p.days)
    if due < lent_on:
        raise LOAN_TERMS.violation("due_before_loan", "归还期限早于借出日期", "The due date is before the loan",
                                   {"lent_on": lent_on.isoformat(), "due_on": due.isoformat()})
    return due


# Exports to outside parties (A-SEC-01) -------------------------------------------------------------------------

EXTERNAL_EXPORT = Rule(
    id="A-SEC-01", citation=Citation(f"{S003_10}四(三)", "1"),
    summary_zh="对外提供资料数据，须经街办领导批准。",
    summary_en="Data given to outside parties needs a street leader's approval.",
    params=ApprovalParams(approver_roles=STREET_LEADERS))


@EXTERNAL_EXPORT.decides
def external_export(p: ApprovalParams, *, approved: bool, approver_roles: list[str]) -> None:
    if not approved:
        raise EXTERNAL_EXPORT.violation("external_export_requires_approval", "对外提供档案须有街办领导的批准记录",
                                        "Exporting for an outside party requires a street leader's approval record",
                                        {})
    if not set(approver_roles) & set(p.approver_roles):
        raise EXTERNAL_EXPORT.violation("approver_not_entitled", "批准人不是街办领导",
                                        "The approver is not a street leader",
                                        {"approver_roles": sorted(approver_roles), "allowed": list(p.approver_roles)})


# Destruction (A-ARC-35) ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DestructionParams:
    destroyers: int = 1
    witnesses: int = 2


DESTRUCTION_PERSONS = Rule(
    id="A-ARC-35", citation=Citation(S003_10_ARC, "销毁制度2"),
    summary_zh="销毁档案应由一人销毁，二人监销，三人均在档案销毁报告上签字。",
    summary_en="One person destroys and two witness; all three (distinct) sign the destruction report.",
    params=DestructionParams())


@DESTRUCTION_PERSONS.decides
def destruction_persons(p: DestructionParams, *, destroyer: int | None, witnesses: list[int],
                        signed: bool = True) -> None:
    """Exactly one destroyer and two witnesses, three distinct persons, and all three signed the report."""
    people = ([destroyer] if destroyer else []) + list(witnesses)
    required = p.destroyers + p.witnesses
    if len(witnesses) != p.witnesses or destroyer is None or len(set(people)) != required or not signed:
        raise DESTRUCTION_PERSONS.violation(
            "destruction_persons", f"销毁须由{p.destroyers}人销毁、{p.witnesses}人监销，共{required}名不同人员签字",
            f"Destruction needs {p.destroyers} destroyer and {p.witnesses} witnesses, {required} distinct persons",
            {"persons": len(set(people)), "required": required, "signed": signed})


# Appraisal and the destruction list (A-ARC-30, A-ARC-31) --------------------------------------------------------

HEAD, DEPUTY_HEAD, MEMBER = "head", "deputy_head", "member"


@dataclass(frozen=True)
class AppraisalGroupParams:
    # "由分管档案工作的街办主任或副主任任组长": which of them is in charge of archives is not modelled, so either may.
    head_roles: tuple[str, ...] = ("street_office_director", "street_office_deputy_director")
    # "办公室主任任副组长": the office is the 党政办公室 (A-ARC-12), whose head is orgs' 党办主任.
    deputy_head_roles: tuple[str, ...] = ("pwc_office_director",)
    # "成员由档案员和各科室人员组成": archivists and the sections' staff (机关工作人员); at least one archivist.
    member_roles: tuple[str, ...] = ("archivist", "agency_staff")
    required_member_roles: tuple[str, ...] = ("archivist",)


APPRAISAL_GROUP = Rule(
    id="A-ARC-30", citation=Citation(S003_10_ARC, "鉴定制度1、2"),
    summary_zh="档案鉴定小组由分管档案工作的街办主任或副主任任组长，办公室主任任副组长，成员由档案员和各科室人员组成。",
    summary_en="The appraisal group: head = the street office director or deputy director in charge of archives; "
               "deputy head = the office director; members = archivists and section staff.",
    params=AppraisalGroupParams())


@APPRAISAL_GROUP.decides
def appraisal_group(p: AppraisalGroupParams, *, members: list[dict]) -> None:
    """`members`: [{"person": id, "function": head|deputy_head|member, "roles": [roles held that day]}].

    One head and one deputy head holding their offices, at least one member, every member an archivist or section
    staff, at least one archivist among them, nobody twice."""
    def refuse(problem_zh: str, problem_en: str, **facts):
        raise APPRAISAL_GROUP.violation("appraisal_group_invalid", f"鉴定小组组成不符合规定：{problem_zh}",
                                        f"The appraisal group is not composed as required: {problem_en}",
                                        {"problem": problem_en, **facts})

    persons = [m["person"] for m in members]
    if len(set(persons)) != len(persons):
        refuse("同一人不能重复列入", "a person is listed twice")
    by_function = {f: [m for m in members if m["function"] == f] for f in (HEAD, DEPUTY_HEAD, MEMBER)}
    if len(by_function) != 3 or sum(map(len, by_function.values())) != len(members):
        refuse("职能只能是组长、副组长或成员", "a function is neither head, deputy head nor member")
    for function, roles, zh in ((HEAD, p.head_roles, "组长须为分管档案工作的街办主任或副主任"),
                                (DEPUTY_HEAD, p.deputy_head_roles, "副组长须为办公室主任")):
        found = by_function[function]
        if len(found) != 1 or not set(found[0]["roles"]) & set(roles):
            refuse(zh, f"the {function} must be exactly one person holding {'/'.join(roles)}",
                   function=function, allowed=list(roles))
    plain = by_function[MEMBER]
    if not plain or any(not set(m["roles"]) & set(p.member_roles) for m in plain):
        refuse("成员须由档案员和各科室人员组成", f"members must hold {'/'.join(p.member_roles)}",
               function=MEMBER, allowed=list(p.member_roles))
    if not any(set(m["roles"]) & set(p.required_member_roles) for m in plain):
        refuse("成员中须有档案员", "no archivist among the members", function=MEMBER)


DESTRUCTION_ELIGIBLE = Rule(
    id="A-ARC-31", variant="expired", citation=Citation(S003_10_ARC, "鉴定制度5"),
    summary_zh="只有保管期限已满的档案才能列入销毁清册；仍有保存价值的重新划定保管期限，永久档案不得销毁。",
    summary_en="Only files whose retention has expired go on the destruction list; still-valuable ones are refiled "
               "into a retention class; permanent files are never destroyed.",
    params=None)


@DESTRUCTION_ELIGIBLE.decides
def destruction_eligible(_p, *, until: datetime.date | None, today: datetime.date, dossier: str) -> None:
    """Expired means the last day kept is before `today` (kept to 31 Dec: destroyable from 1 Jan)."""
    if until is not None and until < today:
        return
    raise DESTRUCTION_ELIGIBLE.violation(
        "retention_not_expired", f"案卷「{dossier}」保管期限未满（{until or '永久'}），不能列入销毁清册",
        f"The retention of {dossier!r} has not expired ({until or 'permanent'}); it cannot be listed for "
        "destruction", {"retention_until": until.isoformat() if until else None, "today": today.isoformat()})


@dataclass(frozen=True)
class ClearanceParams:
    approver_roles: tuple[str, ...] = ("street_office_director",)  # "报街办主任批准"


DESTRUCTION_CLEARANCE = Rule(
    id="A-ARC-31", variant="list", citation=Citation(S003_10_ARC, "鉴定制度5"),
    summary_zh="编造“××档案销毁清册”，报街办主任批准，送区档案局备案后，方可销毁。",
    summary_en="The destruction list is approved by the street director and filed with the district archives bureau "
               "before anything is destroyed.",
    params=ClearanceParams())


@DESTRUCTION_CLEARANCE.decides
def destruction_clearance(p: ClearanceParams, *, items: int, approved: bool, approver_roles: list[str],
                          filed: bool | None = None) -> None:
    """Approval (`filed` None) needs a non-empty list and the street director; filing and destruction need the
    approval, and destruction (`filed` given) the filing with the district archives bureau."""
    if items < 1:
        raise DESTRUCTION_CLEARANCE.violation("destruction_list_empty", "销毁清册中没有拟销毁的案卷",
                                              "The destruction list is empty", {"items": items})
    if not approved or not set(approver_roles) & set(p.approver_roles):
        raise DESTRUCTION_CLEARANCE.violation(
            "director_approval_missing", "销毁清册须报街办主任批准", "The destruction list needs the street "
            "director's approval", {"approver_roles": sorted(approver_roles), "allowed": list(p.approver_roles)})
    if filed is False:
        raise DESTRUCTION_CLEARANCE.violation("bureau_filing_missing", "销毁清册须送区档案局备案后方可销毁",
                                              "The list must be filed with the district archives bureau first", {})


# How, where and when (A-ARC-36), classified documents (A-ARC-38) ------------------------------------------------

PULPING, BURNING = "pulping", "burning"


@dataclass(frozen=True)
class MethodParams:
    methods: tuple[str, ...] = (PULPING, BURNING)  # 纸浆法 (large quantities, at the paper mill), 烧毁法


DESTRUCTION_METHOD = Rule(
    id="A-ARC-36", citation=Citation(S003_10_ARC, "销毁制度3"),
    summary_zh="大量档案用纸浆法（押送造纸厂），少量用烧毁法（指定地点）；记录方法、地点和时间，三人待销毁完毕方可离开。",
    summary_en="Pulping for large quantities, burning for small ones at a designated place; method, place and time "
               "are recorded, and all three stay until it is complete.",
    params=MethodParams(), action="record")


@DESTRUCTION_METHOD.decides
def destruction_method(p: MethodParams, *, method: str, place: str, at: datetime.datetime | None) -> None:
    if method not in p.methods:
        raise DESTRUCTION_METHOD.violation("destruction_method_invalid", "销毁方法只能是纸浆法或烧毁法",
                                           "The method must be pulping or burning",
                                           {"method": method, "allowed": list(p.methods)})
    if not place.strip() or at is None:
        raise DESTRUCTION_METHOD.violation("destruction_place_missing", "须记录销毁地点和时间",
                                           "Record the place and time of destruction", {})


@dataclass(frozen=True)
class ClassifiedParams:
    levels: tuple[str, ...] = ("secret", "confidential", "top_secret")  # 秘密以上: 秘密、机密、绝密
    witnesses: int = 2  # "由2人以上监销": two or more


CLASSIFIED_DESTRUCTION = Rule(
    id="A-ARC-38", citation=Citation(f"{S003_10}公文管理", "3"),
    summary_zh="销毁秘密以上级公文应登记，由2人以上监销。",
    summary_en="Destroying classified (秘密 and above) documents needs a register entry and two or more witnesses.",
    params=ClassifiedParams())


@CLASSIFIED_DESTRUCTION.decides
def classified_destruction(p: ClassifiedParams, *, levels: list[str], register_entry: str, witnesses: int) -> None:
    classified = sorted(set(levels) & set(p.levels))
    if not classified:
        return
    if not register_entry.strip():
        raise CLASSIFIED_DESTRUCTION.violation("classified_register_missing", "销毁秘密以上级档案须登记（登记号）",
                                               "Destroying classified files needs a register entry",
                                               {"levels": classified})
    if witnesses < p.witnesses:
        raise CLASSIFIED_DESTRUCTION.violation("classified_witnesses", f"销毁秘密以上级档案须由{p.witnesses}人以上监销",
                                               f"Destroying classified files needs {p.witnesses} or more witnesses",
                                               {"witnesses": witnesses, "required": p.witnesses})
