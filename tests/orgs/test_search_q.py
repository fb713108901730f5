"""What the search box matches: the lookups `person_search_q` builds for each kind of query."""

from __future__ import annotations

import pytest
from django.db.models import Q

from jiceng.orgs.search import MAX_QUERY_LENGTH, person_search_q


def lookups(q: Q) -> tuple[str, set[tuple[str, object]]]:
    """(connector, {(lookup, value)}) of a flat Q, order-insensitive."""
    assert not q.negated
    children = set()
    for child in q.children:
        assert isinstance(child, tuple), f"nested Q not expected: {child!r}"
        children.add((child[0], tuple(child[1]) if isinstance(child[1], list) else child[1]))
    return q.connector, children


@pytest.mark.parametrize("query, connector, expected", [
    ("", "AND", {("pk__in", ())}),
    ("   \t", "AND", {("pk__in", ())}),
    ("张三", "AND", {("name__contains", "张三")}),
    ("  张 ", "AND", {("name__contains", "张")}),
    ("李Ming", "AND", {("name__contains", "李Ming")}),
    ("zs", "OR", {("name_initials__startswith", "zs"), ("name_pinyin__contains", "zs")}),
    ("ZhangSan", "OR", {("name_initials__startswith", "zhangsan"), ("name_pinyin__contains", "zhangsan")}),
    ("zhang san", "OR", {("name_initials__startswith", "zhangsan"), ("name_pinyin__contains", "zhangsan")}),
    ("ｓａｎ", "OR", {("name_initials__startswith", "san"), ("name_pinyin__contains", "san")}),
    ("1234", "OR", {("phone_tail", "1234"), ("id_tail__endswith", "1234")}),
    ("１２３４", "OR", {("phone_tail", "1234"), ("id_tail__endswith", "1234")}),
    ("002x", "AND", {("id_tail__endswith", "002X")}),
    ("12345", "AND", {("id_tail__endswith", "12345")}),
    ("31002X", "AND", {("id_tail__endswith", "31002X")}),
    ("11010519491231002x", "AND", {("id_number", "11010519491231002X")}),
    ("13812341234", "AND", {("phone", "13812341234")}),
    ("0871-65123456", "AND", {("phone", "0871-65123456")}),
    ("123", "AND", {("name__contains", "123")}),
    ("12X4", "AND", {("name__contains", "12X4")}),
    ("a1", "AND", {("name__contains", "a1")}),
    ("%_'", "AND", {("name__contains", "%_'")}),
    ("1234567890123456789012", "AND", {("name__contains", "1234567890123456789012")}),
])
def test_person_search_q(query, connector, expected):
    assert lookups(person_search_q(query)) == (connector, expected)


def test_query_is_capped():
    q = person_search_q("张" * 80)
    assert lookups(q) == ("AND", {("name__contains", "张" * MAX_QUERY_LENGTH)})


def test_empty_query_matches_nothing_not_everything():
    assert person_search_q("") == Q(pk__in=[])



# One `world` for the whole table: building it hashes several passwords, so it is not repeated per row.
SEARCH_TABLE = [
    ("张三", {"张三"}),
    ("张", {"张三"}),
    ("zs", {"张三"}),
    ("zhang", {"张三"}),
    ("san", {"张三"}),
    ("ZHANG SAN", {"张三"}),
    ("ls", {"李四"}),
    ("s", {"张三", "李四"}),
    ("1234", {"张三"}),
    ("5678", {"李四"}),
    ("13812341234", {"张三"}),
    ("wang", set()),
    ("", set()),
    ("%", set()),
]


@pytest.mark.django_db
def test_search_finds_people(world):
    from jiceng.orgs.models import Person

    for query, expected in SEARCH_TABLE:
        found = set(Person.objects.filter(person_search_q(query)).values_list("name", flat=True))
        assert found == expected, query


@pytest.mark.django_db
def test_search_by_id_tail_and_whole_id_number(world):
    from jiceng.orgs.models import Person

    zhang, li = world.zhang, world.li
    for query in (zhang.id_number[-6:], zhang.id_number[-5:], zhang.id_number.lower()):
        assert list(Person.objects.filter(person_search_q(query))) == [zhang], query
    unused = next(f"{n:04d}" for n in range(10000)
                  if f"{n:04d}" not in (zhang.phone_tail, li.phone_tail)
                  and not zhang.id_tail.endswith(f"{n:04d}") and not li.id_tail.endswith(f"{n:04d}"))
    assert not Person.objects.filter(person_search_q(unused)).exists()
