"""Webhook deliveries: Help Scout's POSTs to registered URLs, signed, retried, sometimes
duplicated or reordered on purpose.

The store announces each change; `WebhookDispatcher.emit` turns it into one delivery per
matching webhook (body = the v2 object, `X-HelpScout-Signature` = base64 HMAC-SHA1 of the
raw body keyed with the webhook's secret) and a background thread POSTs them with httpx.
A non-2xx answer or a network error is retried after a bounded backoff. With `shuffle`
on, bursts go out in a random order and some deliveries are held back as if their first
attempt had failed and Help Scout retried them later (growing delays), so an older
version of a conversation can arrive after a newer one, as it can from Help Scout. With
`merged_threads` off, a `convo.merged` body leaves out the threads the merge moved in
(Help Scout's are reported to), so a receiver must find the merge's source another way.
Never blocks the caller on I/O; never logs a secret.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import shapes
from .store import Store

logger = logging.getLogger("helpscout_integration.sandbox.webhooks")

# Help Scout retries over hours; the sandbox keeps the shape (growing delays, bounded
# attempts) on a test-friendly clock.
DEFAULT_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4)
SHUFFLE_WINDOW_SECONDS = 0.05
# With shuffle on: the share of deliveries held back, and how long (seconds) a held one
# waits, like a failed first attempt retried with a growing delay. Longer than the gap
# between a test's rounds of changes, so a held delivery lands after newer ones.
LATE_SHARE = 0.35
LATE_DELAYS = (0.5, 1.0, 2.0, 3.0)


def _without_threads(payload: dict[str, Any], thread_ids: frozenset[int]) -> dict[str, Any]:
    """`payload` with the embedded threads in `thread_ids` left out (counts unchanged)."""
    embedded = dict(payload.get("_embedded") or {})
    embedded["threads"] = [t for t in embedded.get("threads", []) if t["id"] not in thread_ids]
    return {**payload, "_embedded": embedded}


def sign(body: bytes, secret: str) -> str:
    """Help Scout's signature: base64 of HMAC-SHA1(secret, raw body)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Delivery:
    """One POST of one event to one URL, with every attempt's outcome."""

    id: int
    event: str
    url: str
    body: bytes
    signature: str
    webhook_id: int | None = None
    duplicate: bool = False
    attempts: list[int | str] = field(default_factory=list)  # status code or error text
    delivered: bool = False
    gave_up: bool = False
    held_for: float = 0.0  # seconds held back on purpose (shuffle), before any attempt
    delivered_order: int | None = None  # 1 for the first delivery that got through, ...

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


