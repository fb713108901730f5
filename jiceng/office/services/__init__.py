"""Every write of the office app, by topic (STYLE §1: a module past ~500 lines becomes a package)."""

from .documents import (  # noqa: F401
    advance,
    annotate_incoming,
    approve_seal,
    assign_incoming,
    draft_document,
    edit,
    explain_delay,
    refuse_seal,
    register,
    register_incoming,
    reply_incoming,
    request_seal,
    review,
    sign_off,
    use_seal,
)
from .duty import close_shift, record_handover, report_incident, report_upward, set_roster, substitute  # noqa: F401
from .extras import (  # noqa: F401
    approve_gift,
    book_vehicle,
    hold_reception,
    plan_reception,
    register_asset,
    salary_transfer_allowed,
)
from .leave import (  # noqa: F401
    appoint_post,
    approve_leave,
    cancel_leave,
    end_post,
    record_return,
    reject_leave,
    request_leave,
)
from .petitions import (  # noqa: F401
    assign,
    conclude,
    instruct,
    reassign_owner,
    reclassify,
    register_petition,
    reply,
    set_case_leader,
)
from .reports import record_study, submit_report  # noqa: F401
from .rooms import book_room, release_room  # noqa: F401
