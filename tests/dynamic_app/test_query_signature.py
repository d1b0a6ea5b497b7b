"""The App platform's query signature, against vectors encoded by hand with PHP's rules.

Each expected JSON string below is written out literally (not produced by any encoder),
following PHP `json_encode` defaults: `/` as `\\/`, non-ASCII as lowercase `\\uXXXX`,
astral characters as surrogate pairs, DEL left raw, keys in the order received. The
HMAC is then computed here with the standard library over those literal bytes.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote

import pytest

from helpscout_integration.dynamic_app.query_signature import (
    SIGNATURE_PARAM,
    MalformedQuery,
    compute_query_signature,
    parse_query,
    php_json_object,
    verify_query,
)

SECRET = "my-secret-key"


def hmac_b64(data: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), data, hashlib.sha1).digest()).decode()


VECTORS = [
    # (pairs, the bytes PHP's json_encode gives for them, written by hand)
    (
        [("conversation-id", "123"), ("customer-id", "500")],
        b'{"conversation-id":"123","customer-id":"500"}',
    ),
    ([("path", "a/b")], b'{"path":"a\\/b"}'),
    ([("name", "Zo\u00eb")], b'{"name":"Zo\\u00eb"}'),
    ([("euro", "\u20ac")], b'{"euro":"\\u20ac"}'),
    ([("emoji", "\U0001f600")], b'{"emoji":"\\ud83d\\ude00"}'),
    ([("q", 'say "hi" \\ bye')], b'{"q":"say \\"hi\\" \\\\ bye"}'),
    ([("ctl", "a\tb\nc\x01")], b'{"ctl":"a\\tb\\nc\\u0001"}'),
    ([("del", "x\x7fy")], b'{"del":"x\x7fy"}'),
    ([("lit", "\\u007f")], b'{"lit":"\\\\u007f"}'),  # a literal backslash-u stays escaped
    ([("b", "2"), ("a", "1")], b'{"b":"2","a":"1"}'),  # order received, not sorted
    ([("empty", "")], b'{"empty":""}'),
    ([("\u00e9/k", "v")], b'{"\\u00e9\\/k":"v"}'),  # keys follow the same rules
    ([], b"[]"),  # an empty PHP array is a list
    ([("0", "a"), ("1", "b/c")], b'["a","b\\/c"]'),  # keys 0..n-1: a list too
    ([("1", "a"), ("0", "b")], b'{"1":"a","0":"b"}'),  # not in order: an object
    ([("0", "a"), ("01", "b")], b'{"0":"a","01":"b"}'),
]


@pytest.mark.parametrize(("pairs", "expected"), VECTORS)
def test_php_json_object_is_byte_for_byte_php(pairs, expected):
    assert php_json_object(pairs).encode("ascii") == expected


@pytest.mark.parametrize(("pairs", "expected"), VECTORS)
def test_signature_matches_an_independent_hmac_of_the_php_bytes(pairs, expected):
    assert compute_query_signature(pairs, SECRET) == hmac_b64(expected)


def query(pairs) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


@pytest.mark.parametrize(("pairs", "expected"), VECTORS)
def test_verify_accepts_help_scouts_signature(pairs, expected):
    raw = query([*pairs, (SIGNATURE_PARAM, hmac_b64(expected))])
    assert verify_query(raw, SECRET) == pairs


def test_verify_refuses_a_missing_empty_or_wrong_signature():
    pairs = [("conversation-id", "123"), ("customer-id", "500")]
    good = hmac_b64(b'{"conversation-id":"123","customer-id":"500"}')
    assert verify_query(query(pairs), SECRET) is None
    assert verify_query(query([*pairs, (SIGNATURE_PARAM, "")]), SECRET) is None
    assert verify_query(query([*pairs, (SIGNATURE_PARAM, "bm90IGl0")]), SECRET) is None
    assert verify_query(query([*pairs, (SIGNATURE_PARAM, good)]), "other-secret") is None
    assert verify_query(query([*pairs, (SIGNATURE_PARAM, good)]), "") is None
    tampered = [("conversation-id", "124"), ("customer-id", "500")]
    assert verify_query(query([*tampered, (SIGNATURE_PARAM, good)]), SECRET) is None


def test_reordered_parameters_do_not_verify():
    good = hmac_b64(b'{"conversation-id":"123","customer-id":"500"}')
    swapped = [("customer-id", "500"), ("conversation-id", "123"), (SIGNATURE_PARAM, good)]
    assert verify_query(query(swapped), SECRET) is None


def test_the_apps_own_url_parameters_are_left_out_and_not_returned():
    good = hmac_b64(b'{"conversation-id":"123"}')
    raw = query([("tenant", "acme"), ("conversation-id", "123"), (SIGNATURE_PARAM, good)])
    assert verify_query(raw, SECRET) is None  # tenant counted: not what was signed
    assert verify_query(raw, SECRET, own_params={"tenant"}) == [("conversation-id", "123")]


def test_an_unencoded_plus_in_the_signature_is_restored():
    # Find context whose signature holds a "+", then send it raw (read back as a space).
    for n in range(1000):
        data = b'{"user-id":"%d"}' % n
        signature = hmac_b64(data)
        if "+" in signature:
            break
    raw = f"user-id={n}&{SIGNATURE_PARAM}={signature.replace('=', '%3D')}"
    assert verify_query(raw, SECRET) == [("user-id", str(n))]


def test_form_encoding_and_utf8_are_decoded_like_php():
    raw = "name=Zo%C3%AB+Smith&path=a%2Fb&flag"
    assert parse_query(raw) == [("name", "Zo\u00eb Smith"), ("path", "a/b"), ("flag", "")]


@pytest.mark.parametrize(
    "raw",
    [
        "a=1&a=2",  # repeated: ambiguous
        "a=%ff%fe",  # not UTF-8
        "=value",  # no name
        "a=" + "x" * 9000,  # far longer than anything Help Scout sends
        "&".join(f"k{i}=v" for i in range(100)),
    ],
)
def test_malformed_queries_are_refused_before_any_hmac(raw):
    with pytest.raises(MalformedQuery):
        verify_query(raw, SECRET)