class WebhookDispatcher:
    def __init__(
        self,
        store: Store,
        api_base: Callable[[], str],
        retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
        timeout: float = 5.0,
    ) -> None:
        self.store = store
        self.api_base = api_base
        self.retry_delays = tuple(retry_delays)
        self.timeout = timeout
        self.duplicate = False
        self.shuffle = False
        self.merged_threads = True  # a convo.merged body embeds the threads it moved in
        self.late_share = LATE_SHARE
        self.late_delays = LATE_DELAYS
        self.log: list[Delivery] = []
        self._ids = itertools.count(1)
        self._seq = itertools.count()
        self._delivered = itertools.count(1)
        self._queue: list[tuple[float, int, Delivery]] = []
        self._in_flight = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._rng = random.Random()  # noqa: S311 (delivery order, not security)
        # Holds are drawn as changes are made (in the caller's thread), the burst order in
        # the delivery thread: separate generators keep a seeded run's holds repeatable.
        self._hold_rng = random.Random()  # noqa: S311

    # -- producing -------------------------------------------------------------------------------

    def emit(
        self, event: str, kind: str, obj: Any, merged_threads: frozenset[int] = frozenset()
    ) -> None:
        """Called by the store (under its lock) after each change; `merged_threads`: the
        threads a merge moved into `obj`."""
        webhooks = [w for w in self.store.webhooks.values() if w.state == "enabled"]
        if not webhooks:
            return
        body: bytes | None = None
        for webhook in webhooks:
            if webhook.events is not None and event not in webhook.events:
                continue
            mailbox_id = getattr(obj, "mailbox_id", None)
            if webhook.mailbox_ids and mailbox_id is not None:
                if mailbox_id not in webhook.mailbox_ids:
                    continue
            if body is None:
                payload = self._payload(kind, obj)
                if event == "convo.merged" and not self.merged_threads:
                    payload = _without_threads(payload, merged_threads)
                body = json.dumps(payload).encode()
            content = body
            if webhook.notification and kind != "deleted":
                content = json.dumps({"id": obj.id, "url": self._resource_url(kind, obj)}).encode()
            copies = 2 if self.duplicate else 1
            for copy in range(copies):
                delivery = Delivery(
                    id=next(self._ids),
                    event=event,
                    url=webhook.url,
                    body=content,
                    signature=sign(content, webhook.secret),
                    webhook_id=webhook.id,
                    duplicate=copy > 0,
                )
                delivery.held_for = self._hold()
                self._enqueue(delivery, delay=delivery.held_for)

    def seed(self, value: int | None) -> None:
        """Make the shuffle's choices (order, which deliveries are held) repeatable."""
        self._rng.seed(value)
        self._hold_rng.seed(value)

    def _hold(self) -> float:
        """How long to hold a new delivery back: 0, or (shuffle on, sometimes) a retry
        delay, as when Help Scout's first attempt failed and a later one got through."""
        if not self.shuffle or self._hold_rng.random() >= self.late_share:
            return 0.0
        return self._hold_rng.choice(self.late_delays)

    def _payload(self, kind: str, obj: Any) -> Any:
        base = self.api_base()
        if hasattr(obj, "webhook_payload"):  # newer resource families shape their own
            return obj.webhook_payload()
        if kind == "conversation":
            return shapes.conversation(obj, self.store, base, embed_threads=True)
        if kind == "customer":
            return shapes.customer(obj, base, self.store)
        if kind == "tag":
            return shapes.tag(obj, base, self.store)
        if kind == "rating":
            return shapes.rating(obj, self.store, base)
        return obj  # deleted: {"id": ...}

    def _resource_url(self, kind: str, obj: Any) -> str:
        if hasattr(obj, "resource_path"):
            return f"{self.api_base()}{obj.resource_path}"
        plural = {
            "conversation": "conversations",
            "customer": "customers",
            "tag": "tags",
            "rating": "ratings",
        }[kind]
        return f"{self.api_base()}/{plural}/{obj.id}"

    def _enqueue(self, delivery: Delivery, delay: float) -> None:
        with self._cond:
            if delivery not in self.log:
                self.log.append(delivery)
            heapq.heappush(self._queue, (time.monotonic() + delay, next(self._seq), delivery))
            self._cond.notify_all()

    # -- consuming ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(
                target=self._run, name="helpscout-sandbox-webhooks", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _take_due(self) -> list[Delivery] | None:
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                if self._queue and self._queue[0][0] <= now:
                    if self.shuffle:
                        # Let a burst gather, then deliver it in a random order.
                        self._cond.wait(SHUFFLE_WINDOW_SECONDS)
                        now = time.monotonic()
                    batch = []
                    while self._queue and self._queue[0][0] <= now:
                        batch.append(heapq.heappop(self._queue)[2])
                    if self.shuffle:
                        self._rng.shuffle(batch)
                    self._in_flight += len(batch)
                    return batch
                timeout = self._queue[0][0] - now if self._queue else None
                self._cond.wait(timeout)
            return None

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as http:
            while True:
                batch = self._take_due()
                if batch is None:
                    return
                for delivery in batch:
                    try:
                        self._attempt(http, delivery)
                    finally:
                        with self._cond:
                            self._in_flight -= 1
                            self._cond.notify_all()

    def _attempt(self, http: httpx.Client, delivery: Delivery) -> None:
        try:
            response = http.post(
                delivery.url,
                content=delivery.body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "HelpScout-Sandbox-Webhooks",
                    "X-HelpScout-Event": delivery.event,
                    "X-HelpScout-Signature": delivery.signature,
                },
            )
            outcome: int | str = response.status_code
            ok = 200 <= response.status_code < 300
        except httpx.HTTPError as error:
            outcome, ok = f"{type(error).__name__}", False
        delivery.attempts.append(outcome)
        if ok:
            delivery.delivered = True
            delivery.delivered_order = next(self._delivered)
            return
        retry = len(delivery.attempts) - 1
        if retry < len(self.retry_delays):
            self._enqueue(delivery, self.retry_delays[retry])
        else:
            delivery.gave_up = True
            logger.info(
                "sandbox webhook %s to %s failed %d times; giving up",
                delivery.event,
                delivery.url,
                len(delivery.attempts),
            )

    # -- waiting -----------------------------------------------------------------------------------

    def idle(self) -> bool:
        with self._cond:
            return not self._queue and not self._in_flight

    def wait(self, timeout: float = 5.0) -> bool:
        """Block until every queued delivery (retries included) finished; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.05))
            return True
