"""The compliance scan (issue #6 point 1): run every check over the communities of a scope, turn what they see
into findings — idempotently: a breach seen again only moves `last_seen` — close the findings whose condition is
cured, and refresh the monthly compliance figures the dashboard reads."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.audit.services import record_event
from jiceng.orgs.models import Area, Body, Membership, Role

from .checks import CHECKS, Found, Scope
from .models import ComplianceCell, Finding, ScanRun

CHUNK = 200
TREND_MONTHS = 12


def communities_of(scope: Area | None, on: datetime.date):
    qs = Area.objects.active(on).filter(level=Area.Level.COMMUNITY)
    if scope is not None:
        qs = qs.filter(path__startswith=scope.path)
    return qs.order_by("pk")


def streets_of(scope: Area | None, on: datetime.date):
    """The streets a scan of `scope` covers: those under it, or the one it lies in."""
    qs = Area.objects.active(on).filter(level=Area.Level.STREET)
    if scope is None:
        return qs.order_by("pk")
    if scope.level in (Area.Level.DISTRICT, Area.Level.STREET):
        return qs.filter(path__startswith=scope.path).order_by("pk")
    return qs.none()  # a community's scan leaves the street's own bodies to the street


class Responsibility:
    """R-ORG-12 on the day of the breach: the PWC secretary (first), the community party secretary (specific),
    the PWC's supervising leader (direct, for the street's own work). Looked up once per street/community."""

    def __init__(self):
        self._cache: dict[tuple, int | None] = {}

    def _holder(self, area: Area | None, body_kind: str, role: str, on: datetime.date) -> int | None:
        if area is None:
            return None
        key = (area.pk, body_kind, role, on)
        if key not in self._cache:
            self._cache[key] = (Membership.objects.on(on).filter(body__area=area, body__kind=body_kind, role=role)
                                .order_by("pk").values_list("person_id", flat=True).first())
        return self._cache[key]

    def of(self, area: Area, on: datetime.date) -> dict:
        street = area.ancestor_at(Area.Level.STREET) if area.level != Area.Level.STREET else area
        community = area if area.level == Area.Level.COMMUNITY else None
        return {"first_responsible_id": self._holder(street, Body.Kind.PARTY_WORKING_COMMITTEE, Role.PWC_SECRETARY, on),
                "specific_responsible_id": self._holder(community, Body.Kind.COMMUNITY_PARTY_ORG,
                                                        Role.COMMUNITY_PARTY_SECRETARY, on),
                "direct_responsible_id": None if community else self._holder(
                    street, Body.Kind.PARTY_WORKING_COMMITTEE, Role.SUPERVISING_LEADER, on)}


def _upsert(found: Found, check_name: str, family: str, now: datetime.datetime, chain: Responsibility) -> bool:
    """Record one breach; True when it is new."""
    existing = Finding.objects.filter(key=found.key).first()
    if existing is not None:
        changes = {"last_seen": now, "evidence": found.evidence}
        if existing.status == Finding.Status.CURED:  # it came back
            changes.update(status=Finding.Status.OPEN, closed_at=None)
        Finding.objects.filter(pk=existing.pk).update(**changes)
        return False
    finding = Finding.objects.create(
        key=found.key, check_name=check_name, family=family, rule_id=found.rule_id, area=found.area,
        title=found.title[:300], subject_type=found.subject._meta.label_lower, subject_id=found.subject.pk,
        link=found.link, evidence=found.evidence, occurred_on=found.occurred_on,
        responsible_body=found.responsible_body, first_seen=now, last_seen=now,
        **chain.of(found.area, found.occurred_on))
    record_event(None, "accountability.finding_opened", finding, area=found.area,
                 after={"rule": found.rule_id, "key": found.key})
    return True


def run_scan(scope: Area | None = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """Scan the communities of `scope` (all when None); return {"opened", "seen", "cured"} and per check counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts: dict[str, int] = defaultdict(int)
    chain = Responsibility()
    communities = list(communities_of(scope, today))
    passes = [Scope(communities=communities[start:start + CHUNK]) for start in range(0, len(communities), CHUNK)]
    passes.append(Scope(streets=list(streets_of(scope, today))))
    for part in passes:
        for name, check in CHECKS.items():
            seen: set[str] = set()
            with transaction.atomic():
                for found in check.run(part, today):
                    if found.area is None or found.key in seen:
                        continue
                    seen.add(found.key)
                    counts["opened" if _upsert(found, name, check.family, now, chain) else "seen"] += 1
                    counts[name] += 1
                if check.cures:
                    counts["cured"] += _cure(name, part.areas, seen, now)
        if part.communities:
            refresh_cells(part.communities, today)
    return dict(counts)


