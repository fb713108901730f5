"""The shapes of meeting rules: citation prefixes of the seeds, parameter dataclasses and the factories that build
a rule object of each shape with its one pure decision function. The rules themselves are in meetings.py, pwc.py
and admin_meetings.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from .base import Rule
from .thresholds import Threshold

S000A = "000-A《社区听证会、议事会、评议会制度》"
S000G = "000-G《街道办事处党工委议事决策规则》"
S000F = "000-F《街道办事处党工委工作细则》"
S000I = "000-I《社区党组织工作细则》"
S002B = "002-B《党支部工作制度》"
S001 = "001《社区工作制度》附件三"
S000J = "000-J《社区党组织书记职责》"
S002A = "002-A《社区党支部工作制度》"
S004 = "《重庆市街道社区党组织工作规定》"
S003_1 = "003 第1篇《街道办事处各项规章制度》"
S003_9 = "003 第9篇《街道办事处各项规章制度》（综治信访维稳中心）"
S003_10 = "003 第10篇《街道办事处工作制度》"
S001_2 = "001 第二篇（乡镇综治办规范化）"

HALF, TWO_THIRDS, FOUR_FIFTHS = Fraction(1, 2), Fraction(2, 3), Fraction(4, 5)


# Shapes ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeParams:
    days: int  # "N日前": event date − notice date ≥ N calendar days (rules-core §0.3)


@dataclass(frozen=True)
class ThresholdParams:
    threshold: Threshold


@dataclass(frozen=True)
class MinimumParams:
    minimum: int


@dataclass(frozen=True)
class DeadlineParams:
    days: int  # "N日内": done date − event date ≤ N


@dataclass(frozen=True)
class CadenceParams:
    count: int     # at least this many held meetings …
    period: str    # … per "month" | "quarter" | "half_year" | "year"
    at_most: int | None = None  # "每月一至二次": the normal upper bound; more is allowed (ad hoc), never flagged


@dataclass(frozen=True)
class RecordParams:
    fields: tuple[str, ...]  # facts the record must hold (RECORD: mandatory fields, attachments, links)


@dataclass(frozen=True)
class SequenceParams:
    steps: tuple[str, ...]             # the order the seed prescribes
    optional: tuple[str, ...] = ()     # steps that may be left out ("涉及…的问题" in A-HEAR-08)


@dataclass(frozen=True)
class CategoryParams:
    allowed: tuple[str, ...]           # categories a person may be listed under
    required: tuple[str, ...] = ()     # categories at least one listed person must have


@dataclass(frozen=True)
class SpanParams:
    minimum: int   # inclusive
    maximum: int   # inclusive


@dataclass(frozen=True)
class EscalationParams:
    trigger: str   # "below_two_thirds" (default, C-09) or "not_unanimous"


@dataclass(frozen=True)
class Outcome:
    passed: bool
    arithmetic_zh: str
    arithmetic_en: str
    basis: dict


def notice_rule(id, citation, days, summary_zh, summary_en, *, code="notice_period_not_met", action="enforce"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=NoticeParams(days), action=action)

    @rule.decides
    def notice_period(p: NoticeParams, *, event_on: datetime.date, notice_on: datetime.date | None) -> int:
        """Calendar days from notice to event must reach `days` (notice on E−3 satisfies "3日前")."""
        if notice_on is None:
            raise rule.violation(code, "会议尚未发出通知", "No notice has been given", {"required_days": p.days})
        lead = (event_on - notice_on).days
        if lead >= p.days:
            return lead
        raise rule.violation(
            code, f"通知于{notice_on}发出，距会议{event_on}仅{lead}天，须提前{p.days}天",
            f"Notice on {notice_on} is {lead} day(s) before the meeting on {event_on}; {p.days} required",
            {"notice_on": notice_on.isoformat(), "event_on": event_on.isoformat(), "lead_days": lead,
             "required_days": p.days})

    return rule


def quorum_rule(id, citation, threshold, summary_zh, summary_en, *, code="quorum_not_met"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=ThresholdParams(threshold))

    @rule.decides
    def quorum(p: ThresholdParams, *, present: int, base: int) -> Outcome:
        t = p.threshold
        if t.share is None:
            raise rule.violation("rule_parameter_unset", "本区尚未设定该会议的到会人数要求",
                                 "The district has not set this meeting's quorum", {})
        zh, en = t.describe(present, base, "人到会", "present")
        facts = {"present": present, "base": base, "base_kind": t.base, "minimum": t.minimum(base),
                 "share": str(t.share), "strict": t.strict}
        if t.met(present, base):
            return Outcome(True, zh, en, facts)
        raise rule.violation(code, f"到会人数不足：{zh}，至少需{t.minimum(base)}人",
                             f"No quorum: {en}; at least {t.minimum(base)} needed", facts)

    return rule


def passing_rule(id, citation, threshold, summary_zh, summary_en, *, variant=""):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=ThresholdParams(threshold), variant=variant)

    @rule.decides
    def passing(p: ThresholdParams, *, yes: int, base: int) -> Outcome:
        """Passed or not, with the arithmetic shown; it never refuses, except for an unset parameter."""
        t = p.threshold
        if t.share is None:
            raise rule.violation("rule_parameter_unset", "本区尚未设定该会议的表决通过标准",
                                 "The district has not set this meeting's passing threshold", {})
        zh, en = t.describe(yes, base, "赞成", "yes")
        passed = t.met(yes, base)
        return Outcome(passed, f"{zh} → {'通过' if passed else '未通过'}",
                       f"{en} → {'passed' if passed else 'not passed'}",
                       {"yes": yes, "base": base, "base_kind": t.base, "minimum": t.minimum(base),
                        "share": str(t.share), "strict": t.strict})

    return rule


def minimum_rule(id, citation, minimum, summary_zh, summary_en, *, code, what_zh, what_en, action="enforce"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=MinimumParams(minimum), action=action)

    @rule.decides
    def at_least(p: MinimumParams, *, count: int) -> int:
        if count >= p.minimum:
            return count
        raise rule.violation(code, f"{what_zh}{count}人，不少于{p.minimum}人", f"{count} {what_en}; at least "
                             f"{p.minimum} required", {"count": count, "minimum": p.minimum})

    return rule


def deadline_rule(id, citation, days, summary_zh, summary_en, *, action="publish"):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=DeadlineParams(days), action=action)

    @rule.decides
    def due_on(p: DeadlineParams, *, event_on: datetime.date) -> datetime.date:
        """The last day on which the duty is still on time ("7日内": event + 7)."""
        return event_on + datetime.timedelta(days=p.days)

    return rule


def cadence_rule(id, citation, count, period, summary_zh, summary_en, *, at_most=None, variant=""):
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=CadenceParams(count, period, at_most), action="remind", variant=variant)

    @rule.decides
    def cadence(p: CadenceParams) -> CadenceParams:
        return p

    return rule


def duty_rule(id, citation, summary_zh, summary_en, *, code, message_zh, message_en, action="enforce",
              variant=""):
    """A yes/no precondition (a recorder named, a list approved …): the service states the fact."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en, params=None,
                action=action, variant=variant)

    @rule.decides
    def holds(_p, *, satisfied: bool, **facts) -> None:
        if not satisfied:
            raise rule.violation(code, message_zh, message_en, facts)

    return rule


