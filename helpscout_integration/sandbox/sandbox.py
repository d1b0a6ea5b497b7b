"""`Sandbox`: a local Help Scout on an ephemeral 127.0.0.1 port, in a background thread.

Puts the pieces together (store, seed, OAuth, rate limit, faults, webhooks, HTTP routes)
and offers Python helpers that change the account exactly as the API would, announcing
webhooks the same way. Binds to loopback only; never reaches the real Help Scout.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import apps, beacon_api, control, docs_api, mailbox_api, shapes
from . import seed as seeds
from .clock import Clock, parse_iso
from .conversation_index import ConversationIndex
from .faults import Faults
from .oauth import OAuth, TokenError
from .ratelimit import DEFAULT_WRITE_BURST, RateLimiter
from .server import ApiError, DropConnection, Request, Response, SandboxHTTPServer
from .store import Invalid, NotFound, Store
from .webhooks import DEFAULT_RETRY_DELAYS, WebhookDispatcher

TOKEN_PATH = "/v2/oauth2/token"  # noqa: S105 (a path, not a password)


class Sandbox:
    """A fake Help Scout account served over real HTTP. Use as a context manager, or
    `start()` / `stop()`.

    `rate_limit_per_minute` (None: off) and `write_burst` ((writes, seconds), None: off)
    are the account's limits; `time_scale` shortens Help Scout's durations;
    `manual_clock=True` stops the sandbox's time between `clock.advance()` calls (hand
    `client_options()` to the client so its waits move that clock).
    """

    def __init__(
        self,
        seed: str | None = None,
        *,
        rate_limit_per_minute: int | None = 400,
        write_burst: tuple[int, float] | None = DEFAULT_WRITE_BURST,
        time_scale: float = 1.0,
        manual_clock: bool = False,
        token_ttl: float = 172_800,
        client_id: str | None = None,
        client_secret: str | None = None,
        docs_api_key: str | None = None,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        webhook_retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
        beacon_secret_key: str | None = None,
        port: int = 0,
        seed_ends_at: float | None = None,
    ) -> None:
        self.clock = Clock(time_scale, manual=manual_clock)
        self.store = Store(self.clock)
        self.oauth = OAuth(self.clock, token_ttl, client_id, client_secret)
        self.rate_limiter = RateLimiter(rate_limit_per_minute, self.clock, write_burst)
        self.faults = Faults(on_revoke=self.oauth.revoke_all, on_expire=self.oauth.expire_all)
        self.docs_api_key = docs_api_key
        # Beacon secure mode: the stand-in at /beacon/ verifies identify.signature with it.
        self.beacon_secret_key = beacon_secret_key
        self.webhook_secret = webhook_secret
        self.client_id = client_id
        self.client_secret = client_secret
        self.seed = seed
        self.port = port
        self.url = ""
        self.request_log: list[tuple[str, str, int]] = []
        self.conversation_index = ConversationIndex()
        self._dispatcher = WebhookDispatcher(
            self.store, lambda: self.api_base_url, retry_delays=webhook_retry_delays
        )
        self.store.on_event = self._dispatcher.emit
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._log_lock = threading.Lock()
        self.apps: dict[int, apps.RegisteredApp] = {}
        seeds.load(self.store, seed, ends_at=seed_ends_at)
        if webhook_url:
            if not webhook_secret:
                raise ValueError("webhook_url needs a webhook_secret to sign deliveries with")
            self.register_webhook(webhook_url, webhook_secret)

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        self._server = SandboxHTTPServer(self.port, self._handle)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"helpscout-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._dispatcher.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._dispatcher.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<Sandbox {self.url or 'not started'} seed={self.seed!r}>"

    # -- addresses and settings ----------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        return f"{self.url}/v2"

    @property
    def token_url(self) -> str:
        return f"{self.url}{TOKEN_PATH}"

    @property
    def docs_base_url(self) -> str:
        return f"{self.url}/docs/v1"

    @property
    def beacon_script_url(self) -> str:
        """The Beacon 2 stand-in, for `HELPSCOUT["BEACON_SCRIPT_URL"]`."""
        return f"{self.url}/beacon/"

    def helpscout_settings(self, **overrides: Any) -> dict[str, Any]:
        """A `HELPSCOUT` settings dict pointing at this sandbox (credentials it accepts)."""
        settings = {
            "APP_ID": self.client_id or "sandbox-app-id",
            "APP_SECRET": self.client_secret or "sandbox-app-secret",
            "DOCS_API_KEY": self.docs_api_key or "sandbox-docs-key",
            "API_BASE_URL": self.api_base_url,
            "TOKEN_URL": self.token_url,
            "DOCS_API_BASE_URL": self.docs_base_url,
            "BEACON_SCRIPT_URL": self.beacon_script_url,
            "RATE_LIMIT_PER_MINUTE": self.rate_limiter.per_minute or 400,
        }
        if self.beacon_secret_key:
            settings["BEACON_SECRET_KEY"] = self.beacon_secret_key
        if self.webhook_secret:
            settings["WEBHOOK_SECRET"] = [self.webhook_secret]
        settings.update(overrides)
        return settings

    def client_options(self) -> dict[str, Any]:
        """`HelpScoutClient` keyword arguments that match this sandbox's sense of time:
        rate-limit windows in its scaled seconds and, on a manual clock, its clock and a
        `sleep` that moves it (no test then waits for real)."""
        options: dict[str, Any] = {
            "rate_limit_window": self.clock.real_seconds(60.0),
            "write_burst_window": self.clock.real_seconds(
                self.rate_limiter.write_burst[1] if self.rate_limiter.write_burst else 5.0
            ),
        }
        if self.clock.manual:
            options.update(clock=self.clock.now, sleep=self.clock.sleep)
        return options

    # -- HTTP dispatch -------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        status = 0
        try:
            response = self._respond(request)
            status = response.status
            return response
        finally:
            with self._log_lock:
                self.request_log.append((request.method, request.path, status))

    def _respond(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/sandbox/"):
            try:
                return control.handle(self, request)
            except ApiError as error:
                return error.response()
        if path == "/beacon" or path.startswith("/beacon/"):
            return beacon_api.handle(self, request)
        is_token = path.rstrip("/") == TOKEN_PATH
        is_api = path.startswith("/v2/") and not is_token
        is_docs = path.startswith("/docs/v1/")
        plan = self.faults.plan(path) if is_api else self.faults.plan_explicit(path)
        if plan.drop:
            raise DropConnection
        if plan.delay:
            time.sleep(plan.delay)
        try:
            if plan.fail_status is not None:
                raise ApiError(plan.fail_status, "Injected failure (sandbox fault)")
            if plan.storm_retry_after is not None:
                decision = self.rate_limiter.refusal(plan.storm_retry_after)
                raise ApiError(429, "Rate limit exceeded", headers=decision.headers())
            if is_token:
                response = self._token(request)
            elif is_docs:
                docs_api.check_key(self, request)
                with self.store.lock:
                    response = docs_api.router.dispatch(request, path[len("/docs/v1") :], self)
            elif is_api:
                response = self._api(request, path[len("/v2") :])
            else:
                raise ApiError(404, "Resource not found")
        except ApiError as error:
            response = error.response()
        if is_docs:
            # "All responses from the API contain a Correlation-Id header" (a UUID).
            response.headers.setdefault("Correlation-Id", str(uuid.uuid4()))
        if plan.drop_after_handling:
            raise DropConnection
        return response

    def _api(self, request: Request, path: str) -> Response:
        try:
            self.oauth.check(request.header("authorization"))
        except TokenError as error:
            peek = self.rate_limiter.peek()
            raise ApiError(
                401,
                error.description,
                headers={
                    "WWW-Authenticate": f'Bearer error="{error.code}"',
                    **peek.headers(),
                },
            ) from None
        decision = self.rate_limiter.charge(request.method)
        if not decision.allowed:
            raise ApiError(429, "Rate limit exceeded", headers=decision.headers())
        try:
            # One request at a time reads or changes the account (rendering a page takes
            # milliseconds), so no handler sees a half-made change.
            with self.store.lock:
                response = mailbox_api.router.dispatch(request, path, self)
        except ApiError as error:
            error.headers = {**decision.headers(), **error.headers}
            raise
        response.headers.update(decision.headers())
        return response

    def _token(self, request: Request) -> Response:
        fields = {k: v[0] for k, v in request.query.items() if v}
        content_type = (request.header("content-type") or "").lower()
        if request.body:
            if "json" in content_type:
                try:
                    data = json.loads(request.body)
                except ValueError:
                    data = None
                if isinstance(data, dict):
                    fields.update({k: str(v) for k, v in data.items() if v is not None})
            else:
                parsed = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
                fields.update({k: v[0] for k, v in parsed.items() if v})
        try:
            grant = self.oauth.grant(fields)
        except TokenError as error:
            status = 400 if error.code in ("unsupported_grant_type", "invalid_grant") else 401
            body = json.dumps({"error": error.code, "error_description": error.description})
            return Response(status, body.encode(), {"Content-Type": "application/json"})
        return Response.json(
            grant, headers={"Content-Type": "application/json", "Cache-Control": "no-store"}
        )

    # -- object helpers (same effects as the API, webhooks included) ------------------------------

    def _shape_conversation(self, conversation) -> dict:
        with self.store.lock:
            return shapes.conversation(
                conversation, self.store, self.api_base_url, embed_threads=True
            )

    def create_mailbox(self, name: str = "Support", email: str | None = None) -> dict:
        return shapes.mailbox(self.store.add_mailbox(name, email), self.api_base_url)

    def create_user(
        self,
        first_name: str = "Ana",
        last_name: str = "Agent",
        email: str | None = None,
        role: str = "user",
    ) -> dict:
        email = email or f"{first_name}.{last_name}@example.com".lower()
        user = self.store.add_user(first_name, last_name, email, role)
        return shapes.user(user, self.api_base_url)

    def create_tag(self, name: str, color: str = "#929499") -> dict:
        with self.store.lock:
            return shapes.tag(self.store.ensure_tag(name, color), self.api_base_url, self.store)

    def create_customer(
        self, email: str | None = None, first_name: str = "", last_name: str = "", **attributes
    ) -> dict:
        with self.store.lock:
            customer = self.store.add_customer(
                first_name, last_name, [email] if email else [], **attributes
            )
            return shapes.customer(customer, self.api_base_url, self.store)

    def create_conversation(
        self,
        *,
        mailbox_id: int | None = None,
        customer_email: str | None = None,
        customer_id: int | None = None,
        subject: str = "Question",
        status: str = "active",
        tags: list[str] | tuple[str, ...] = (),
        threads: list[dict] | None = None,
        assignee_id: int | None = None,
        type: str = "email",
        created_at: str | float | None = None,
    ) -> dict:
        """Create a conversation (threads: [{"type": "customer"|"reply"|"note", "text"}])."""
        with self.store.lock:
            if mailbox_id is None:
                if not self.store.mailboxes:
                    self.store.add_mailbox("Support")
                mailbox_id = min(self.store.mailboxes)
            customer = self.store.customer_for(
                email=customer_email or (None if customer_id else "customer@example.com"),
                customer_id=customer_id,
            )
            items = [
                {
                    "type": mailbox_api.CREATE_THREAD_TYPES.get(t.get("type", "customer"), "?"),
                    "text": t.get("text", ""),
                    "user_id": t.get("user_id"),
                }
                for t in (threads or [{"type": "customer", "text": subject}])
            ]
            if isinstance(created_at, str):
                created_at = parse_iso(created_at)
            conversation = self.store.create_conversation(
                mailbox_id=mailbox_id,
                customer=customer,
                subject=subject,
                threads=items,
                status=status,
                type=type,
                tags=tags,
                assignee_id=assignee_id,
                created_at=created_at,
            )
            return self._shape_conversation(conversation)

    def update_conversation(self, conversation_id: int, **changes: Any) -> dict:
        """Change subject, status, assignee_id, mailbox_id, customer_id, tags."""
        allowed = {"subject", "status", "assignee_id", "mailbox_id", "customer_id", "tags"}
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"unknown conversation changes: {', '.join(sorted(unknown))}")
        with self.store.lock:
            conversation = self.store.update_conversation(conversation_id, **changes)
            return self._shape_conversation(conversation)

    def add_thread(
        self,
        conversation_id: int,
        type: str = "customer",
        text: str = "",
        user_id: int | None = None,
        status: str | None = None,
    ) -> dict:
        kind = mailbox_api.CREATE_THREAD_TYPES.get(type, type)
        with self.store.lock:
            thread = self.store.add_thread(
                conversation_id, kind, text, user_id=user_id, status=status
            )
            conversation = self.store.conversation(conversation_id)
            return shapes.thread(thread, conversation, self.store, self.api_base_url)

    def delete_conversation(self, conversation_id: int) -> None:
        self.store.delete_conversation(conversation_id)

    def merge_conversations(self, source_id: int, into_id: int) -> dict:
        with self.store.lock:
            return self._shape_conversation(self.store.merge_conversations(source_id, into_id))

    def rate_conversation(
        self, conversation_id: int, rating: str = "great", comments: str = ""
    ) -> dict:
        """The customer rates the latest reply; delivers `satisfaction.ratings`."""
        with self.store.lock:
            return shapes.rating(
                self.store.add_rating(conversation_id, rating, comments),
                self.store,
                self.api_base_url,
            )

    def get_conversation(self, conversation_id: int) -> dict:
        with self.store.lock:
            return self._shape_conversation(self.store.conversation(conversation_id))

    # -- webhooks ------------------------------------------------------------------------------

    def register_webhook(
        self, url: str, secret: str, events: list[str] | None = None, **extra: Any
    ) -> int:
        """Register a delivery target; `events=None` subscribes to every event."""
        if not secret or len(secret) > 40:
            raise ValueError("a webhook secret is required and may be at most 40 characters")
        return self.store.add_webhook(url, secret, list(events) if events else None, **extra).id

    @property
    def webhook_deliveries(self) -> list:
        return self._dispatcher.log

    def wait_for_deliveries(self, timeout: float = 5.0) -> bool:
        return self._dispatcher.wait(timeout)

    def webhook_options(
        self,
        duplicate: bool = False,
        shuffle: bool = False,
        seed: int | None = None,
        merged_threads: bool = True,
    ) -> None:
        """Deliver each event twice, and/or out of order: bursts in a random order and
        some deliveries held back (0.5 to 3 s, like a failed first attempt retried
        later), so an older version of a conversation can arrive after a newer one.
        `seed` makes those choices repeatable. `merged_threads=False` sends `convo.merged`
        bodies without the threads the merge moved in (Help Scout's are reported to lack
        them); the default embeds every thread the survivor has."""
        self._dispatcher.duplicate = duplicate
        self._dispatcher.shuffle = shuffle
        self._dispatcher.merged_threads = merged_threads
        self._dispatcher.seed(seed)

    # -- App platform (sidebar apps) -----------------------------------------------------------

    def register_app(self, url: str, secret: str, name: str = "Product") -> int:
        """Register an App platform app: its content callback URL and secret key."""
        if not secret:
            raise ValueError("an app needs a secret key to sign its requests with")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("an app's callback URL must be an http(s) URL")
        app_id = max(self.apps, default=0) + 1
        self.apps[app_id] = apps.RegisteredApp(app_id, url, secret, name)
        return app_id

    def _app_for(self, url: str) -> apps.RegisteredApp:
        """The app a URL belongs to: its callback URL, or (a Side Panel URL) its origin."""
        base = urlsplit(url)._replace(query="", fragment="").geturl()
        for app in self.apps.values():
            if urlsplit(app.url)._replace(query="", fragment="").geturl() == base:
                return app
        origin = urlsplit(url)[:2]
        same_origin = [app for app in self.apps.values() if app.origin() == origin]
        if len(same_origin) == 1:
            return same_origin[0]
        raise ValueError(f"no registered app serves {url}")

    def app_url(self, url: str, conversation_id: int, user_id: int | None = None) -> str:
        """The signed URL Help Scout would load for `conversation_id` (agent `user_id`)."""
        app = self._app_for(url)
        with self.store.lock:
            conversation = self.store.conversation(conversation_id)
            if user_id is None:
                user_id = conversation.assignee_id or min(self.store.users, default=0)
            context = [
                ("conversation-id", str(conversation.id)),
                ("conversation-number", str(conversation.number)),
                ("customer-id", str(conversation.customer_id)),
                ("mailbox-id", str(conversation.mailbox_id)),
                ("user-id", str(user_id)),
            ]
        return apps.signed_url(app, url, context)

    def call_app(
        self, url: str, conversation_id: int, *, user_id: int | None = None, http: Any = None
    ):
        """GET the app's `url` for a conversation, signed as Help Scout signs it.

        `url` is a registered callback URL or a Side Panel URL on the same origin.
        `http` is anything with `.get(url)` (default: a fresh httpx client, no redirects
        followed, as Help Scout follows none); a Django test `Client` works too.
        """
        signed = self.app_url(url, conversation_id, user_id)
        if http is not None:
            return http.get(signed)
        import httpx

        with httpx.Client(follow_redirects=False, timeout=10) as client:
            return client.get(signed)

    def issue_refresh_token(self) -> str:
        """A refresh token for testing the refresh_token grant."""
        return self.oauth.issue_refresh_token()


__all__ = ["Invalid", "NotFound", "Sandbox"]
