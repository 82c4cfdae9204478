"""Chinese text and identity helpers: ID numbers (GB 11643), mobiles, masking, pinyin, simplification."""

import datetime
import re
from functools import lru_cache

from django.core.exceptions import ValidationError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_number_check_digit(first_seventeen: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_id_number(value: str) -> str:
    """Return the normalized 18-character resident ID number or raise a Chinese message."""
    number = normalize_id_number(value)
    if not ID_PATTERN.match(number):
        raise ValidationError("身份证号码应为18位，前17位为数字，最后一位为数字或X。", code="id_format")
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth_date") from error
    if id_number_check_digit(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入。", code="id_check_digit")
    return number


def birth_date_from_id_number(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id_number(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def validate_mobile(value: str) -> str:
    number = normalize_mobile(value)
    if not MOBILE_PATTERN.match(number):
        raise ValidationError("手机号码应为11位中国大陆手机号，以1开头。", code="mobile_format")
    return number


def mask_id_number(number: str) -> str:
    """Keep the region (4) and the last four characters: 3502**********123X."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(number: str) -> str:
    if not number:
        return ""
    return number[:3] + "****" + number[-4:]


@lru_cache(maxsize=1)
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _simplifier().convert(text or "")


def pinyin_keys(text: str) -> str:
    """Full pinyin and initials of a name, for search: 海沧区 → 'haicangqu hcq'."""
    from pypinyin import Style, lazy_pinyin

    simplified = to_simplified(text)
    syllables = lazy_pinyin(simplified, errors=lambda chars: list(chars.lower()))
    initials = lazy_pinyin(simplified, style=Style.FIRST_LETTER, errors=lambda chars: list(chars.lower()))
    return "".join(syllables).lower() + " " + "".join(initials).lower()


def search_text(*parts: str) -> str:
    """Everything a name can be found by: simplified text and its pinyin keys, lower-case."""
    words = []
    for part in parts:
        if part:
            simplified = to_simplified(part)
            words.append(simplified.lower())
            words.append(pinyin_keys(simplified))
    return " ".join(words)


def normalize_query(query: str) -> str:
    """What a search box typed turns into before matching `search_text`."""
    return to_simplified((query or "").strip()).lower()


MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER_IN_TEXT = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")


def redact_personal_numbers(text: str, *, mobile_label: str = "【电话已隐去】", id_label: str = "【证件号已隐去】") -> str:
    """Hide mobiles and ID numbers a resident typed into free text before it is shown publicly."""
    text = ID_NUMBER_IN_TEXT.sub(id_label, text or "")
    return MOBILE_IN_TEXT.sub(mobile_label, text)


# GB 32100-2015 统一社会信用代码: 18 characters from 31 (no I, O, Z, S, V); the last is a check character.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def credit_code_check_character(first_seventeen: str) -> str:
    total = sum(CREDIT_CODE_CHARACTERS.index(character) * weight
                for character, weight in zip(first_seventeen, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalized unified social credit code (GB 32100-2015) or raise a Chinese message."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位。", code="credit_code_length")
    if not CREDIT_CODE_PATTERN.match(code):
        raise ValidationError("统一社会信用代码含有无效字符（不使用I、O、Z、S、V），第3至8位应为行政区划代码。",
                              code="credit_code_format")
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入。", code="credit_code_check_digit")
    return code
