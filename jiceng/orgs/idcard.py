"""Chinese resident identity numbers (公民身份号码, GB 11643-1999): parse, check and generate.

An 18-character number is laid out as

    RRRRRR YYYYMMDD SSS C
    region birth    order check

where the order code's last digit is odd for men and even for women, and the check character is the
ISO 7064 MOD 11-2 check over the first 17 digits ("X" stands for 10).

`parse` refuses a bad number with a `ValidationFailed` whose `code` says which part is wrong
(`id_number_format`, `id_number_region`, `id_number_birth_date`, `id_number_checksum`). Messages never
repeat the whole number, because refusals end up in logs.
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from dataclasses import dataclass

from jiceng.core.errors import ValidationFailed

__all__ = ["IdNumber", "PROVINCE_CODES", "check_digit", "generate", "parse"]

# Provincial-level division codes (GB/T 2260) that may open a resident ID number.
PROVINCE_CODES: frozenset[str] = frozenset({
    "11", "12", "13", "14", "15",
    "21", "22", "23",
    "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46",
    "50", "51", "52", "53", "54",
    "61", "62", "63", "64", "65",
    "71", "81", "82", "83", "91",
})

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_FIRST17 = re.compile(r"[0-9]{17}")
_FIELD = {"field": "id_number"}
_GENDER_PARITY = {"male": 1, "female": 0}


@dataclass(frozen=True, slots=True)
class IdNumber:
    number: str                # 18 characters, upper-case "X"
    region: str                # the 6-digit administrative division code
    birth_date: datetime.date
    gender: str                # "male" | "female"

    @property
    def tail(self) -> str:
        """The last 6 characters, as stored in `Person.id_tail` for search."""
        return self.number[-6:]

    def __str__(self) -> str:
        return self.number


def _weighted_check(first17: str) -> str:
    """Check character of 17 ASCII digits, without validating them (hot path of `generate`)."""
    total = 0
    for char, weight in zip(first17, _WEIGHTS, strict=True):
        total += (ord(char) - 48) * weight
    return _CHECK_CHARS[total % 11]


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character ("0"-"9" or "X") for the first 17 digits of an ID number.

    Raises ValueError unless `first17` is exactly 17 ASCII digits.
    """
    if not isinstance(first17, str) or not _FIRST17.fullmatch(first17):
        raise ValueError("check_digit() needs exactly 17 ASCII digits")
    return _weighted_check(first17)


def _refuse(code: str, message: str, message_en: str) -> ValidationFailed:
    return ValidationFailed(message, message_en, code=code, facts=dict(_FIELD))


def parse(raw: str, today: datetime.date | None = None) -> IdNumber:
    """Check and normalise a resident ID number.

    Surrounding whitespace is ignored, a lower-case "x" is accepted and full-width characters (as typed
    with a Chinese input method) are folded to ASCII. The birth date must be a real date between
    1900-01-01 and `today` (default: `date.today()`). The checks run in the order format, region, birth
    date, check character, and the first failure is raised as `ValidationFailed`.
    """
    if not isinstance(raw, str):
        raise _refuse("id_number_format", "公民身份号码必须是文本。", "ID number must be text.")
    number = unicodedata.normalize("NFKC", raw).strip().upper()

    if len(number) != 18:
        raise _refuse(
            "id_number_format",
            f"公民身份号码应为 18 位，实为 {len(number)} 位。",
            f"ID number must have 18 characters, got {len(number)}.",
        )
    if not _SHAPE.fullmatch(number):
        raise _refuse(
            "id_number_format",
            "公民身份号码格式错误：前 17 位须为数字，最后一位须为数字或 X。",
            "ID number is malformed: the first 17 characters must be digits and the last a digit or X.",
        )

    province = number[:2]
    if province not in PROVINCE_CODES:
        raise _refuse(
            "id_number_region",
            f"公民身份号码前两位“{province}”不是有效的省级行政区划代码。",
            f"ID number starts with '{province}', which is not a valid province code.",
        )

    digits = number[6:14]
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _refuse(
            "id_number_birth_date",
            f"公民身份号码中的出生日期 {digits} 不是真实存在的日期。",
            f"ID number birth date {digits} is not a real date.",
        ) from None
    if birth_date < _EARLIEST_BIRTH:
        raise _refuse(
            "id_number_birth_date",
            f"公民身份号码中的出生日期 {birth_date.isoformat()} 早于 1900-01-01。",
            f"ID number birth date {birth_date.isoformat()} is before 1900-01-01.",
        )
    today = today or datetime.date.today()
    if birth_date > today:
        raise _refuse(
            "id_number_birth_date",
            f"公民身份号码中的出生日期 {birth_date.isoformat()} 晚于今天（{today.isoformat()}）。",
            f"ID number birth date {birth_date.isoformat()} is after today ({today.isoformat()}).",
        )

    expected = _weighted_check(number[:17])
    if number[17] != expected:
        raise _refuse(
            "id_number_checksum",
            f"公民身份号码校验位错误：应为 {expected}，实为 {number[17]}。",
            f"ID number check digit is wrong: expected {expected}, got {number[17]}.",
        )

    gender = "male" if (ord(number[16]) - 48) % 2 else "female"
    return IdNumber(number=number, region=number[:6], birth_date=birth_date, gender=gender)


def generate(rng: random.Random, *, region: str, birth_date: datetime.date, gender: str,
             sequence: int | None = None) -> str:
    """A valid ID number for the given region, birth date and gender.

    `sequence` picks the order code among the 500 codes of that gender: the code is
    `2 * sequence + 1` for men and `2 * sequence` for women, so sequences 0-499 give distinct numbers
    for one region, birth date and gender. Without it the code is drawn from `rng`.

    Built for bulk data (millions of calls): only cheap checks are made. The caller keeps `birth_date`
    between 1900-01-01 and today, otherwise `parse` will refuse the result.
    """
    parity = _GENDER_PARITY.get(gender)
    if parity is None:
        raise ValueError(f"gender must be 'male' or 'female', not {gender!r}")
    if len(region) != 6 or not region.isascii() or not region.isdigit() or region[:2] not in PROVINCE_CODES:
        raise ValueError(f"region must be 6 digits opening with a province code, not {region!r}")
    if sequence is None:
        sequence = rng.randrange(500)
    elif not 0 <= sequence < 500:
        raise ValueError(f"sequence must be between 0 and 499, not {sequence!r}")
    first17 = (f"{region}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}"
               f"{2 * sequence + parity:03d}")
    return first17 + _weighted_check(first17)
