import datetime

import pytest
from django.core.exceptions import ValidationError

from yuntu.core import chinese, crypto
from yuntu.core.cast import id_number


def test_valid_id_number_passes_and_is_normalized():
    number = id_number("350205", datetime.date(1990, 2, 28), 7)
    assert chinese.validate_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("value", "code"),
    [("35020519900228007", "id_format"), ("350205199002300071", "id_birth_date"), ("", "id_format")],
)
def test_bad_id_numbers_are_refused_in_chinese(value, code):
    with pytest.raises(ValidationError) as caught:
        chinese.validate_id_number(value)
    assert caught.value.code == code
    assert "身份证" in caught.value.messages[0]


def test_wrong_check_digit_is_refused():
    number = id_number("350205", datetime.date(1990, 2, 28), 7)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        chinese.validate_id_number(wrong)
    assert caught.value.code == "id_check_digit"


def test_known_check_digit():
    # GB 11643 worked example: 11010519491231002 → X
    assert chinese.id_number_check_digit("11010519491231002") == "X"


def test_mobile_validation_and_masking():
    assert chinese.validate_mobile("+86 138-5920-1234") == "13859201234"
    with pytest.raises(ValidationError):
        chinese.validate_mobile("12859201234")
    assert chinese.mask_mobile("13859201234") == "138****1234"
    assert chinese.mask_id_number("35020519900228007X") == "3502**********007X"


def test_search_text_has_pinyin_initials_and_simplified_form():
    text = chinese.search_text("海沧區")
    assert "海沧区" in text and "haicangqu" in text and "hcq" in text
    assert chinese.normalize_query("萬科") == "万科"


def test_encryption_round_trip_and_digest_is_stable():
    token = crypto.encrypt("13859201234")
    assert "13859201234" not in token
    assert crypto.decrypt(token) == "13859201234"
    assert crypto.digest("x") == crypto.digest("x") != crypto.digest("y")


@pytest.mark.parametrize("code", ["91440300708461136T", "91110000600037341L", "911100001000044477"])
def test_real_format_credit_codes_pass(code):
    assert chinese.validate_credit_code(code.lower()) == code


def test_credit_code_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as caught:
        chinese.validate_credit_code("91440300708461136U")
    assert caught.value.code == "credit_code_check_digit"
    assert "校验位" in caught.value.messages[0]


@pytest.mark.parametrize(("value", "code"), [("9144030070846113", "credit_code_length"),
                                             ("91440300708461136I".replace("6I", "I6"), "credit_code_format"),
                                             ("9144AB00708461136T", "credit_code_format")])
def test_malformed_credit_codes_are_refused(value, code):
    with pytest.raises(ValidationError) as caught:
        chinese.validate_credit_code(value)
    assert caught.value.code == code


def test_credit_code_check_character_covers_the_zero_case():
    # A total divisible by 31 gives check character 0, not the out-of-range 31st.
    assert chinese.credit_code_check_character("00000000000000000") == "0"
