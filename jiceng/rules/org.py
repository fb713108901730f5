"""Organisation-structure rules (rules-core.md §2.1, R-ORG)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Citation, Rule

SEED_004 = "《重庆市街道社区党组织工作规定》"


@dataclass(frozen=True)
class OrgFormParams:
    min_members: int            # 3以上: fewer cannot form a standalone organisation
    branch_max: int             # 50以下 (inclusive)
    general_branch_min: int     # 50以上 (inclusive) — at exactly 50 both forms fit (C-04)
    general_branch_max: int     # 100以下 (inclusive)
    committee_min: int          # 超过100 → 101


ORG_FORM = Rule(
    id="R-ORG-03",
    citation=Citation(SEED_004, "第四条"),
    summary_zh="党员3名以上、50名以下设党支部；50名以上、100名以下设党总支；超过100名设党委。",
    summary_en="3–50 members: party branch; 50–100: general branch; more than 100: party committee.",
    params=OrgFormParams(min_members=3, branch_max=50, general_branch_min=50, general_branch_max=100,
                         committee_min=101),
)

COMMITTEE_EXCEPTION = Rule(
    id="R-ORG-04",
    citation=Citation(SEED_004, "第四条"),
    summary_zh="党员人数接近100名、“两新”组织较多的，经上级党组织批准，也可设立党委。",
    summary_en="A community near 100 members may form a party committee with the superior organisation's "
               "approval.",
    params=None,
    part_of="R-ORG-03",
)

STANDALONE_MINIMUM = Rule(
    id="R-ORG-05",
    citation=Citation(SEED_004, "第六条"),
    summary_zh="暂不具备单独建立党组织条件的（党员不足3名），采取联建、挂靠、派驻党建指导员等方式。",
    summary_en="Where fewer than 3 members cannot form their own organisation, use joint, affiliated or "
               "instructor modes.",
    params=None,
    part_of="R-ORG-03",
)

FORM_LABELS = {"party_branch": ("党支部", "party branch"),
               "general_party_branch": ("党总支", "general party branch"),
               "party_committee": ("党委", "party committee")}


def fitting_forms(p: OrgFormParams, members: int) -> list[str]:
    """Every form that `members` party members may take without an approval (C-04: 50 fits two)."""
    forms = []
    if p.min_members <= members <= p.branch_max:
        forms.append("party_branch")
    if p.general_branch_min <= members <= p.general_branch_max:
        forms.append("general_party_branch")
    if members >= p.committee_min:
        forms.append("party_committee")
    return forms


@ORG_FORM.decides
def party_org_form(p: OrgFormParams, *, members: int, org_type: str, standalone: bool,
                   committee_approved: bool) -> None:
    """Refuse a community party organisation whose form does not fit its member count.

    R-ORG-05: a standalone organisation needs at least `min_members`; joint, affiliated or
    instructor-assigned organisations are not judged by size. R-ORG-04: a committee below
    `committee_min` members stands only with the superior organisation's approval on record.
    """
    if not standalone:
        return
    if members < p.min_members:
        raise STANDALONE_MINIMUM.violation(
            "too_few_members_for_standalone_org",
            f"党员{members}名，不足{p.min_members}名，不能单独建立党组织，应采取联建、挂靠或派驻党建指导员方式",
            f"{members} members are fewer than {p.min_members}: no standalone organisation; "
            "use a joint, affiliated or instructor-assigned mode",
            {"members": members, "min_members": p.min_members})
    if org_type in fitting_forms(p, members):
        return
    if org_type == "party_committee":
        if committee_approved:
            return
        raise COMMITTEE_EXCEPTION.violation(
            "committee_exception_requires_approval",
            f"党员{members}名，未超过{p.committee_min - 1}名，设立党委须有上级党组织批准",
            f"{members} members do not exceed {p.committee_min - 1}: a party committee needs the "
            "superior organisation's approval",
            {"members": members, "committee_min": p.committee_min})
    zh, en = FORM_LABELS.get(org_type, (org_type, org_type))
    fits = fitting_forms(p, members)
    raise ORG_FORM.violation(
        "org_type_mismatch",
        f"党员{members}名，不符合{zh}的设置条件，应设{'或'.join(FORM_LABELS[f][0] for f in fits)}",
        f"{members} members do not fit a {en}; the form should be "
        f"{' or '.join(FORM_LABELS[f][1] for f in fits)}",
        {"members": members, "org_type": org_type, "fitting": fits})
