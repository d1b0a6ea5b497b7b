"""`emails.email_key`: Help Scout's comparison of addresses, without Unicode folding."""

import pytest

from helpscout_integration.emails import (
    UnsafeAddress,
    check_address,
    email_key,
    email_keys,
    refusal,
)


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


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("kate@example.org", None),
        ("Kate@EXAMPLE.org", None),  # ASCII case: Help Scout folds it, and so does email_key
        ("  kate@example.org ", None),
        ("kate+support@example.org", None),  # plus-addressing: a distinct address
        ("j\u00f6rg@example.org", None),
        ("j\u00f6rg@b\u00fccher.example", None),
        ("zo\u00eb@ex\u00e4mple.com", None),
        ("\u212aate@example.org", "compatibility_characters"),  # KELVIN SIGN
        ("\u017fam@example.org", "compatibility_characters"),  # LONG S
        ("\uff4bate@example.org", "compatibility_characters"),  # FULLWIDTH k
        ("\ufb01le@example.org", "compatibility_characters"),  # fi LIGATURE
        ("kate@\uff45xample.org", "compatibility_characters"),  # in the domain too
        ("jo\u0308rg@example.org", "not_composed"),  # NFD
        ("J\u00d6RG@example.org", "case_folds"),
        ("J\u00f6rg@example.org", "case_folds"),
        ("j\u00f6rg@EXAMPLE.org", "case_folds"),  # non-ASCII address: no case may differ
        ("k\u0131te@example.org", "case_folds"),  # DOTLESS I upper-cases to I
        ("\u0130da@example.org", "case_folds"),  # CAPITAL I WITH DOT
        ("stra\u00dfe@example.org", "case_folds"),  # SHARP S case-folds to ss
        ("kate@example.org.", "empty_part"),
        ("kate.@example.org", "empty_part"),
        ("ka..te@example.org", "empty_part"),
        ("j\u00f6rg@xn--bcher-kva.example", "punycode_domain"),
        ("kate@XN--bcher-kva.example", "punycode_domain"),
        ("kate", "not_an_address"),
        ("a@b@example.org", "not_an_address"),
        ("ka te@example.org", "not_an_address"),
        ("", "not_an_address"),
        (None, "not_an_address"),
    ],
)
def test_the_identity_rule_refuses_what_help_scout_may_fold(address, code):
    refused = refusal(address)
    assert (refused.code if refused else None) == code


def test_a_refusal_message_names_the_reason_never_the_address():
    with pytest.raises(UnsafeAddress) as raised:
        check_address("\u212aate@example.org")
    assert "compatibility characters" in str(raised.value)
    assert "ate@example.org" not in str(raised.value)
    assert check_address(" Kate@Example.org ") == "Kate@Example.org"  # exactly, stripped


def test_accepted_addresses_are_their_own_fold():
    """The property the rule rests on: an accepted address is what Help Scout's folding
    (lower-casing, NFKC) makes of it, up to ASCII case, which `email_key` folds too; so
    two accepted addresses Help Scout may confuse always share a key."""
    import unicodedata

    for address in ["j\u00f6rg@b\u00fccher.example", "kate@example.org", "Kate@Example.org"]:
        folded = unicodedata.normalize("NFKC", address).lower()
        assert refusal(address) is None and email_key(folded) == email_key(address)


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
