"""`loads_strict`: JSON the mirror could never store is refused once, with a reason."""

from __future__ import annotations

import pytest

from helpscout_integration.webhooks.strict_json import MAX_DEPTH, UnsafeJSON, loads_strict

DEEP_ARRAY = b"[" * 1000 + b"]" * 1000
DEEP_OBJECT = b'{"a":' * 1000 + b"1" + b"}" * 1000


@pytest.mark.parametrize(
    "body,reason",
    [
        (DEEP_ARRAY, "nested deeper"),
        (DEEP_OBJECT, "nested deeper"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested deeper"),
        (b'{"subject": "\\ud800"}', "lone UTF-16 surrogate"),
        (b'{"\\udfff": 1}', "lone UTF-16 surrogate"),
        (b'{"subject": "a\\u0000b"}', "NUL"),
        (b'{"id": 9223372036854775808}', "beyond 64 bits"),
        (b'{"id": -9223372036854775809}', "beyond 64 bits"),
        (b'{"id": ' + b"9" * 5000 + b"}", "beyond 64 bits"),
        (b'{"score": 1e400}', "out of range"),
        (b'{"score": NaN}', "NaN is not JSON"),
        (b"\xed\xa0\x80", "not UTF-8"),  # a surrogate encoded as UTF-8 bytes
        (b"\xff", "not UTF-8"),
        (b"{nope", "Expecting property name"),
    ],
)
def test_refused_with_a_reason(body, reason):
    with pytest.raises(UnsafeJSON, match=reason):
        loads_strict(body)


def test_the_reason_never_carries_the_offending_text():
    with pytest.raises(UnsafeJSON) as caught:
        loads_strict(b'{"subject": "secret\\ud800"}')
    assert "secret" not in str(caught.value)
    str(caught.value).encode("utf-8")  # storable as an error message


@pytest.mark.parametrize(
    "body,expected",
    [
        (b'{"id": 9223372036854775807}', {"id": 2**63 - 1}),
        (b'{"id": -9223372036854775808}', {"id": -(2**63)}),
        (b'"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one real character
        (b'"\\\\u0000 \\\\ud800"', "\\u0000 \\ud800"),  # escaped backslashes, not escapes
        (b'{"score": 4.5, "ok": true, "none": null}', {"score": 4.5, "ok": True, "none": None}),
        ("caf\u00e9".join(['"', '"']).encode(), "caf\u00e9"),
    ],
)
def test_ordinary_json_is_decoded_as_json_would(body, expected):
    assert loads_strict(body) == expected


def test_nesting_up_to_the_limit_is_fine():
    body = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert loads_strict(body) is not None
    wide = b"[" + b",".join([b"[[1]]"] * 500) + b"]"  # many containers, shallow
    assert len(loads_strict(wide)) == 500
