"""What the compliance scan checks (rules-core §2.13; every FLAG of the catalogue the system can judge after the
fact). Each check reads the other apps (never writes them) and yields one `Found` per breach it sees now.

A check whose breach is a condition (a publication overdue, a message unanswered) `cures`: when the scan no longer
sees it, the finding closes itself as cured and stays on record. A check whose breach is an event (an override, a
refused edit, a missed meeting period) does not cure: the finding stays open until a case deals with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from jiceng.orgs.models import Area, Body

CheckFn = Callable[["Scope", datetime.date], Iterable["Found"]]


@dataclass
class Scope:
    """What one pass of the scan looks at: some communities, or the streets (whose own bodies — the working
    committee — hold meetings too)."""

    communities: list[Area] = field(default_factory=list)
    streets: list[Area] = field(default_factory=list)

    @property
    def areas(self) -> list[Area]:
        return self.communities + self.streets

    def bodies_q(self, prefix: str = "") -> Q:
        """Bodies in (or under) the communities, and the streets' own bodies."""
        q = Q(**{f"{prefix}area__in": self.streets}) if self.streets else Q(pk__in=[])
        for community in self.communities:
            q |= Q(**{f"{prefix}area__path__startswith": community.path})
        return q

    def area_of(self, area: Area) -> Area:
        """The community (or street) a body's area belongs to."""
        for candidate in self.areas:
            if area.pk == candidate.pk or (candidate in self.communities and area.path.startswith(candidate.path)):
                return candidate
        return area


@dataclass
class Found:
    key: str
    rule_id: str
    area: Area
    title: str
    subject: object  # a saved model instance
    occurred_on: datetime.date
    evidence: dict = field(default_factory=dict)
    link: str = ""
    responsible_body: Body | None = None


@dataclass(frozen=True)
class Check:
    name: str
    family: str
    cures: bool
    run: CheckFn


CHECKS: dict[str, Check] = {}
FAMILY_LABELS = {"disclosure": "公开", "publication": "结果公布", "meetings": "会议", "decisions": "决策程序",
                 "feedback": "意见答复", "organisation": "组织设置", "overrides": "例外处理", "archives": "档案",
                 "records": "补录", "orglife": "组织生活", "office": "机关事务",
                 "party": "党员管理", "zongzhi": "综治", "finance": "财务"}
LOOKBACK_DAYS = 366


def check(name: str, family: str, *, cures: bool = True) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = Check(name, family, cures, fn)
        return fn

    return register


def _body(community: Area, kind: str, on: datetime.date) -> Body | None:
    return Body.objects.active(on).filter(area=community, kind=kind).order_by("pk").first()


# Disclosure --------------------------------------------------------------------------------------------

