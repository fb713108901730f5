"""Pinyin search keys of names and the phone / ID tails kept beside them."""

from __future__ import annotations

import pytest

from jiceng.orgs.search import search_keys, tails


@pytest.mark.parametrize("name, pinyin, initials", [
    ("张三", "zhangsan", "zs"),
    ("李四", "lisi", "ls"),
    ("欧阳娜娜", "ouyangnana", "oynn"),
    # Surname readings that differ from the everyday reading of the character.
    ("曾小明", "zengxiaoming", "zxm"),
    ("单田芳", "shantianfang", "stf"),
    ("解晓东", "xiexiaodong", "xxd"),
    ("仇和", "qiuhe", "qh"),
    ("区小红", "ouxiaohong", "oxh"),
    ("查良镛", "zhaliangyong", "zly"),
    ("朴树", "piaoshu", "ps"),
    ("阚兰", "kanlan", "kl"),
    # A character read as a surname only in first place: 曾 inside a given name stays ceng.
    ("王曾", "wangceng", "wc"),
    # Compound surnames keep their surname reading, not that of their first character alone.
    ("单于琼", "chanyuqiong", "cyq"),
    ("长孙无忌", "zhangsunwuji", "zswj"),
    ("尉迟恭", "yuchigong", "ycg"),
    ("乐正华", "yuezhenghua", "yzh"),
    # Latin letters and digits are kept lower-cased; dots and spaces are dropped.
    ("李Ming", "liming", "lming"),
    ("王 小明", "wangxiaoming", "wxm"),
    ("Li Ming", "liming", "liming"),
    ("张三2", "zhangsan2", "zs2"),
    ("阿卜杜·买买提", "abodumaimaiti", "abdmmt"),
    ("ＡＢ张", "abzhang", "abz"),
    ("吕布", "lvbu", "lb"),
    ("  张三  ", "zhangsan", "zs"),
    ("", "", ""),
])
def test_search_keys(name, pinyin, initials):
    assert search_keys(name) == (pinyin, initials)


def test_search_keys_are_cut_to_the_column_widths():
    pinyin, initials = search_keys("张" * 60)
    assert pinyin == ("zhang" * 60)[:200]
    assert initials == "z" * 50


@pytest.mark.parametrize("phone, id_number, expected", [
    ("13812341234", "11010519491231002X", ("1234", "31002X")),
    ("0871-65123456", "11010519491231002x", ("3456", "31002X")),
    ("", "11010519491231002X", ("", "31002X")),
    ("123", "110105194912310026", ("", "310026")),
    ("１３８１２３４１２３４", "", ("1234", "")),
])
def test_tails(phone, id_number, expected):
    assert tails(phone, id_number) == expected
