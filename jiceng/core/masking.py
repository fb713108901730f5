"""Masking personal data for display to users who may not see it in full, and for logs.

The maskers are pure functions on strings; `PersonalDataLogFilter` (installed on the console handler by
settings.LOGGING) rewrites every log message so that resident ID numbers and mainland mobile numbers
never reach a log in full.
"""

from __future__ import annotations

import logging
import re

__all__ = [
    "PersonalDataLogFilter", "mask_address", "mask_ballot_codes", "mask_id_number", "mask_name", "mask_phone",
    "mask_room", "mask_text",
]

MASK = "*"

# An 18-character resident ID number. Python's \b treats Chinese characters as word characters, so
# "身份证110101199003071234" would slip past `\b`; ASCII look-arounds catch it.
ID_NUMBER_PATTERN = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# A mainland mobile number, not part of a longer digit run.
MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ROOM_NUMBER = re.compile(r"[0-9A-Za-z]*[0-9][0-9A-Za-z]*")
# A ballot code in a request path (/api/v1/ballots/<code>, /ballot/<code>/): the code is a voter's only
# credential and must never reach a log (R-EVAL-10). Six characters or more, so /ballots/print/ stays.
BALLOT_PATH_PATTERN = re.compile(r"(/ballots?/)[0-9A-Za-z][0-9A-Za-z%_-]{5,}")


def mask_name(name: str) -> str:
    """Keep the first and last character: 张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜.

    Two-character names keep only the first, one-character names are masked whole. Latin names work the
    same on characters ("Li Ming" -> "L*****g").
    """
    text = (name or "").strip()
    if len(text) <= 1:
        return MASK * len(text)
    if len(text) == 2:
        return text[0] + MASK
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_phone(phone: str) -> str:
    """A mainland mobile keeps its first 3 and last 4 digits (13812341234 -> 138****1234).

    Any other number keeps its last 4 digits and its separators (0871-65123456 -> ****-****3456); a
    number of 4 digits or fewer is masked whole.
    """
    text = (phone or "").strip()
    if len(text) == 11 and MOBILE_PATTERN.fullmatch(text):
        return text[:3] + MASK * 4 + text[-4:]
    digit_count = sum(ch.isdigit() for ch in text)
    keep = 4 if digit_count > 4 else 0
    masked: list[str] = []
    seen = 0
    for ch in text:
        if ch.isdigit():
            seen += 1
            masked.append(ch if seen > digit_count - keep else MASK)
        else:
            masked.append(ch)
    return "".join(masked)


def mask_id_number(id_number: str) -> str:
    """Keep the first 4 and last 4 characters: 110101199003071234 -> 1101**********1234.

    Anything of 8 characters or fewer is masked whole.
    """
    text = (id_number or "").strip()
    if len(text) <= 8:
        return MASK * len(text)
    return text[:4] + MASK * (len(text) - 8) + text[-4:]


def mask_room(unit: str, room: str) -> str:
    """Unit and room of a residence with the numbers hidden: ("2", "501") -> "*单元*室".

    A missing part is left out: ("", "501") -> "*室", ("", "") -> "".
    """
    return ("*单元" if (unit or "").strip() else "") + ("*室" if (room or "").strip() else "")


def mask_address(text: str) -> str:
    """Keep the names in an address and hide every number (building, unit, room):
    "幸福小区3栋2单元501室" -> "幸福小区*栋*单元*室", "B座12-0301" -> "B座*-*"."""
    return _ROOM_NUMBER.sub(MASK, text or "")


def _mask_id_match(match: re.Match[str]) -> str:
    return mask_id_number(match.group())


def _mask_mobile_match(match: re.Match[str]) -> str:
    return mask_phone(match.group())


def mask_text(text: str) -> str:
    """Mask every resident ID number and mainland mobile number found in free text."""
    return MOBILE_PATTERN.sub(_mask_mobile_match, ID_NUMBER_PATTERN.sub(_mask_id_match, text))


def mask_ballot_codes(text: str) -> str:
    """Hide the ballot code of every ballot path: "POST /api/v1/ballots/ABCDE2345K" -> "… /ballots/***"."""
    return BALLOT_PATH_PATTERN.sub(r"\1***", text)


class PersonalDataLogFilter(logging.Filter):
    """Masks ID numbers, mobile numbers and ballot codes in the formatted message of every record; never
    drops one.

    The message is formatted first (`record.getMessage()`), so numbers passed as arguments are caught
    too; the record then carries the masked text in `msg` and no `args`. Exception tracebacks are left
    as they are. A record whose arguments do not fit its format string is kept with the masked format
    string and the masked representation of its arguments.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_ballot_codes(mask_text(message))
        record.args = ()
        return True
