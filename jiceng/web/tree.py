"""The scope tree of the home and area pages: nodes with their counts, in a constant number of queries.

A node's counts are the residents living in it or below, the open bodies in it or below, and its direct
sub-areas. Whatever the number of nodes, each count is one GROUP BY query: rows below the nodes are
grouped by the path of the node they fall under (ARCHITECTURE §10: pages do a constant number of
queries whatever the data size).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import StrIndex, Substr

from jiceng.orgs.models import Area, Body, Person


@dataclass(frozen=True)
class Node:
    area: Area
    residents: int
    bodies: int
    children: int


def _bucket(field: str, nodes: list[Area]):
    """An expression giving, for a row whose area path is `field`, the path of the node above it."""
    parent_ids = {node.parent_id for node in nodes}
    if len(parent_ids) == 1 and None not in parent_ids:
        # Siblings: the node's path is the parent's path plus the next "<id>/" segment of the row's
        # path, so one expression serves any number of siblings.
        prefix_length = len(nodes[0].path) - len(nodes[0].path.rstrip("/").rsplit("/", 1)[-1]) - 1
        rest = Substr(F(field), prefix_length + 1)
        return Substr(F(field), 1, Value(prefix_length) + StrIndex(rest, Value("/")),
                      output_field=CharField())
    # Unrelated roots (a user's scope): few by construction, one branch each.
    return Case(*(When(**{f"{field}__startswith": node.path}, then=Value(node.path)) for node in nodes),
                default=Value(""), output_field=CharField())


def _below(field: str, nodes: list[Area]) -> Q:
    q = Q(pk__in=[])
    for node in nodes:
        q |= Q(**{f"{field}__startswith": node.path})
    return q


def _counts(queryset, field: str, nodes: list[Area]) -> dict[str, int]:
    rows = (queryset.filter(_below(field, nodes)).order_by().annotate(bucket=_bucket(field, nodes))
            .values("bucket").annotate(n=Count("pk", output_field=IntegerField())))
    return {row["bucket"]: row["n"] for row in rows}


def nodes_for(areas, user, on: datetime.date) -> list[Node]:
    """`areas` (siblings, or the roots of a scope) with their counts as `user` may see them."""
    areas = list(areas)
    if not areas:
        return []
    residents = _counts(Person.objects.visible_to(user), "area__path", areas)
    bodies = _counts(Body.objects.visible_to(user).active(on), "area__path", areas)
    children = dict(Area.objects.visible_to(user).filter(parent__in=areas).order_by()
                    .values_list("parent").annotate(n=Count("pk")))
    return [Node(area, residents.get(area.path, 0), bodies.get(area.path, 0), children.get(area.pk, 0))
            for area in areas]


def children_of(area: Area, user, on: datetime.date) -> list[Node]:
    return nodes_for(Area.objects.visible_to(user).filter(parent=area).order_by("code"), user, on)