@check("disclosure.overdue", "disclosure")
def overdue_disclosures(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A periodic publication past its due date (R-ACC-05 with R-DUES-04, R-COMMIT-07, A-OPEN-06)."""
    from jiceng.disclosure.obligations import State, obligations_for
    from jiceng.rules.disclosure import PARTY

    for community_id, rows in obligations_for(scope.communities, today).items():
        for o in rows:
            if o.state != State.OVERDUE:
                continue
            board = "党务公开栏" if o.board == PARTY else "居务公开栏"
            body_kind = Body.Kind.COMMUNITY_PARTY_ORG if o.board == PARTY else Body.Kind.RESIDENTS_COMMITTEE
            yield Found(
                key=f"disclosure.overdue:{community_id}:{o.board}:{o.category}:{o.period_start}", rule_id=o.rule_id,
                area=o.community, subject=o.community,
                title=f"{board}「{o.category_label[:24]}」{o.period_start:%Y-%m}期逾期未公开",
                occurred_on=o.due_on + datetime.timedelta(days=1),
                link=f"/disclosure/obligations/?community={community_id}",
                evidence=o.as_dict(), responsible_body=_body(o.community, body_kind, today))


@check("disclosure.feedback_unanswered", "feedback")
def unanswered_feedback(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A resident's message past its reply deadline (A-OPEN-23, R-PDISC-08)."""
    from jiceng.disclosure.models import Board, Feedback

    by_id = {c.pk: c for c in scope.communities}
    rows = Feedback.objects.filter(community__in=scope.communities, status=Feedback.Status.OPEN, due_on__lt=today)
    for feedback in rows.iterator():
        community = by_id[feedback.community_id]
        body_kind = Body.Kind.COMMUNITY_PARTY_ORG if feedback.board == Board.PARTY else Body.Kind.RESIDENTS_COMMITTEE
        yield Found(key=f"disclosure.feedback_unanswered:{feedback.pk}", rule_id="A-OPEN-23", area=community,
                    subject=feedback, title=f"居民反馈{feedback.tracking_code}超过答复期限未答复",
                    occurred_on=feedback.due_on + datetime.timedelta(days=1),
                    link=f"/disclosure/feedback/{feedback.pk}/",
                    evidence={"received_at": feedback.received_at.isoformat(), "due_on": feedback.due_on.isoformat(),
                              "kind": feedback.kind},
                    responsible_body=_body(community, body_kind, today))


# Meetings ----------------------------------------------------------------------------------------------

@check("meetings.results_unpublished", "publication")
def unpublished_results(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Hearing or evaluation results not published within their days (R-HEAR-15, R-EVAL-12; R-ACC-05)."""
    from jiceng.meetings.models import Meeting
    from jiceng.meetings.services import results_due_on, spec_of

    held = (Meeting.objects.filter(scope.bodies_q("body__"), held_at__isnull=False, results_published_on__isnull=True)
            .exclude(status=Meeting.Status.CANCELLED).select_related("body__area"))
    for meeting in held.iterator():
        rule = spec_of(meeting).publish
        due = results_due_on(meeting)
        if rule is None or due is None or due >= today:
            continue
        yield Found(key=f"meetings.results_unpublished:{meeting.pk}", rule_id=rule.id,
                    area=scope.area_of(meeting.body.area),
                    subject=meeting, title=f"「{meeting.title}」结果逾期未公布",
                    occurred_on=due + datetime.timedelta(days=1),
                    link=f"/meetings/{meeting.pk}/", evidence={"held_on": meeting.occurred_on.isoformat(),
                                                               "due_on": due.isoformat()},
                    responsible_body=meeting.body)


@check("meetings.cadence_missed", "meetings", cures=False)
def missed_meetings(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A body's recurring meeting not held in a period that has ended (R-MTG, A-PARTY-01, R-JOINT …)."""
    from jiceng.meetings.schedules import overdue_bodies

    for behind in overdue_bodies(Body.objects.filter(scope.bodies_q()), today, include_caught_up=True):
        community = scope.area_of(behind.body.area)
        for o in behind.obligations:
            if o.previous is None or o.previous.met:
                continue
            yield Found(
                key=f"meetings.cadence_missed:{behind.body.pk}:{o.rule_id}:{o.kind}:{o.previous.start}",
                rule_id=o.rule_id, area=community, subject=behind.body,
                title=f"{behind.body.name}{o.previous.start:%Y-%m}起的{o.period_label}未按规定召开{o.kind_label}",
                occurred_on=o.previous.end + datetime.timedelta(days=1), link=f"/bodies/{behind.body.pk}/",
                evidence={"required": o.previous.required, "held": o.previous.held,
                          "period_start": o.previous.start.isoformat(), "period_end": o.previous.end.isoformat()},
                responsible_body=behind.body)


@check("meetings.overrides", "overrides", cures=False)
def overrides(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Every ENFORCE-O refusal passed with a recorded reason raises a finding (rules-core §0.1)."""
    from jiceng.meetings.models import Meeting

    meetings = Meeting.objects.filter(scope.bodies_q("body__")).exclude(overrides=[]).select_related("body__area")
    for meeting in meetings.iterator():
        community = scope.area_of(meeting.body.area)
        for index, override in enumerate(meeting.overrides):
            yield Found(key=f"meetings.overrides:{meeting.pk}:{index}", rule_id=override["rule"], area=community,
                        subject=meeting, title=f"「{meeting.title}」依例外理由未按{override['rule']}办理",
                        occurred_on=meeting.occurred_on, link=f"/meetings/{meeting.pk}/", evidence=override,
                        responsible_body=meeting.body)


# Decisions ---------------------------------------------------------------------------------------------

@check("decisions.resolution_unpublished", "decisions")
def unpublished_resolutions(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A resolution not made known within R-WF-09's days (R-ACC-05)."""
    from jiceng.decisions.models import Matter
    from jiceng.decisions.presenters import resolution_due

    matters = (Matter.objects.filter(community__in=scope.communities, resolved_at__isnull=False,
                                     status=Matter.Status.OPEN)
               .exclude(steps__step="resolution_published").select_related("community"))
    for matter in matters.iterator():
        due = resolution_due(matter)
        if due >= today:
            continue
        yield Found(key=f"decisions.resolution_unpublished:{matter.pk}", rule_id="R-WF-09", area=matter.community,
                    subject=matter, title=f"「{matter.title}」决议逾期未公开",
                    occurred_on=due + datetime.timedelta(days=1),
                    link=f"/matters/{matter.pk}/", evidence={"resolved_at": matter.resolved_at.isoformat(),
                                                             "due_on": due.isoformat()},
                    responsible_body=_body(matter.community, Body.Kind.RESIDENTS_COMMITTEE, today))


@check("decisions.resolution_edit_refused", "decisions", cures=False)
def refused_edits(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Each refused attempt to change a resolution (R-WF-13, R-ACC-06)."""
    from jiceng.audit.models import AuditEvent
    from jiceng.decisions.models import Matter

    by_id = {c.pk: c for c in scope.communities}
    matters = {str(m.pk): m for m in Matter.objects.filter(community__in=scope.communities)}
    events = AuditEvent.objects.filter(action="decisions.resolution_edit_refused", object_id__in=list(matters))
    for event in events.iterator():
        matter = matters[event.object_id]
        yield Found(key=f"decisions.resolution_edit_refused:{event.pk}", rule_id="R-WF-13",
                    area=by_id[matter.community_id], subject=matter, title=f"试图变更「{matter.title}」已形成的决议",
                    occurred_on=timezone.localdate(event.occurred_at), link=f"/matters/{matter.pk}/",
                    evidence={"by": event.actor_name, "attempted": (event.after or {}).get("attempted", "")})


@check("decisions.outside_method", "decisions")
def decisions_outside_method(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A residents' meeting decided a topic of the method (E-04) that no matter links to (R-WF-01, R-ACC-04)."""
    from jiceng.decisions.models import StepRecord
    from jiceng.meetings.models import AgendaItem, Kind
    from jiceng.rules.meetings import COUNCIL_TOPICS

    by_id = {c.pk: c for c in scope.communities}
    linked = StepRecord.objects.filter(agenda_item__isnull=False).values("agenda_item_id")
    residents_meetings = [Kind.RESIDENT_REPRESENTATIVES_MEETING, Kind.RESIDENTS_ASSEMBLY]
    items = (AgendaItem.objects.filter(meeting__body__area__in=scope.communities, status=AgendaItem.Status.PASSED,
                                       topic__in=COUNCIL_TOPICS, meeting__kind__in=residents_meetings)
             .exclude(pk__in=linked).select_related("meeting__body"))
    for item in items.iterator():
        yield Found(key=f"decisions.outside_method:{item.pk}", rule_id="R-WF-01",
                    area=by_id[item.meeting.body.area_id],
                    subject=item, title=f"「{item.title}」未经“一征三议两公开”程序作出决定",
                    occurred_on=item.meeting.occurred_on, link=f"/meetings/{item.meeting_id}/",
                    evidence={"topic": item.topic, "meeting": item.meeting.title}, responsible_body=item.meeting.body)


# Organisation and archives -----------------------------------------------------------------------------

@check("orgs.form_drift", "organisation")
def drifted_forms(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A community party organisation whose size no longer fits its form (R-ORG-03)."""
    from jiceng.orgs.queries import drifted_party_orgs

    by_id = {c.pk: c for c in scope.communities}
    for drift in drifted_party_orgs(Body.objects.filter(area__in=scope.communities), today):
        body = drift["body"]
        yield Found(key=f"orgs.form_drift:{body.pk}:{body.org_type}", rule_id="R-ORG-03", area=by_id[body.area_id],
                    subject=body, title=f"{body.name}党员{drift['members']}名，与现组织形式不符", occurred_on=today,
                    link=f"/bodies/{body.pk}/", evidence={"members": drift["members"], "org_type": body.org_type,
                                                          "fitting": list(drift["fitting"])},
                    responsible_body=body)


@check("archives.integrity", "archives")
def altered_records(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """An archive record that no longer matches its hash (R-ACC-15, R-ARCH-02)."""
    from jiceng.archives.models import Record
    from jiceng.archives.services import digest

    records = (Record.objects.filter(scope.bodies_q("dossier__")).select_related("dossier__area")
               .only("pk", "title", "content", "sha256", "dossier_id", "dossier__area"))
    for record in records.iterator(chunk_size=500):
        if digest(record.content) == record.sha256:
            continue
        community = scope.area_of(record.dossier.area)
        yield Found(key=f"archives.integrity:{record.pk}", rule_id="R-ACC-15", area=community, subject=record,
                    title=f"档案「{record.title[:40]}」内容与归档摘要不符", occurred_on=today,
                    link=f"/archives/{record.dossier_id}/", evidence={"sha256": record.sha256})


@check("decisions.unsupervised", "decisions", cures=False)
def unsupervised_matters(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """A matter closed without a single supervision remark during its implementation (R-ACC-07, R-WF-10)."""
    from jiceng.decisions.models import Matter, Progress

    supervised = Progress.objects.filter(kind=Progress.Kind.REMARK).values("matter_id")
    matters = (Matter.objects.filter(community__in=scope.communities, status=Matter.Status.CLOSED)
               .exclude(pk__in=supervised).select_related("community"))
    for matter in matters.iterator():
        closed = matter.steps.filter(step="closed").first()
        yield Found(key=f"decisions.unsupervised:{matter.pk}", rule_id="R-ACC-07", area=matter.community,
                    subject=matter, title=f"「{matter.title}」实施过程中没有监督记录",
                    occurred_on=timezone.localdate(closed.occurred_at) if closed else today,
                    link=f"/matters/{matter.pk}/", evidence={"matter": matter.pk},
                    responsible_body=_body(matter.community, Body.Kind.SUPERVISION_COMMITTEE, today))


@check("audit.late_entry", "records", cures=False)
def late_entries(scope: Scope, today: datetime.date) -> Iterator[Found]:
    """Something recorded more days after it happened than the district allows (JC-SYS-01; ARCHITECTURE §4)."""
    from django.db.models import F

    from jiceng.audit.models import AuditEvent
    from jiceng.rules.accountability import LATE_ENTRY
    from jiceng.rules.base import Rulebook

    book = Rulebook.for_areas(scope.areas)
    since = timezone.now() - datetime.timedelta(days=LOOKBACK_DAYS)
    for area in scope.areas:
        params, _version = book.params(LATE_ENTRY, area, today)
        if not params.days:
            continue
        area_q = Q(area=area) if area in scope.streets else Q(area__path__startswith=area.path)
        late = (AuditEvent.objects.filter(area_q, recorded_at__gte=since,
                                          recorded_at__gt=F("occurred_at") + datetime.timedelta(days=params.days))
                .order_by("pk"))
        for event in late.iterator():
            lag = (event.recorded_at - event.occurred_at).days
            if not LATE_ENTRY.decide(params, lag_days=lag):
                continue
            yield Found(key=f"audit.late_entry:{event.pk}", rule_id=LATE_ENTRY.id, area=area, subject=event,
                        title=f"「{event.action}」在发生{lag}天后才补录",
                        occurred_on=timezone.localdate(event.occurred_at),
                        evidence={"action": event.action, "by": event.actor_name, "lag_days": lag,
                                  "occurred_at": event.occurred_at.isoformat(),
                                  "recorded_at": event.recorded_at.isoformat()})
