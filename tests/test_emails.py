"""`emails.email_key`: Help Scout's comparison of addresses, without Unicode folding."""

import pytest

from helpscout_integration.emails import email_key, email_keys


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("Kate@Example.COM", "kate@example.com"),
        ("  ada@example.com ", "ada@example.com"),
        ("\u212aate@example.com", "\u212aate@example.com"),  # KELVIN SIGN: not a "k"
        ("\u017fam@example.com", "\u017fam@example.com"),  # LONG S: not an "s"
        ("Jörg@EXAMPLE.com", "Jörg@EXAMPLE.com"),  # non-ASCII: exactly itself
        ("jörg@xn--bcher-kva.example", "jörg@xn--bcher-kva.example"),
        ("", ""),
        (None, ""),
    ],
)
def test_email_key(address, key):
    assert email_key(address) == key


def test_email_keys_are_distinct_and_ordered():
    assert email_keys(["B@x.io", "b@x.io", "", "\u212a@x.io", "k@x.io"]) == [
        "b@x.io",
        "\u212a@x.io",
        "k@x.io",
    ]
