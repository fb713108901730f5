"""Structured tables on disclosure items (issue #4 point 3): what each kind holds, that its totals add up,
and the masked copy the public pages show.

finance       {"kind": "finance", "rows": [{"item", "income", "expense"}], "total_income", "total_expense"}
distribution  {"kind": "distribution", "rows": [{"recipient", "id_number"?, "building"?, "amount", "note"?}],
               "total"}
dues          {"kind": "dues", "month": "YYYY-MM", "rows": [{"member", "amount"}], "total"}
Amounts are decimal strings in yuan with at most two places; they are never floats.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from jiceng.core.errors import ValidationFailed
from jiceng.core.masking import mask_id_number, mask_name
from jiceng.rules.disclosure import TABLE_KINDS

MAX_ROWS = 2000  # a whole community's relief list fits; a runaway upload does not
MAX_AMOUNT = Decimal("999999999.99")
TEXT_LIMIT = 200
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# Per kind: the row fields that are money, the text fields (required ones first) and the totals that sum them.
KINDS = {
    "finance": {"money": ("income", "expense"), "required": ("item",), "optional": (),
                "totals": {"total_income": "income", "total_expense": "expense"}},
    "distribution": {"money": ("amount",), "required": ("recipient",), "optional": ("id_number", "building", "note"),
                     "totals": {"total": "amount"}},
    "dues": {"money": ("amount",), "required": ("member",), "optional": (), "totals": {"total": "amount"}},
}


def _bad(zh: str, en: str, code: str = "invalid_table", **facts) -> ValidationFailed:
    return ValidationFailed(zh, en, code=code, facts={"field": "tables", **facts})


def _money(value, where: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _bad(f"{where}不是有效金额：{value!r}", f"{where}: not an amount: {value!r}", where=where) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount.as_tuple().exponent < -2:
        raise _bad(f"{where}金额须为0至{MAX_AMOUNT}元、最多两位小数：{value}",
                   f"{where}: amounts are 0 to {MAX_AMOUNT} yuan with at most two decimals: {value}", where=where)
    return amount


def _text(value, where: str, *, required: bool) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _bad(f"{where}不能为空", f"{where} is required", where=where)
    if len(text) > TEXT_LIMIT:
        raise _bad(f"{where}超过{TEXT_LIMIT}字", f"{where} exceeds {TEXT_LIMIT} characters", where=where)
    return text


def clean_tables(category: str, tables) -> list[dict]:
    """The tables in canonical form (amounts as "12.30"), or ValidationFailed naming the table, row and field.

    Refuses a kind the category does not call for, and totals that do not equal the sum of the rows
    (code `totals_do_not_add_up`, with both numbers)."""
    if tables in (None, ""):
        return []
    if not isinstance(tables, list):
        raise _bad("表格须为列表", "tables must be a list")
    allowed = TABLE_KINDS.get(category, ())
    cleaned = []
    for t, table in enumerate(tables, start=1):
        if not isinstance(table, dict) or table.get("kind") not in allowed:
            kind = table.get("kind") if isinstance(table, dict) else None
            raise _bad(f"第{t}个表格：类别 {category} 不使用「{kind}」表格（可用：{list(allowed) or '无'}）",
                       f"table {t}: category {category} takes no {kind!r} table (allowed: {list(allowed)})",
                       table=t, allowed=list(allowed))
        spec = KINDS[table["kind"]]
        rows = table.get("rows")
        if not isinstance(rows, list) or not rows or len(rows) > MAX_ROWS:
            raise _bad(f"第{t}个表格须有1至{MAX_ROWS}行", f"table {t} needs 1 to {MAX_ROWS} rows", table=t)
        out_rows = []
        sums = {name: Decimal("0") for name in spec["money"]}
        for r, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise _bad(f"第{t}个表格第{r}行格式不正确", f"table {t} row {r} is not an object", table=t, row=r)
            out = {}
            for name in spec["required"] + spec["optional"]:
                value = _text(row.get(name), f"第{t}个表格第{r}行「{name}」", required=name in spec["required"])
                if value:
                    out[name] = value
            for name in spec["money"]:
                amount = _money(row.get(name, "0"), f"第{t}个表格第{r}行「{name}」")
                sums[name] += amount
                out[name] = f"{amount:.2f}"
            out_rows.append(out)
        result = {"kind": table["kind"], "rows": out_rows}
        if table["kind"] == "dues":
            month = str(table.get("month", ""))
            if not MONTH.match(month):
                raise _bad(f"第{t}个表格须写明月份（YYYY-MM）", f"table {t} needs its month (YYYY-MM)", table=t)
            result["month"] = month
        for total_name, column in spec["totals"].items():
            stated = _money(table.get(total_name), f"第{t}个表格合计「{total_name}」")
            if stated != sums[column]:
                raise _bad(f"第{t}个表格合计「{total_name}」为{stated:.2f}元，各行相加为{sums[column]:.2f}元，不相符",
                           f"table {t}: {total_name} says {stated:.2f} but the rows add up to {sums[column]:.2f}",
                           code="totals_do_not_add_up", table=t, total=total_name,
                           stated=f"{stated:.2f}", computed=f"{sums[column]:.2f}")
            result[total_name] = f"{stated:.2f}"
        cleaned.append(result)
    return cleaned


def public_tables(tables: list[dict]) -> list[dict]:
    """A copy for the public site and print sheets: names as 张*三, ID numbers masked (ARCHITECTURE §5)."""
    masked = []
    for table in tables:
        rows = []
        for row in table.get("rows", []):
            row = dict(row)
            for name in ("recipient", "member"):
                if name in row:
                    row[name] = mask_name(row[name])
            if "id_number" in row:
                row["id_number"] = mask_id_number(row["id_number"])
            rows.append(row)
        masked.append({**table, "rows": rows})
    return masked