def record_rule(id, citation, fields, summary_zh, summary_en, *, code="record_incomplete", action="record",
                variant="", part_of=""):
    """RECORD: the record must hold every fact named in `fields`; the service passes what it has."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=RecordParams(tuple(fields)), action=action, variant=variant, part_of=part_of)

    @rule.decides
    def recorded(p: RecordParams, **facts) -> dict:
        """Empty strings, lists and None count as missing; False and 0 are facts."""
        missing = [name for name in p.fields if facts.get(name) in (None, "", [], {}, ())]
        if missing:
            raise rule.violation(code, f"记录缺少：{'、'.join(missing)}", f"The record lacks: {', '.join(missing)}",
                                 {"missing": missing})
        return {name: facts[name] for name in p.fields}

    return rule


def sequence_rule(id, citation, steps, summary_zh, summary_en, *, optional=(), code="steps_out_of_order",
                  action="enforce"):
    """Steps in a prescribed order: each required step present, and no step before one it must follow."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=SequenceParams(tuple(steps), tuple(optional)), action=action)

    @rule.decides
    def in_order(p: SequenceParams, *, done: list[str]) -> list[str]:
        """`done` lists the steps as recorded; steps the rule does not know (a break, a note) are ignored."""
        known = [step for step in done if step in p.steps]
        missing = [step for step in p.steps if step not in p.optional and step not in known]
        if missing:
            raise rule.violation("steps_missing", f"缺少程序步骤：{'、'.join(missing)}",
                                 f"Missing steps: {', '.join(missing)}", {"missing": missing, "done": list(done)})
        positions = [p.steps.index(step) for step in known]
        if positions != sorted(positions):
            raise rule.violation(code, f"程序顺序应为：{' → '.join(p.steps)}",
                                 f"The steps must follow the order {' → '.join(p.steps)}",
                                 {"done": known, "order": list(p.steps)})
        return known

    return rule


