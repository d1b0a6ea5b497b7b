"""The shape differ names the path that differs (so a drift is easy to find)."""

from .shape import differences


def test_same_shape_with_other_values_and_nulls():
    assert differences({"a": 1, "b": [{"c": "x"}], "d": None}, {"a": 2, "b": [], "d": {}}) == []


def test_missing_extra_and_retyped_keys_are_named_by_path():
    expected = {"id": 1, "customer": {"email": "a@b.c", "id": 2}, "tags": [{"id": 1}]}
    actual = {"id": "1", "customer": {"id": 2, "mail": "x"}, "tags": [{"id": 1, "n": 0}]}
    assert differences(expected, actual) == [
        "$.id: number in Help Scout's, string in the sandbox's",
        "$.customer.email: missing in the sandbox",
        "$.customer.mail: not in Help Scout's",
        "$.tags[0].n: not in Help Scout's",
    ]
