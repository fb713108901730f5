"""Mobile and incoming members (R-MOB)."""


from __future__ import annotations

import datetime

from django.db import transaction

from jiceng.accounts import scope
from jiceng.archives import services as archives
from jiceng.audit.services import record_event
from jiceng.core.errors import Conflict
from jiceng.rules import party as r
from jiceng.rules.base import check

from ..models import (
    MobileEpisode,
    PartyMember,
)
from .common import (
    _at,
    _dossier,
    _invalid,
    _judge,
    _locked,
    _not_future,
    _require_officer,
)
from .members import _transfer

# R-MOB -------------------------------------------------------------------------------------------------

def place_key(place: str) -> str:
    return "".join(place.split()).lower()


@transaction.atomic
def register_departure(actor, member: PartyMember, *, reason: str, left_on: datetime.date,
                       return_on: datetime.date | None, place: str, place_known: bool, contact: str,
                       disposition: str, document_no: str = "") -> MobileEpisode:
    """A member goes out (R-MOB-03 registration; R-MOB-02 disposition by time away and certainty of place). A
    transfer of the relation also transfers the member out; otherwise he stays on the roll as a mobile member."""
    member = _locked(member)
    _require_officer(actor, member.community, doing_zh="登记外出党员", doing_en="register departures")
    if member.status not in PartyMember.MEMBERS:
        raise Conflict("只有党员登记外出。", "Only members are registered as mobile.", code="not_a_member")
    if member.mobile_episodes.filter(status=MobileEpisode.Status.AWAY).exists():
        raise Conflict("该党员已登记外出，尚未返回。", "The member is already registered as away.", code="already_away")
    if return_on is not None and left_on is not None and return_on < left_on:
        raise _invalid("return_on", "返回日期早于外出日期。", "The return is before the departure.")
    place = place.strip()
    _judge(r.REGISTRATION, member, left_on or scope.today(), reason=reason.strip(), left_on=left_on, place=place,
           contact=contact.strip(), place_known=place_known)
    fits = _judge(r.MOBILE_DISPOSITION, member, left_on, left_on=left_on, return_on=return_on,
                  place_known=place_known, disposition=disposition).value
    episode = MobileEpisode.objects.create(
        member=member, reason=reason.strip()[:200], left_on=left_on, return_on=return_on, place=place[:120],
        place_key=place_key(place)[:120] if place_known else "", place_known=place_known,
        contact=contact.strip()[:120], disposition=disposition, document_no=document_no.strip()[:60],
        recorded_by=actor)
    record_event(actor, "party.departure_registered", member, area=member.community, occurred_at=_at(left_on),
                 after={"episode": episode.pk, "disposition": disposition, "fitting": fits, "place": place,
                        "left_on": left_on, "return_on": return_on})
    if disposition == r.TRANSFER:
        episode.status = MobileEpisode.Status.TRANSFERRED
        episode.save(update_fields=["status"])
        _transfer(actor, member, min(left_on, scope.today()), place)
    return episode


def temporary_branch_due(episode: MobileEpisode) -> dict | None:
    """R-MOB-04: members of the same community away at the same place; ≥ 3 → the branch should set up a temporary
    branch or group among them."""
    if not episode.place_key:
        return None
    count = MobileEpisode.objects.filter(member__community_id=episode.member.community_id,
                                         status=MobileEpisode.Status.AWAY, place_key=episode.place_key).count()
    due = check(r.TEMPORARY_BRANCH, area=episode.member.community, on=scope.today(), count=count).value
    return {"rule": r.TEMPORARY_BRANCH.id, "place": episode.place, "count": count, "due": due}


def _episode(episode: MobileEpisode) -> MobileEpisode:
    return (MobileEpisode.objects.select_for_update(of=("self",)).select_related("member__community", "member__person")
            .get(pk=episode.pk))


def _require_away(episode: MobileEpisode) -> None:
    if episode.status != MobileEpisode.Status.AWAY:
        raise Conflict("该外出记录已结束。", "The episode is closed.", code="episode_closed",
                       facts={"status": episode.status})


@transaction.atomic
def report_in(actor, episode: MobileEpisode, *, on: datetime.date, inflow_org: str) -> MobileEpisode:
    """R-MOB-05 / R-MOB-01: the member reported to the inflow organisation, where he takes part in daily life."""
    episode = _episode(episode)
    _require_officer(actor, episode.member.community, doing_zh="记录报到", doing_en="record report-in")
    _require_away(episode)
    _not_future(on)
    if not inflow_org.strip():
        raise _invalid("inflow_org", "请填写流入地党组织。", "Give the inflow organisation.")
    episode.reported_in_on, episode.inflow_org = on, inflow_org.strip()[:120]
    episode.save()
    record_event(actor, "party.mobile_reported_in", episode.member, area=episode.member.community,
                 after={"episode": episode.pk, "on": on, "inflow_org": episode.inflow_org})
    return episode


CHANGEABLE = ("place", "contact", "return_on", "inflow_org")


@transaction.atomic
def record_change(actor, episode: MobileEpisode, *, on: datetime.date, **changes) -> MobileEpisode:
    """R-MOB-06: a change of place, employer, residence or contact reported by the member, kept as a log."""
    episode = _episode(episode)
    _require_officer(actor, episode.member.community, doing_zh="记录外出党员变动", doing_en="record changes")
    _require_away(episode)
    unknown = set(changes) - set(CHANGEABLE)
    if unknown or not changes:
        raise _invalid(sorted(unknown)[0] if unknown else "place", "可变更：地点、联系方式、预计返回、流入地党组织。",
                       f"Changeable: {CHANGEABLE}.")
    entry = {"on": on.isoformat(), "before": {}, "after": {}}
    for name, value in changes.items():
        entry["before"][name] = str(getattr(episode, name) or "")
        setattr(episode, name, value)
        entry["after"][name] = str(value or "")
    if "place" in changes and episode.place_known:
        episode.place_key = place_key(episode.place)[:120]
    episode.changes = [*episode.changes, entry]
    episode.save()
    record_event(actor, "party.mobile_changed", episode.member, area=episode.member.community, after=entry)
    return episode


@transaction.atomic
def record_return(actor, episode: MobileEpisode, *, returned_on: datetime.date, check_note: str) -> MobileEpisode:
    """R-MOB-07: closing the episode needs the branch's check of the card and materials and of the member's conduct
    and organisational life while away."""
    episode = _episode(episode)
    member = episode.member
    _require_officer(actor, member.community, doing_zh="登记返回", doing_en="record returns")
    _require_away(episode)
    _not_future(returned_on, "returned_on")
    if returned_on < episode.left_on:
        raise _invalid("returned_on", "返回日期早于外出日期。", "The return is before the departure.")
    _judge(r.RETURN_CHECK, member, returned_on, check_note=check_note)
    episode.status, episode.returned_on, episode.return_check = (MobileEpisode.Status.RETURNED, returned_on,
                                                                 check_note.strip())
    episode.save()
    record_event(actor, "party.mobile_returned", member, area=member.community, occurred_at=_at(returned_on),
                 after={"episode": episode.pk, "returned_on": returned_on})
    archives.file_record(actor, _dossier(member, returned_on.year), kind="party.mobile_returned",
                         title=f"{member.person.name}：外出返回查验", source=episode, occurred_at=_at(returned_on),
                         data={"member": member.pk, "name": member.person.name, "left_on": episode.left_on,
                               "returned_on": returned_on, "place": episode.place, "check": episode.return_check})
    return episode
