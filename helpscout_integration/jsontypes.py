"""Names for decoded JSON values, shared by the client, the payload parsers and webhooks.

Help Scout's bodies are checked field by field where they are read (payloads/), so the
values inside an object stay `Any` until then; these aliases say at each signature that
a value is a decoded JSON object or array, not an arbitrary Python object.
"""

from __future__ import annotations

from typing import Any, TypeAlias

JSONObject: TypeAlias = dict[str, Any]
"""A decoded JSON object (keys are always strings in JSON)."""

JSONArray: TypeAlias = list[Any]
"""A decoded JSON array, its items not yet checked."""
