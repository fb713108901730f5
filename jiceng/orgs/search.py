"""Finding people by name, pinyin, initials, phone tail or ID tail.

`search_keys` and `tails` compute the denormalised search columns of `Person` (`name_pinyin`,
`name_initials`, `phone_tail`, `id_tail`); services keep them in step with the name, phone and ID
number. `person_search_q` turns what a user types into the search box into a `Q` over those columns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

__all__ = ["MAX_QUERY_LENGTH", "person_search_q", "search_keys", "tails"]

MAX_QUERY_LENGTH = 50
# Column widths of Person.name_pinyin / Person.name_initials.
_PINYIN_MAX = 200
_INITIALS_MAX = 50

# Compound surnames (复姓) with their reading as a surname.
_COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "上官": ("shang", "guan"), "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"), "皇甫": ("huang", "fu"), "尉迟": ("yu", "chi"), "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"), "长孙": ("zhang", "sun"), "宇文": ("yu", "wen"), "司徒": ("si", "tu"),
    "司空": ("si", "kong"), "夏侯": ("xia", "hou"), "令狐": ("ling", "hu"), "端木": ("duan", "mu"),
    "独孤": ("du", "gu"), "南宫": ("nan", "gong"), "西门": ("xi", "men"), "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"), "澹台": ("tan", "tai"), "闻人": ("wen", "ren"), "赫连": ("he", "lian"),
    "呼延": ("hu", "yan"), "轩辕": ("xuan", "yuan"), "钟离": ("zhong", "li"), "申屠": ("shen", "tu"),
    "淳于": ("chun", "yu"), "拓跋": ("tuo", "ba"), "百里": ("bai", "li"), "东郭": ("dong", "guo"),
    "公冶": ("gong", "ye"), "太史": ("tai", "shi"), "乐正": ("yue", "zheng"), "亓官": ("qi", "guan"),
}

# Single-character surnames whose everyday reading differs from the surname reading.
_SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
    "覃": "qin", "缪": "miao", "翟": "zhai", "召": "shao", "种": "chong", "繁": "po", "秘": "bi",
    "员": "yun", "黑": "he", "都": "du", "藏": "zang", "祭": "zhai", "折": "she", "隗": "wei",
    "句": "gou", "能": "nai", "炅": "gui", "盖": "ge", "乜": "nie", "蕃": "pi", "长": "chang",
    "洗": "xian", "阚": "kan",
}

# Separators of transliterated names (·, •, ・, ‧); NFKC already folds the half-width katakana dot.
_NAME_DOTS = ("\u00b7", "\u2022", "\u30fb", "\u2027")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_AT_START = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,2}")
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9]")
_LETTERS = re.compile(r"[a-z]+")
_DIGITS4 = re.compile(r"[0-9]{4}")
_ID_TAIL = re.compile(r"[0-9]{3,5}[0-9X]")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_PHONE = re.compile(r"[0-9]+(?:-[0-9]+)*")
_SPACES = re.compile(r"\s+")


def _key_chunk(chunk: str) -> str:
    return _NOT_KEY_CHAR.sub("", chunk.lower())


@lru_cache(maxsize=65536)
def search_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower-case ASCII: "张三" -> ("zhangsan", "zs").

    - The first Chinese character is read as a surname: 曾小明 -> "zengxiaoming", 单田芳 -> "shantianfang",
      and compound surnames keep their surname reading (单于 -> "chanyu"). Names with "·" (transliterated
      names such as 阿卜杜·买买提) have no Chinese surname and are read as written.
    - Latin letters and digits are kept, lower-cased, in both keys; a run of them counts as one piece, so
      "李Ming" -> ("liming", "lming") and a search for "lm" still matches the initials by prefix.
    - "·", spaces and other punctuation are dropped, as are rare characters pypinyin cannot read.
    - "ü" is written "v" (吕 -> "lv"), as typed on a keyboard.
    - The keys are cut to the widths of `Person.name_pinyin` (200) and `Person.name_initials` (50).
    """
    text = unicodedata.normalize("NFKC", name or "").strip()
    surname: tuple[str, ...] = ()
    rest = text
    if not any(dot in text for dot in _NAME_DOTS):
        head = _HAN_AT_START.match(text)
        if head:
            if head.group() in _COMPOUND_SURNAMES:
                surname = _COMPOUND_SURNAMES[head.group()]
                rest = text[2:]
            elif text[0] in _SURNAME_READINGS:
                surname = (_SURNAME_READINGS[text[0]],)
                rest = text[1:]
    full = [*surname, *(_key_chunk(c) for c in lazy_pinyin(rest, style=Style.NORMAL))]
    initials = [*(syllable[0] for syllable in surname),
                *(_key_chunk(c) for c in lazy_pinyin(rest, style=Style.FIRST_LETTER))]
    return "".join(full)[:_PINYIN_MAX], "".join(initials)[:_INITIALS_MAX]


def tails(phone: str, id_number: str) -> tuple[str, str]:
    """(`phone_tail`, `id_tail`): the last 4 digits of the phone ("" if it has fewer than 4 digits) and
    the last 6 characters of the ID number, upper-cased ("x" -> "X")."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if "0" <= ch <= "9")
    phone_tail = digits[-4:] if len(digits) >= 4 else ""
    id_tail = unicodedata.normalize("NFKC", id_number or "").strip().upper()[-6:]
    return phone_tail, id_tail


def person_search_q(q: str) -> Q:
    """A `Q` over `Person` for what a user typed in the search box.

    The text is folded to half-width (NFKC), stripped and cut to 50 characters, then:

    - empty: matches nothing (``Q(pk__in=[])``);
    - any Chinese character (张三, 李Ming): ``name__contains``;
    - letters only, inner spaces ignored (zs, zhangsan, "zhang san"), lower-cased:
      ``name_initials__startswith`` or ``name_pinyin__contains`` (a pinyin prefix is a special case of
      contains, so "zhang" and "san" both find 张三);
    - exactly 4 digits (1234): ``phone_tail`` exact or ``id_tail__endswith``;
    - 4-6 digits whose last may be X (002X, 31002X), upper-cased: ``id_tail__endswith``;
    - a whole ID number (17 digits and a digit or X), upper-cased: ``id_number`` exact;
    - a whole phone number, 7-15 digits that may be grouped with "-" (0871-65123456): ``phone`` exact,
      as services store phones as digits and "-";
    - anything else (1-3 digits, punctuation, mixed text): ``name__contains``.
    """
    text = unicodedata.normalize("NFKC", q or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return Q(pk__in=[])
    if _HAN.search(text):
        return Q(name__contains=text)

    compact = _SPACES.sub("", text)
    letters = compact.lower()
    if _LETTERS.fullmatch(letters):
        return Q(name_initials__startswith=letters) | Q(name_pinyin__contains=letters)

    upper = compact.upper()
    if _DIGITS4.fullmatch(upper):
        return Q(phone_tail=upper) | Q(id_tail__endswith=upper)
    if _ID_TAIL.fullmatch(upper):
        return Q(id_tail__endswith=upper)
    if _ID_NUMBER.fullmatch(upper):
        return Q(id_number=upper)
    if _PHONE.fullmatch(upper) and 7 <= len(upper.replace("-", "")) <= 15:
        return Q(phone=upper)
    return Q(name__contains=text)
