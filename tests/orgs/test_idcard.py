"""GB 11643-1999 resident ID numbers: parsing, the four kinds of refusal, and the generator."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest

from jiceng.core.errors import ValidationFailed
from jiceng.orgs import idcard

TODAY = datetime.date(2025, 6, 1)


def iso7064(first17: str) -> str:
    """Independent check: the full 18 characters must satisfy sum(a_i * 2^(18-i)) ≡ 1 (mod 11)."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (1 - total) % 11
    return "X" if value == 10 else str(value)


def valid(first17: str) -> str:
    return first17 + iso7064(first17)


def refusal(raw: str, today: datetime.date = TODAY) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        idcard.parse(raw, today=today)
    return caught.value


@pytest.mark.parametrize("first17, expected", [
    ("11010519491231002", "X"),   # the public example 11010519491231002X
    ("44052418800101001", "4"),   # the example of GB 11643-1999
    ("11010119900307123", iso7064("11010119900307123")),
    ("41030519800517001", iso7064("41030519800517001")),
    ("65010220000229998", iso7064("65010220000229998")),
    ("00000000000000000", "1"),
])
def test_check_digit(first17, expected):
    assert idcard.check_digit(first17) == expected


def test_check_digit_agrees_with_independent_formula_on_random_input():
    rng = random.Random(7)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert idcard.check_digit(first17) == iso7064(first17)


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1101051949123100X",
                                 "١١٠١٠٥١٩٤٩١٢٣١٠٠٢"])
def test_check_digit_needs_17_ascii_digits(bad):
    with pytest.raises(ValueError):
        idcard.check_digit(bad)


@pytest.mark.parametrize("raw, number, region, birth, gender", [
    ("11010519491231002X", "11010519491231002X", "110105", datetime.date(1949, 12, 31), "female"),
    ("11010519491231002x", "11010519491231002X", "110105", datetime.date(1949, 12, 31), "female"),
    ("  11010519491231002X\n", "11010519491231002X", "110105", datetime.date(1949, 12, 31), "female"),
    ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "110105", datetime.date(1949, 12, 31),
     "female"),
    (valid("41030519800517001"), valid("41030519800517001"), "410305", datetime.date(1980, 5, 17), "male"),
    (valid("65010220000229998"), valid("65010220000229998"), "650102", datetime.date(2000, 2, 29), "female"),
    (valid("81000019000101001"), valid("81000019000101001"), "810000", datetime.date(1900, 1, 1), "male"),
    (valid("91000020250601003"), valid("91000020250601003"), "910000", TODAY, "male"),
])
def test_parse_valid(raw, number, region, birth, gender):
    parsed = idcard.parse(raw, today=TODAY)
    assert parsed == idcard.IdNumber(number=number, region=region, birth_date=birth, gender=gender)
    assert parsed.tail == number[-6:]


@pytest.mark.parametrize("digit, gender", [(str(d), "male" if d % 2 else "female") for d in range(10)])
def test_gender_from_17th_digit(digit, gender):
    assert idcard.parse(valid("1101011990030712" + digit), today=TODAY).gender == gender


