"""Every change to party-member affairs: registration, the development pipeline (R-DEV), the dues ledger (R-DUES)
and mobile members (R-MOB).

Each function takes the acting user, checks that the user's person holds the office the step needs on the day,
judges the rules, writes in one transaction, appends an audit event, files the record into the community's party
dossier and — where a member's status changes — creates or ends the orgs Memberships (PARTY_MEMBER /
PROBATIONARY_MEMBER on the community party organisation and the party group) through `orgs.services`, so meetings
and the other apps see who is a member on which day. A refusal raises a DomainError and writes nothing.
"""

from .common import (
                     BRANCH_OFFICERS,
                     GROUP_KINDS,
                     MEMBER_ROLES,
                     PWC_OFFICERS,
                     holds_office,
                     is_branch_officer,
                     party_org_of,
)
from .dues import decide_unpaid, dues_table, pay_dues, publish_dues_summary, set_dues, split_fen
from .members import (
                     approve,
                     last_vote,
                     make_activist,
                     make_target,
                     place_in_group,
                     record_notice_feedback,
                     record_vetting,
                     record_vote,
                     register,
                     reject,
                     set_yearly_plan,
                     start_notice,
                     transfer_out,
                     update_profile,
)
from .mobile import place_key, record_change, record_return, register_departure, report_in, temporary_branch_due

__all__ = ["BRANCH_OFFICERS", "GROUP_KINDS", "MEMBER_ROLES", "PWC_OFFICERS", "approve", "decide_unpaid", "dues_table",
           "holds_office", "is_branch_officer", "last_vote", "make_activist", "make_target", "party_org_of",
           "pay_dues", "place_in_group", "place_key", "publish_dues_summary", "record_change", "record_notice_feedback",
           "record_return", "record_vetting", "record_vote", "register", "register_departure", "reject", "report_in",
           "set_dues", "set_yearly_plan", "split_fen", "start_notice", "temporary_branch_due", "transfer_out",
           "update_profile"]
