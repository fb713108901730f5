"""Amounts: parsed from text into integer fen, shown as yuan. Never through a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from jiceng.core.errors import ValidationFailed

MAX_FEN = 999_999_999_99  # below a billion yuan: a runaway value, not an expense


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> int:
    """"1234.50", "80", Decimal or int → fen. Refuses negatives, zero (unless allowed), more than two decimals,
    NaN/Infinity and anything that is not a number, with ValidationFailed naming `field`."""
    if isinstance(value, float):
        value = repr(value)  # a JSON number: its shortest spelling, then exact Decimal arithmetic
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(f"金额格式不正确：{value!r}", f"Not an amount: {value!r}", code="invalid_amount",
                               facts={"field": field})
    if amount.as_tuple().exponent < -2:
        raise ValidationFailed("金额最多两位小数（精确到分）。", "Amounts have at most two decimals (fen).",
                               code="invalid_amount", facts={"field": field, "value": str(value)})
    fen = int(amount * 100)
    if fen < 0 or (fen == 0 and not allow_zero) or fen > MAX_FEN:
        raise ValidationFailed("金额须大于0且不超过9亿9999万元。",
                               "The amount must be positive and below a billion yuan.", code="invalid_amount",
                               facts={"field": field, "value": str(value)})
    return fen


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"
