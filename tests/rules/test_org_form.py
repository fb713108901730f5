import pytest

from jiceng.core.errors import RuleViolation
from jiceng.rules.base import check
from jiceng.rules.org import ORG_FORM


@pytest.mark.parametrize(("members", "org_type", "approved", "refused_by"), [
    (2, "party_branch", False, "R-ORG-05"),            # fewer than 3: no standalone organisation
    (3, "party_branch", False, None),                  # 3以上 includes 3
    (50, "party_branch", False, None),                 # 50以下 includes 50 …
    (50, "general_party_branch", False, None),         # … and so does 50以上 (C-04)
    (49, "general_party_branch", False, "R-ORG-03"),   # one below the general branch
    (51, "party_branch", False, "R-ORG-03"),           # one above the branch
    (100, "general_party_branch", False, None),        # 100以下 includes 100
    (100, "party_committee", False, "R-ORG-04"),       # not 超过100: needs approval
    (100, "party_committee", True, None),              # … which it has
    (101, "party_committee", False, None),             # 超过100
    (101, "general_party_branch", False, "R-ORG-03"),
])
def test_party_org_form_edges(members, org_type, approved, refused_by):
    facts = {"members": members, "org_type": org_type, "standalone": True, "committee_approved": approved}
    if refused_by is None:
        check(ORG_FORM, **facts)
        return
    with pytest.raises(RuleViolation) as refused:
        check(ORG_FORM, **facts)
    assert refused.value.rule_id == refused_by
    assert refused_by in refused.value.message and "第" in refused.value.message  # cites ID and article
    assert refused_by in refused.value.message_en


def test_joint_organisation_is_not_judged_by_size():
    check(ORG_FORM, members=2, org_type="party_branch", standalone=False, committee_approved=False)
