"""Party e-education screenings, 党员电化教育播放收看 (rules-core §2.19 R-EDU-02/03 = R-MTG-14).

The meetings engine has no screening kind, so screenings are logged here: date, film from the approved catalogue
(R-EDU-03), the branch committee member who chaired it (R-EDU-02) and the members who watched.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.accounts import scope
from jiceng.accounts.roles import Perm
from jiceng.audit.services import record_event
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.orgs.models import Area, Body, Membership, Person
from jiceng.rules import orglife as r
from jiceng.rules.base import check

from . import access
from .models import EducationFilm, Projectionist, Screening


def approved_films(area: Area, on: datetime.date):
    """Films approved by the district or street above `area` (or at it) and in use on `on`."""
    return (EducationFilm.objects.filter(area_id__in=area.ancestor_ids, approved_on__lte=on)
            .exclude(withdrawn_on__lte=on).order_by("title"))


def add_film(actor, *, area: Area, title: str, approved_on: datetime.date) -> EducationFilm:
    """Add a film to the approved catalogue of a district or street (R-EDU-03): street approvers only."""
    if area.level not in (Area.Level.DISTRICT, Area.Level.STREET) or not scope.has_perm(
            actor, Perm.APPROVE_AS_STREET, area):
        raise PermissionDenied("只有街道或区级审核人员可以审定电教片目录。",
                               "Only street or district approvers keep the catalogue.")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed("请填写片名（200字以内）。", "A title of 1 to 200 characters is required.",
                               facts={"field": "title"})
    with transaction.atomic():
        film = EducationFilm.objects.create(area=area, title=title, approved_on=approved_on)
        record_event(actor, "orglife.film_approved", film, area=area, after={"title": title,
                                                                           "approved_on": approved_on})
        return film


def record_screening(actor, *, party_org: Body, held_on: datetime.date, film: EducationFilm, chair: Person,
                     attendees: list[int], note: str = "") -> Screening:
    """Log one screening (R-EDU-02): the film must be in the approved catalogue (R-EDU-03 `content_not_approved`)
    and the chair a branch committee member on the day (R-EDU-02 `chair_not_committee_member`)."""
    access.require_party_org(party_org)
    access.require_run(actor, party_org)
    if held_on > timezone.localdate():
        raise ValidationFailed("播放日期不能晚于今天。", "The date cannot be in the future.",
                               facts={"field": "held_on"})
    area = party_org.area
    check(r.EDU_CATALOGUE, area=area, on=held_on, satisfied=approved_films(area, held_on).filter(pk=film.pk).exists(),
          film=film.pk)
    chairs = Membership.objects.on(held_on).filter(body=party_org, person=chair, role__in=access.BRANCH_COMMITTEE)
    check(r.EDU_CHAIR, area=area, on=held_on, satisfied=chairs.exists(), chair=chair.pk)
    members = access.members_on(party_org, held_on)
    stray = [pid for pid in attendees if pid not in members]
    if stray:
        raise ValidationFailed("收看人员须是本党组织的党员。", "Attendees must be members of the organisation.",
                               facts={"field": "attendees", "persons": stray})
    with transaction.atomic():
        screening = Screening.objects.create(party_org=party_org, held_on=held_on, film=film, chair=chair,
                                             note=note.strip(), recorded_by=actor)
        screening.attendees.set(attendees)
        record_event(actor, "orglife.screening_recorded", screening, area=area,
                     after={"film": film.title, "held_on": held_on, "attendees": len(attendees)})
        return screening


def projectionists_on(party_org: Body, on: datetime.date):
    return (Projectionist.objects.filter(party_org=party_org, start_on__lte=on)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=on)).select_related("person"))


def projectionist_warning(party_org: Body, on: datetime.date):
    """R-EDU-01 (WARN): the refusal to show when the branch has not one or two projectionists on `on`, else None."""
    return check(r.EDU_PROJECTIONISTS, area=party_org.area, on=on, count=projectionists_on(party_org, on).count()).value


def appoint_projectionist(actor, *, party_org: Body, person: Person, start_on: datetime.date):
    """Record a projectionist from `start_on`; returns (projectionist, R-EDU-01 warning or None)."""
    access.require_party_org(party_org)
    access.require_run(actor, party_org)
    if projectionists_on(party_org, start_on).filter(person=person).exists():
        raise ValidationFailed("此人已是播放员。", "Already a projectionist.", facts={"field": "person"})
    with transaction.atomic():
        row = Projectionist.objects.create(party_org=party_org, person=person, start_on=start_on, recorded_by=actor)
        warning = projectionist_warning(party_org, start_on)
        record_event(actor, "orglife.projectionist_appointed", row, area=party_org.area,
                     after={"person": person.pk, "start_on": start_on,
                            "warning": warning.as_dict() if warning else None})
        return row, warning


def end_projectionist(actor, row: Projectionist, *, end_on: datetime.date):
    """End a projectionist's service on `end_on` (inclusive); returns (row, R-EDU-01 warning the day after)."""
    access.require_run(actor, row.party_org)
    if row.end_on is not None or end_on < row.start_on:
        raise ValidationFailed("结束日期无效。", "Invalid end date.", facts={"field": "end_on"})
    with transaction.atomic():
        row.end_on = end_on
        row.save(update_fields=["end_on"])
        warning = projectionist_warning(row.party_org, end_on + datetime.timedelta(days=1))
        record_event(actor, "orglife.projectionist_ended", row, area=row.party_org.area,
                     after={"end_on": end_on, "warning": warning.as_dict() if warning else None})
        return row, warning
