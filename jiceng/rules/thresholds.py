"""Exact counting thresholds (rules-core §0.2): a share of a named base, inclusive or strict."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


class Base:
    EXPECTED = "expected"            # 应到人数: fixed before the meeting
    MEMBERS_TOTAL = "members_total"  # 应到会成员: all current members of the body
    PRESENT = "present"              # 出席人员: registered present when the vote is taken
    VALID_BALLOTS = "valid_ballots"
    HOUSEHOLDS = "households"        # 户: the community's registered households (R-RDISC-06)
    RESIDENTS = "residents"          # 居民: the community's registered residents
    RESPONDERS = "responders"        # only those who responded to the publication


BASE_LABELS = {
    Base.EXPECTED: ("名应到人员", "expected attendees"),
    Base.MEMBERS_TOTAL: ("名应到会成员", "members entitled to attend"),
    Base.PRESENT: ("名出席人员", "present"),
    Base.VALID_BALLOTS: ("张有效票", "valid ballots"),
    Base.HOUSEHOLDS: ("户居民", "households"),
    Base.RESIDENTS: ("名居民", "residents"),
    Base.RESPONDERS: ("名反映意见的居民", "residents who responded"),
}


def parse_fraction(value) -> Fraction:
    """"2/3", "0.8", 4/5 or a Fraction: exact, never through a float."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(str(value))


@dataclass(frozen=True)
class Threshold:
    share: Fraction | None  # None: the seeds give no number and the district has not set one (E-20)
    base: str
    strict: bool            # 过半数 / 超过 exclude the bound; 以上 includes it

    def met(self, count: int, base_count: int) -> bool:
        """Cross-multiplied, so 6 of 9 is exactly 2/3. An empty base never meets a threshold."""
        if base_count <= 0 or self.share is None:
            return False
        lhs, rhs = count * self.share.denominator, self.share.numerator * base_count
        return lhs > rhs if self.strict else lhs >= rhs

    def minimum(self, base_count: int) -> int:
        """The smallest count that meets the threshold for `base_count` (e.g. 过半数 of 20 → 11)."""
        need = self.share * base_count
        whole = need.numerator // need.denominator
        if self.strict or need != whole:
            whole += 1
        return max(whole, 1)

    def describe(self, count: int, base_count: int, what_zh: str, what_en: str) -> tuple[str, str]:
        """The arithmetic as a person reads it: "5 赞成 > 9 名应到会成员的 1/2"."""
        zh_base, en_base = BASE_LABELS[self.base]
        if self.met(count, base_count):
            op = ">" if self.strict else "≥"
        else:  # the comparison that does hold, so the line stays true arithmetic
            op = "≤" if self.strict else "<"
        zh = f"{count} {what_zh} {op} {base_count} {zh_base}的 {self.share}"
        en = f"{count} {what_en} {op} {self.share} of {base_count} {en_base}"
        return zh, en

    def with_overrides(self, data: dict) -> Threshold:
        share = data.get("share")
        if share is not None and not 0 < parse_fraction(share) <= 1:
            raise ValueError(f"a share lies in (0, 1], not {share}")
        if data.get("base", self.base) not in BASE_LABELS:
            raise ValueError(f"unknown base {data.get('base')!r}")
        return Threshold(
            share=parse_fraction(data["share"]) if data.get("share") is not None else self.share,
            base=data.get("base", self.base),
            strict=bool(data.get("strict", self.strict)),
        )
