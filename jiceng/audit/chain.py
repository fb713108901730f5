"""Verifying the audit chains: the checks behind `jiceng verify`, reusable by other apps' checks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .models import GENESIS_HASH, AuditChain, AuditEvent


@dataclass(frozen=True)
class Break:
    """The first link of a chain that does not hold."""

    chain: str
    seq: int | None
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        event = f" (event {self.event_id})" if self.event_id is not None else ""
        return f"chain {self.chain} broken at seq {self.seq}{event}: {self.reason}"


@dataclass
class Tally:
    """How much a verification covered (filled in as it goes)."""

    chains: int = 0
    events: int = 0


def verify_chains(tally: Tally | None = None) -> list[Break]:
    """Recompute every chain in seq order and return the first break of each broken chain.

    An event breaks its chain when its seq is not the next one (a gap, or not starting at 1), its
    prev_hash is not the hash of the event before it, or its hash does not match its content. The chain
    head (AuditChain) must point at the last event. Memory stays constant in the number of events.
    """
    tally = tally if tally is not None else Tally()
    # Heads are read before events: an event a head already counts is committed, so the later read of
    # events sees it. Events appended in between are checked against the head as it is then.
    heads = {key: (seq, digest) for key, seq, digest in
             AuditChain.objects.values_list("key", "last_seq", "last_hash")}
    events = AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=2000)
    breaks = []
    for key, chain_events in groupby(events, key=lambda event: event.chain):
        tally.chains += 1
        found = _verify_chain(key, chain_events, heads.pop(key, None), tally)
        if found:
            breaks.append(found)
    for key, (last_seq, _digest) in heads.items():
        if last_seq:
            reason = f"the chain head is at seq {last_seq} but there are no events"
            breaks.append(Break(key, last_seq, None, reason))
    return breaks


def _verify_chain(key: str, events: Iterable[AuditEvent], head: tuple[int, str] | None,
                  tally: Tally) -> Break | None:
    expected_seq, prev_hash, last = 1, GENESIS_HASH, None
    for event in events:
        if event.seq != expected_seq:
            return Break(key, event.seq, event.pk, f"seq gap: expected seq {expected_seq}")
        if event.prev_hash != prev_hash:
            return Break(key, event.seq, event.pk, "prev_hash does not match the hash of the previous event")
        if event.compute_hash() != event.hash:
            return Break(key, event.seq, event.pk, "hash mismatch")
        if head and event.seq == head[0] and event.hash != head[1]:
            return Break(key, event.seq, event.pk, "the chain head's hash does not match this event")
        tally.events += 1
        expected_seq, prev_hash, last = event.seq + 1, event.hash, event
    if head and last.seq < head[0]:
        return Break(key, last.seq, last.pk, f"the chain head is at seq {head[0]}: later events are missing")
    if head and last.seq == head[0]:
        return None
    # No head, or events beyond the head as read at the start: appended since, or forged.
    current = AuditChain.objects.filter(key=key).first()
    if current is None:
        return Break(key, last.seq, last.pk, "the chain has no head")
    if current.last_seq < last.seq:
        return Break(key, last.seq, last.pk, f"event beyond the chain head (at seq {current.last_seq})")
    if current.last_seq == last.seq and current.last_hash != last.hash:
        return Break(key, last.seq, last.pk, "the chain head's hash does not match this event")
    return None
