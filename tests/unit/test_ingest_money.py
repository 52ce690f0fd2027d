"""Money in whole units with an ISO 4217 currency, and figures with their unit."""

import pytest

from api.ingest.read import money


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("a debt deal of $127 million", 127_000_000, "USD"),
        ("credit lines of R$21 billion", 21_000_000_000, "BRL"),
        ("a KSh2.5 billion loan", 2_500_000_000, "KES"),
        ("a ¥3 trillion package", 3_000_000_000_000, "JPY"),
        ("a €300m grant", 300_000_000, "EUR"),
        ("trade of US$1.2bn", 1_200_000_000, "USD"),
        ("2 billion yuan in credit", 2_000_000_000, "CNY"),
    ],
)
def test_amount_in_whole_units_with_currency(text, amount, currency):
    (found,) = money.find(text)
    assert (found.amount, found.currency) == (amount, currency)
    assert text[found.start : found.end].strip()[0] in "$R$K¥€U2"


def test_a_bare_dollar_sign_is_read_as_us_dollars_and_flagged():
    (found,) = money.find("worth $8 billion")
    assert found.currency == "USD" and found.inferred_currency
    (found,) = money.find("worth US$8 billion")
    assert not found.inferred_currency


def test_yen_sign_in_a_sentence_about_china_is_the_yuan():
    (found,) = money.find("China lent ¥40 billion to the port")
    assert found.currency == "CNY"


def test_rupees_follow_the_country_the_sentence_names():
    (found,) = money.find("a grant of Rs 10 crore", countries=("PK",))
    assert (found.amount, found.currency) == (100_000_000, "PKR")


def test_figures_with_units_and_no_currency():
    found = money.find("exports rose 20 per cent and 5,000 troops left")
    assert [(f.amount, f.unit, f.currency) for f in found] == [
        (20, "percent", None), (5000, "troops", None)]


def test_years_and_plain_numbers_are_not_money():
    assert money.find("In 1969 two delegations met") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The government has provided 46 billion forints to Serbia.", [(46 * 10**9, "HUF")]),
        ("approving about TOP$5.6 million (RMB 20 million) for roads",
         [(5_600_000, "TOP"), (20_000_000, "CNY")]),
        ("a grant of 3 million tala and 12 million kwanzas", [(3_000_000, "WST"),
                                                               (12_000_000, "AOA")]),
    ],
)
def test_more_currencies_written_as_words_and_symbols(text, expected):
    assert [(m.amount, m.currency) for m in money.find(text, 0, ())] == expected
