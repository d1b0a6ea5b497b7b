"""What every resource group shares: GET a document, walk a list, create, update.

Resource modules only know Help Scout paths and the `_embedded` keys of their lists; all
wire concerns (auth, limits, retries, errors) stay in the transport.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from ...exceptions import APIError
from ...jsontypes import JSONObject
from ..pagination import Listing, Page, hal_page
from ..transport import Transport, created_id, require_created_id


def read_json(response: httpx.Response) -> Any:
    """The JSON body of a successful response; `{}` when Help Scout sent none."""
    if not response.content.strip():
        return {}
    try:
        return response.json()
    except ValueError:
        raise APIError(
            "Help Scout answered with a body that is not JSON.",
            status_code=response.status_code,
            method=response.request.method,
            url=response.request.url.path,
        ) from None


class Resource:
    """A group of endpoints on one transport."""

    page_reader: Callable[[Any, str, int], Page] = staticmethod(hal_page)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return read_json(self._transport.request("GET", path, params=params))

    def _get_object(self, path: str, params: dict[str, Any] | None = None) -> JSONObject:
        """GET one resource: Help Scout answers with a JSON object (its shape is checked
        where it is parsed, in payloads/, so nothing is validated here)."""
        body: JSONObject = self._get(path, params)
        return body

    def _list(self, path: str, key: str, params: dict[str, Any] | None = None) -> Listing:
        """A lazy listing; a `page` parameter is where it starts."""
        self._transport.ensure_configured()  # fail at the call, not at the first next()
        params = dict(params or {})
        start_page = int(params.pop("page", None) or 1)
        reader = type(self).page_reader

        def fetch(number: int) -> Page:
            return reader(self._get(path, {**params, "page": number}), key, number)

        return Listing(fetch, start_page=start_page)

    def _create(self, path: str, body: Any) -> int:
        response = self._transport.request("POST", path, json=body)
        return require_created_id(response, method="POST", path=response.request.url.path)

    def _create_optional_id(self, path: str, body: Any) -> int | None:
        return created_id(self._transport.request("POST", path, json=body))  # type: ignore[return-value]

    def _write(self, method: str, path: str, body: Any = None) -> None:
        self._transport.request(method, path, json=body)  # 204: nothing to read
