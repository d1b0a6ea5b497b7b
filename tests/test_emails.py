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


@pytest.mark.django_db
def test_rows_with_email_finds_a_non_ascii_address_only_by_itself():
    """The database narrows by `iexact` (which may fold more than Help Scout does); what
    is returned is decided by `email_key`: a non-ASCII address matches only itself, an
    ASCII one every ASCII-case variant."""
    from helpscout_integration.emails import rows_with_email
    from helpscout_integration.models import Agent

    upper = Agent.objects.create(id=1, email="Jörg@bücher.example")
    lower = Agent.objects.create(id=2, email="jörg@bücher.example")
    kate = Agent.objects.create(id=3, email="kate@example.com")
    agents = Agent.objects.order_by("id")

    def found(address):
        return rows_with_email(agents, "email", [address])

    assert found("Jörg@bücher.example") == [upper]
    assert found("jörg@bücher.example") == [lower]
    assert found("JÖRG@BÜCHER.EXAMPLE") == []
    assert found("jörg@xn--bcher-kva.example") == []
    assert found("KATE@Example.com") == [kate]
    assert found("\u212aate@example.com") == []
