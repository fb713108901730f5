"""Writing the audit log. `record_event` is the only way an AuditEvent comes into being."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from jiceng.orgs.models import Area

from .models import AuditChain, AuditEvent


def chain_key_for(area: Area | None) -> str:
    """The chain an event about `area` joins: its street's, a district's own, or the system chain."""
    if area is None:
        return "system"
    if area.level == Area.Level.DISTRICT:
        return f"area:{area.pk}"
    # Every tree is rooted at a district (orgs.services.create_area), so the street is the second id of
    # the materialised path: no query per event.
    ancestors = area.ancestor_ids
    return f"street:{ancestors[1]}" if len(ancestors) >= 2 else f"area:{area.pk}"


def record_event(actor, action: str, obj: models.Model | None = None, *, area: Area | None = None,
                 before: dict | None = None, after: dict | None = None,
                 occurred_at: datetime.datetime | None = None) -> AuditEvent:
    """Append one event to the chain of the street that `obj` (or `area`) belongs to, and return it.

    Call it inside the transaction of the change it records, so both commit or neither does; it opens
    its own atomic block as well (in `record_events`), so it also works standalone. `action` is
    "<app>.<past-tense verb>", e.g. "orgs.person_created". `area` defaults to `obj` itself when it is an Area,
    else to `obj.area`.
    `before` and `after` are dicts of what changed; dates and Decimals are stored as strings.
    `occurred_at` (aware) defaults to now; give the earlier time when a change is entered late.

    Personal data (ID numbers, phones, addresses) must be passed already masked by the caller
    (ARCHITECTURE §5): the log is append-only, so anything written here can never be removed.

    Raises ValueError for a malformed action, a naive `occurred_at`, an unsaved `obj` or a float
    that is not finite; TypeError when `before`/`after` are not dicts.
    """
    return record_events(actor, action, [(obj, area, before, after)], occurred_at=occurred_at)[0]


@transaction.atomic
def record_events(actor, action: str, entries: list[tuple[models.Model | None, Area | None, dict | None,
                                                            dict | None]],
                  *, occurred_at: datetime.datetime | None = None) -> list[AuditEvent]:
    """`record_event` for many changes of one kind at once — (obj, area, before, after) each — with one lock
    and one insert per chain instead of one per event: the bulk paths (a roster import) stay fast and still
    leave one event per change. Same checks, same chains, same hashes as one by one; the events come back
    grouped by chain, in the order given within each."""
    if "." not in action.strip("."):
        raise ValueError(f"audit action must read '<app>.<verb>', not {action!r}")
    if occurred_at is not None and timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be timezone-aware")
    if not getattr(actor, "is_authenticated", False):
        actor = None
    by_chain: dict[str, list[tuple]] = {}
    for obj, area, before, after in entries:
        if obj is not None and obj.pk is None:
            raise ValueError(f"save {obj!r} before auditing it")
        if area is None and obj is not None:
            area = obj if isinstance(obj, Area) else getattr(obj, "area", None)
            area = area if isinstance(area, Area) else None
        stored = (_as_stored_json(before, "before"), _as_stored_json(after, "after"))
        by_chain.setdefault(chain_key_for(area), []).append((obj, area, *stored))
    events = []
    for key in sorted(by_chain):  # one lock order for every writer, so two bulk writers cannot deadlock
        head = _locked_head(key)
        now = timezone.now()  # after the lock, so recorded_at follows seq within a chain
        chain = []
        for obj, area, before, after in by_chain[key]:
            event = AuditEvent(
                chain=key,
                seq=head.last_seq + 1,
                prev_hash=head.last_hash,
                actor=actor,
                actor_name=actor.get_username() if actor else "",
                action=action,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                object_repr=str(obj)[:200] if obj is not None else "",
                area=area,
                before=before,
                after=after,
                occurred_at=occurred_at or now,
                recorded_at=now,
            )
            event.hash = event.compute_hash()
            head.last_seq, head.last_hash = event.seq, event.hash
            chain.append(event)
        if len(chain) == 1:
            chain[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(chain)
        head.save(update_fields=["last_seq", "last_hash"])
        events.extend(chain)
    return events


def _locked_head(key: str) -> AuditChain:
    """The head row of chain `key`, locked until the caller's transaction ends (created if new).

    The lock makes concurrent appends to one chain queue up, so two events never get the same seq.
    (SQLite has no row locks; there BEGIN IMMEDIATE already serialises writers.)"""
    head = AuditChain.objects.select_for_update().filter(key=key).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():  # a savepoint, so losing the race below leaves the caller usable
            return AuditChain.objects.create(key=key)
    except IntegrityError:
        # Another transaction created this head between our read and our insert; its commit released
        # the unique index, and now we queue on its row like any other appender.
        return AuditChain.objects.select_for_update().get(key=key)


def _as_stored_json(value: dict | None, name: str) -> dict[str, Any] | None:
    """`value` as it will read back from the JSON column, so that what is hashed is what is stored."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict or None, not {type(value).__name__}")
    try:
        text = json.dumps(value, cls=DjangoJSONEncoder, allow_nan=False)
    except ValueError:
        raise ValueError(f"{name} holds a float that is not finite") from None
    return json.loads(text, parse_float=_float_as_jsonb_returns_it)


def _float_as_jsonb_returns_it(text: str) -> float | int:
    # PostgreSQL's jsonb keeps numbers as decimals: 1e+20 comes back as 100000000000000000000 (an int)
    # and -0.0 as 0.0. Store them that way from the start, or the event would fail verification.
    # `text` is Python's repr of a float, which writes a positive exponent as "e+".
    if "e+" in text:
        return int(Decimal(text))
    return float(text) + 0.0
