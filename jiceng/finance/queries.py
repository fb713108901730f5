"""Read helpers shared by the screens and the API."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import posts
from .models import Claim, Step


def claims_visible(user):
    return Claim.objects.visible_to(user).select_related("area", "claimant").prefetch_related("steps")


def person_of(user) -> int | None:
    account = getattr(user, "account", None)
    return account.person_id if account is not None else None


def awaiting(user):
    """Pending claims whose current stage has an open step this user's person may sign today (the inbox);
    their own claims are left out (A-FIN-39)."""
    person_id = person_of(user)
    if person_id is None:
        return Claim.objects.none()
    pairs = posts.held_pairs(person_id, timezone.localdate())
    signable = Q(person_id=person_id) | (Q(person__isnull=True) & posts.pairs_q(pairs))
    open_steps = Step.objects.filter(signable, claim=OuterRef("pk"), stage=OuterRef("current_stage"),
                                     signed_at__isnull=True)
    return (claims_visible(user).filter(status=Claim.Status.PENDING).filter(Exists(open_steps))
            .exclude(claimant_id=person_id))
