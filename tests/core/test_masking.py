"""Masking personal data for display and for logs."""

from __future__ import annotations

import io
import logging

import pytest

from jiceng.core.masking import (
    PersonalDataLogFilter,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_room,
    mask_text,
)


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"),
    ("张三丰", "张*丰"),
    ("欧阳娜娜", "欧**娜"),
    ("阿卜杜·买买提", "阿*****提"),
    ("张", "*"),
    ("", ""),
    (" 张三 ", "张*"),
    ("Li", "L*"),
    ("Li Ming", "L*****g"),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("phone, masked", [
    ("13812341234", "138****1234"),
    (" 19900001111 ", "199****1111"),
    ("0871-65123456", "****-****3456"),
    ("65123456", "****3456"),
    ("12345", "*2345"),
    ("1234", "****"),
    ("110", "***"),
    ("", ""),
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("id_number, masked", [
    ("110101199003071234", "1101**********1234"),
    ("11010519491231002X", "1101**********002X"),
    ("123456789", "1234*6789"),
    ("12345678", "********"),
    ("", ""),
])
def test_mask_id_number(id_number, masked):
    assert mask_id_number(id_number) == masked


@pytest.mark.parametrize("unit, room, masked", [
    ("2", "501", "*单元*室"),
    ("", "501", "*室"),
    ("3", "", "*单元"),
    ("", " ", ""),
])
def test_mask_room(unit, room, masked):
    assert mask_room(unit, room) == masked


@pytest.mark.parametrize("address, masked", [
    ("幸福小区3栋2单元501室", "幸福小区*栋*单元*室"),
    ("长春路社区1号楼 2-301", "长春路社区*号楼 *-*"),
    ("B座12-0301A", "B座*-*"),
    ("天津路街道", "天津路街道"),
    ("", ""),
])
def test_mask_address(address, masked):
    assert mask_address(address) == masked


@pytest.mark.parametrize("text, masked", [
    ("身份证110101199003071234，电话13812341234。", "身份证1101**********1234，电话138****1234。"),
    ("id=11010519491231002x phone=19912345678", "id=1101**********002x phone=199****5678"),
    # Longer digit runs are not ID or phone numbers: an order number stays as it is.
    ("order 20240101123456789012", "order 20240101123456789012"),
    ("ref 213812341234", "ref 213812341234"),
    ("landline 12812341234", "landline 12812341234"),
    ("nothing here", "nothing here"),
])
def test_mask_text(text, masked):
    assert mask_text(text) == masked


@pytest.fixture
def captured():
    """A real logger whose handler carries the filter, writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PersonalDataLogFilter())
    logger = logging.getLogger("tests.masking")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def test_log_filter_masks_numbers_passed_as_arguments(captured):
    logger, stream = captured
    logger.info("登记居民 %s，身份证 %s，电话 %s", "张三", "110101199003071234", 13812341234)
    out = stream.getvalue()
    assert out == "INFO 登记居民 张三，身份证 1101**********1234，电话 138****1234\n"
    assert "110101199003071234" not in out
    assert "13812341234" not in out


def test_log_filter_masks_numbers_in_the_message_itself(captured):
    logger, stream = captured
    logger.warning("duplicate id_number=11010519491231002X from 13956785678 (100% sure)")
    expected = "WARNING duplicate id_number=1101**********002X from 139****5678 (100% sure)\n"
    assert stream.getvalue() == expected


def test_log_filter_masks_numbers_inside_mapping_arguments(captured):
    logger, stream = captured
    logger.info("person %(id)s", {"id": "110101199003071234"})
    assert stream.getvalue() == "INFO person 1101**********1234\n"


def test_log_filter_keeps_records_whose_arguments_do_not_fit(captured):
    logger, stream = captured
    logger.info("only one slot %s", "13812341234", "110101199003071234")
    out = stream.getvalue()
    assert "13812341234" not in out and "110101199003071234" not in out
    assert "138****1234" in out and "1101**********1234" in out


def test_log_filter_rewrites_the_record_and_keeps_it():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13812341234",), None)
    assert PersonalDataLogFilter().filter(record) is True
    assert (record.msg, record.args) == ("phone 138****1234", ())
    assert record.getMessage() == "phone 138****1234"
    # A second handler with the same filter sees already masked text and leaves it alone.
    assert PersonalDataLogFilter().filter(record) is True
    assert record.getMessage() == "phone 138****1234"
