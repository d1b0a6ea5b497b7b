"""Compare the shape of two JSON values: same keys, same JSON types, same nesting.

`differences(help_scout, sandbox)` names every path where the sandbox's object departs
from Help Scout's documented one (`$.primaryCustomer.email: missing in the sandbox`). A
`null` on either side matches any type: Help Scout's documented examples and a given
object differ in which optional values are set, not in their shape. Lists compare their
first elements (a list of things of one kind); an empty list matches any list.
"""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every path where `actual` has another shape than `expected` (empty: same shape)."""
    kinds = json_type(expected), json_type(actual)
    if "null" in kinds:
        return []
    if kinds[0] != kinds[1]:
        return [f"{path}: {kinds[0]} in Help Scout's, {kinds[1]} in the sandbox's"]
    if isinstance(expected, dict):
        found = [f"{path}.{key}: missing in the sandbox" for key in expected if key not in actual]
        found += [f"{path}.{key}: not in Help Scout's" for key in actual if key not in expected]
        for key in expected:
            if key in actual:
                found += differences(expected[key], actual[key], f"{path}.{key}")
        return found
    if isinstance(expected, list) and expected and actual:
        return differences(expected[0], actual[0], f"{path}[0]")
    return []
