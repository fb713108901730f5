"""Read helpers shared by screens, API and the dashboard."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from jiceng.rules import org as org_rules

from .models import Body, Membership


def party_member_count(body: Body, on: datetime.date) -> int:
    """Distinct persons whose membership is in the organisation on `on` (a person counts once, R-ORG-08).

    Party groups and grid branches are recorded as bodies of their own; their members are also members
    of the organisation itself, so they are not added again.
    """
    return Membership.objects.on(on).filter(body=body).values("person_id").distinct().count()


def members_on(body: Body, on: datetime.date):
    return (Membership.objects.on(on).filter(body=body).select_related("person")
            .order_by("role", "person__name_pinyin"))


def drifted_party_orgs(bodies, on: datetime.date) -> list[dict]:
    """Community party organisations whose member count no longer fits their form (R-ORG-03).

    Allowed at creation, members come and go; the drift is a warning for the street office until the
    organisation is adjusted (R-ORG-06). One aggregate query for all organisations.
    """
    params = org_rules.ORG_FORM.params
    orgs = (bodies.filter(kind=Body.Kind.COMMUNITY_PARTY_ORG).active(on).select_related("area")
            .annotate(members=Count("memberships__person", distinct=True,
                                    filter=Q(memberships__start_on__lte=on)
                                    & (Q(memberships__end_on__isnull=True) | Q(memberships__end_on__gte=on)))))
    drifted = []
    for org in orgs:
        if org.establishment_mode not in ("", Body.EstablishmentMode.STANDALONE):
            continue
        fits = org_rules.fitting_forms(params, org.members)
        approved = org.org_type == Body.OrgType.PARTY_COMMITTEE and org.form_approval_ref
        if org.org_type not in fits and not approved:
            drifted.append({"body": org, "members": org.members, "org_type": org.org_type, "fitting": fits,
                            "rule": org_rules.ORG_FORM.id})
    return drifted