def test_parsed_number_is_frozen():
    parsed = idcard.parse("11010519491231002X", today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.gender = "male"


def test_parse_defaults_today_to_the_real_date():
    assert idcard.parse("11010519491231002X").birth_date == datetime.date(1949, 12, 31)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    first17 = f"110101{tomorrow:%Y%m%d}001"
    with pytest.raises(ValidationFailed) as caught:
        idcard.parse(valid(first17))
    assert caught.value.code == "id_number_birth_date"


@pytest.mark.parametrize("raw, code, zh, en", [
    ("", "id_number_format", "应为 18 位，实为 0 位", "must have 18 characters, got 0"),
    ("11010519491231002", "id_number_format", "实为 17 位", "got 17"),
    ("11010519491231002X1", "id_number_format", "实为 19 位", "got 19"),
    ("1101051949123100XX", "id_number_format", "前 17 位须为数字", "first 17 characters must be digits"),
    ("11010519491231002Y", "id_number_format", "最后一位须为数字或 X", "last a digit or X"),
    ("11010519491 31002X", "id_number_format", "前 17 位须为数字", "must be digits"),
    ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "id_number_format", "前 17 位须为数字", "must be digits"),
    (valid("00010519491231002"), "id_number_region", "前两位“00”", "starts with '00'"),
    (valid("10010519491231002"), "id_number_region", "前两位“10”", "starts with '10'"),
    (valid("84010519491231002"), "id_number_region", "前两位“84”", "starts with '84'"),
    (valid("99010519491231002"), "id_number_region", "前两位“99”", "starts with '99'"),
    (valid("11010519900229001"), "id_number_birth_date", "19900229 不是真实存在的日期",
     "19900229 is not a real date"),
    (valid("11010519000229001"), "id_number_birth_date", "19000229 不是真实存在的日期", "not a real date"),
    (valid("11010519901301001"), "id_number_birth_date", "19901301", "not a real date"),
    (valid("11010519900100001"), "id_number_birth_date", "19900100", "not a real date"),
    ("440524188001010014", "id_number_birth_date", "1880-01-01 早于 1900-01-01", "before 1900-01-01"),
    (valid("11010518991231001"), "id_number_birth_date", "早于 1900-01-01", "before 1900-01-01"),
    (valid("11010520250602001"), "id_number_birth_date", "2025-06-02 晚于今天（2025-06-01）",
     "after today (2025-06-01)"),
    ("110105194912310025", "id_number_checksum", "公民身份号码校验位错误：应为 X，实为 5。",
     "ID number check digit is wrong: expected X, got 5."),
    ("440524198001010019", "id_number_checksum", "应为 3，实为 9。", "expected 3, got 9."),
])
def test_parse_refusals(raw, code, zh, en):
    error = refusal(raw)
    assert error.code == code
    assert error.status == 400
    assert error.facts == {"field": "id_number"}
    assert zh in error.message
    assert en in error.message_en


def test_wrong_check_digit_message_is_exact():
    error = refusal("110105194912310025")
    assert error.message == "公民身份号码校验位错误：应为 X，实为 5。"
    assert error.message_en == "ID number check digit is wrong: expected X, got 5."


@pytest.mark.parametrize("raw", [
    "110105194912310025", valid("99010519491231002"), valid("11010519900229001"),
    valid("11010520250602001"), "1101051949123100XX",
])
def test_messages_never_repeat_the_whole_number(raw):
    error = refusal(raw)
    for text in (error.message, error.message_en, str(error.facts)):
        assert raw not in text
        assert raw[:17] not in text


def test_generate_always_parses_with_what_was_asked():
    rng = random.Random(2026)
    regions = ["110101", "410305", "650102", "810000", "910000", "530102"]
    span = (TODAY - datetime.date(1900, 1, 1)).days
    for _ in range(1000):
        region = rng.choice(regions)
        birth = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(span + 1))
        gender = rng.choice(["male", "female"])
        number = idcard.generate(rng, region=region, birth_date=birth, gender=gender)
        parsed = idcard.parse(number, today=TODAY)
        assert (parsed.number, parsed.region) == (number, region)
        assert (parsed.birth_date, parsed.gender) == (birth, gender)


@pytest.mark.parametrize("gender, parity", [("male", 1), ("female", 0)])
def test_generate_sequences_are_distinct_and_keep_the_gender(gender, parity):
    birth = datetime.date(1980, 5, 17)
    numbers = [idcard.generate(random.Random(0), region="410305", birth_date=birth, gender=gender, sequence=s)
               for s in range(500)]
    assert len(set(numbers)) == 500
    assert {int(n[14:17]) % 2 for n in numbers} == {parity}
    assert numbers[0][14:17] == f"{parity:03d}"
    assert numbers[123][14:17] == f"{2 * 123 + parity:03d}"
    assert all(idcard.parse(n, today=TODAY).gender == gender for n in numbers)


def test_generate_is_reproducible_from_the_seed():
    birth = datetime.date(1990, 3, 7)
    first = [idcard.generate(random.Random(5), region="110101", birth_date=birth, gender="male")
             for _ in range(3)]
    again = [idcard.generate(random.Random(5), region="110101", birth_date=birth, gender="male")
             for _ in range(3)]
    assert first == again


@pytest.mark.parametrize("kwargs", [
    {"gender": "unknown"},
    {"gender": "M"},
    {"region": "11010"},
    {"region": "1101011"},
    {"region": "990101"},
    {"region": "１１０１０１"},
    {"sequence": -1},
    {"sequence": 500},
])
def test_generate_refuses_bad_arguments(kwargs):
    args = {"region": "110101", "birth_date": datetime.date(1990, 3, 7), "gender": "male", **kwargs}
    with pytest.raises(ValueError):
        idcard.generate(random.Random(1), **args)