def _cure(check_name: str, communities: list[Area], seen: set[str], now: datetime.datetime) -> int:
    gone = (Finding.objects.filter(check_name=check_name, status=Finding.Status.OPEN, area__in=communities)
            .exclude(key__in=seen))
    cured = 0
    for finding in gone.select_for_update():
        finding.status, finding.closed_at = Finding.Status.CURED, now
        finding.save(update_fields=["status", "closed_at"])
        record_event(None, "accountability.finding_cured", finding, area=finding.area, after={"key": finding.key})
        cured += 1
    return cured


def scan_once_today(now: datetime.datetime) -> bool:
    """Claim today's full scan; False when another tick (or machine) already has it."""
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            _run, created = ScanRun.objects.get_or_create(day=day, scope=None)
    except IntegrityError:  # another tick created it between our read and our insert
        return False
    return created


# The dashboard's figures -------------------------------------------------------------------------------

def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def refresh_cells(communities: list[Area], today: datetime.date) -> None:
    """Recompute, for the last TREND_MONTHS months, how many obligations of each family fell due per community and
    how many were met on time or late. Written in one transaction per chunk; read by the dashboard only."""
    since = _month(today - datetime.timedelta(days=31 * (TREND_MONTHS - 1)))
    cells: dict[tuple[int, datetime.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])

    def count(community_id: int, due: datetime.date, family: str, on_time: bool, late: bool) -> None:
        if due < since or due >= today:
            return
        cell = cells[(community_id, _month(due), family)]
        cell[0] += 1
        cell[1] += int(on_time)
        cell[2] += int(late)

    _disclosure_figures(communities, today, count)
    _meeting_figures(communities, today, count)
    _feedback_figures(communities, since, today, count)
    _publication_figures(communities, since, today, count)
    with transaction.atomic():
        ComplianceCell.objects.filter(area__in=communities, month__gte=since).delete()
        ComplianceCell.objects.bulk_create([
            ComplianceCell(area_id=area_id, month=month, family=family, due=due, on_time=on_time, late=late)
            for (area_id, month, family), (due, on_time, late) in cells.items()])


def _disclosure_figures(communities, today, count) -> None:
    from jiceng.disclosure.obligations import State, obligations_for

    for community_id, rows in obligations_for(communities, today).items():
        for o in rows:
            count(community_id, o.due_on, "disclosure", o.state == State.MET, o.state == State.LATE)


def _meeting_figures(communities, today, count) -> None:
    """A body's last ended period of each recurring meeting (R-MTG …): due at its end, met or not."""
    from jiceng.meetings.schedules import DUTIES, obligations_of

    paths = Q()
    for community in communities:
        paths |= Q(area__path__startswith=community.path)
    by_path = [(c.path, c.pk) for c in communities]
    bodies = list(Body.objects.active(today).filter(paths, kind__in=list(DUTIES)).select_related("area"))
    for body_id, rows in obligations_of(bodies, today).items():
        body = next(b for b in bodies if b.pk == body_id)
        community_id = next(pk for path, pk in by_path if body.area.path.startswith(path))
        for o in rows:
            if o.previous is not None:
                count(community_id, o.previous.end, "meetings", o.previous.met, False)


def _feedback_figures(communities, since, today, count) -> None:
    from jiceng.disclosure.models import Feedback

    rows = (Feedback.objects.filter(community__in=communities, due_on__gte=since, due_on__lt=today)
            .values_list("community_id", "due_on", "replied_at"))
    for community_id, due_on, replied_at in rows:
        replied_on = timezone.localdate(replied_at) if replied_at else None
        count(community_id, due_on, "feedback", replied_on is not None and replied_on <= due_on,
              replied_on is not None and replied_on > due_on)


def _publication_figures(communities, since, today, count) -> None:
    from jiceng.meetings.models import Meeting
    from jiceng.meetings.services import results_due_on, spec_of

    paths = Q()
    for community in communities:
        paths |= Q(body__area__path__startswith=community.path)
    by_path = [(c.path, c.pk) for c in communities]
    held = (Meeting.objects.filter(paths, held_at__isnull=False).exclude(status=Meeting.Status.CANCELLED)
            .select_related("body__area"))
    for meeting in held.iterator():
        if spec_of(meeting).publish is None:
            continue
        due = results_due_on(meeting)
        community_id = next(pk for path, pk in by_path if meeting.body.area.path.startswith(path))
        published = meeting.results_published_on
        count(community_id, due, "publication", published is not None and published <= due,
              published is not None and published > due)