def category_rule(id, citation, allowed, summary_zh, summary_en, *, code, required=(), required_code="",
                  action="enforce"):
    """Who may be listed: every category in `allowed`; WARN rules return the refusal instead of raising it."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=CategoryParams(tuple(allowed), tuple(required)), action=action)

    @rule.decides
    def categories_fit(p: CategoryParams, *, categories: list[str]):
        stray = sorted({c for c in categories if c not in p.allowed})
        if stray:
            raise rule.violation(code, f"类别不在允许范围内：{'、'.join(stray)}",
                                 f"Categories not allowed: {', '.join(stray)}", {"categories": stray})
        absent = [c for c in p.required if c not in categories]
        if absent:
            refusal = rule.violation(required_code or code, f"名单中没有：{'、'.join(absent)}",
                                     f"Nobody listed as: {', '.join(absent)}", {"absent": absent})
            if action == "warn":
                return refusal  # WARN: allowed, shown and stored with the record
            raise refusal
        return None

    return rule


def span_rule(id, citation, minimum, maximum, summary_zh, summary_en, *, code, what_zh, what_en, action="warn"):
    """A count that should lie between two bounds (both inclusive). WARN rules return the finding."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en,
                params=SpanParams(minimum, maximum), action=action)

    @rule.decides
    def within(p: SpanParams, *, count: int):
        if p.minimum <= count <= p.maximum:
            return None
        refusal = rule.violation(code, f"{what_zh}{count}个，应为{p.minimum}至{p.maximum}个",
                                 f"{count} {what_en}; {p.minimum} to {p.maximum} expected",
                                 {"count": count, "minimum": p.minimum, "maximum": p.maximum})
        if action == "warn":
            return refusal
        raise refusal

    return rule


def leave_rule(id, citation, summary_zh, summary_en, *, action="record"):
    """Leave is asked before the meeting (事先 / 会前请假): otherwise the absence is unexcused."""
    rule = Rule(id=id, citation=citation, summary_zh=summary_zh, summary_en=summary_en, params=None, action=action)

    @rule.decides
    def leave_or_absent(_p, *, requested_at: datetime.datetime | None, starts_at: datetime.datetime) -> str:
        """"leave" when leave was asked before the meeting started, else "absent_without_leave"."""
        return "leave" if requested_at is not None and requested_at < starts_at else "absent_without_leave"

    return rule
