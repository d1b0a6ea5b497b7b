"""`HelpScoutClient`: one object holding both APIs' transports and every resource group.

Build it with `HelpScoutClient.from_settings()` (reads `get_settings()`) or with explicit
arguments. It never reads `django.conf.settings` directly and never exposes a secret in its
repr, its logs or its errors.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from django.core.cache import caches

from ..conf import DEFAULT_API_BASE_URL, DEFAULT_DOCS_API_BASE_URL, get_settings
from ..exceptions import ConfigurationError
from .auth import BearerAuth, DocsKeyAuth, OAuth2TokenProvider
from .burst import DEFAULT_BURST_WINDOW, DEFAULT_BURST_WRITES, WriteBurstPacer
from .pagination import Listing
from .ratelimit import RateLimiter
from .resources import (
    Attachments,
    Conversations,
    Customers,
    Docs,
    Mailboxes,
    Organizations,
    SavedReplies,
    Tags,
    Teams,
    Threads,
    Users,
    UserStatuses,
    Webhooks,
    Workflows,
)
from .resources.base import read_json
from .retries import RetrySettings
from .stats import ClientStats
from .transport import Transport

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache

USER_AGENT = "django-helpscout-integration"


class HelpScoutClient:
    """Sync client for the Mailbox API 2.0 and the Docs API v1.

    `transport` is an httpx transport (e.g. `httpx.MockTransport`) for tests; `cache` is a
    Django cache object or alias (default: the default cache) holding the token and the
    rate-limit counters; `sleep` and `clock` are injectable so tests never wait.
    `max_rate_limit_wait` (seconds) bounds any rate-limit sleep: set it in web requests,
    where raising `RateLimitedError` beats holding a worker for a minute.
    `write_burst_limit` writes per `write_burst_window` seconds is Help Scout's write burst
    limit (12 per 5 s); writes are paced to it across processes (None: not paced).
    """

    def __init__(
        self,
        *,
        app_id: str = "",
        app_secret: str = "",
        refresh_token: str | None = None,
        api_base_url: str = DEFAULT_API_BASE_URL,
        token_url: str | None = None,
        docs_api_key: str | None = None,
        docs_base_url: str = DEFAULT_DOCS_API_BASE_URL,
        rate_limit_per_minute: int = 400,
        rate_limit_window: float = 60.0,
        write_burst_limit: int | None = DEFAULT_BURST_WRITES,
        write_burst_window: float = DEFAULT_BURST_WINDOW,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        cache: BaseCache | None = None,
        sleep: Callable[[float], Any] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int = 3,
        max_rate_limit_retries: int = 5,
        max_rate_limit_wait: float | None = None,
    ) -> None:
        self.api_base_url = api_base_url.rstrip("/")
        self.docs_base_url = docs_base_url.rstrip("/")
        self.token_url = token_url or self.api_base_url + "/oauth2/token"
        self.stats = ClientStats()
        cache = caches["default"] if cache is None else cache
        if isinstance(cache, str):
            cache = caches[cache]
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )
        retry_settings = RetrySettings(
            max_retries=max_retries,
            max_rate_limit_retries=max_rate_limit_retries,
            max_rate_limit_wait=max_rate_limit_wait,
        )
        provider = None
        if app_id and app_secret:
            provider = OAuth2TokenProvider(
                app_id=app_id,
                app_secret=app_secret,
                token_url=self.token_url,
                refresh_token=refresh_token,
                http=self._http,
                cache=cache,
                clock=clock,
                sleep=sleep,
                stats=self.stats,
            )
        # Help Scout's budget belongs to the account; the app id is our best proxy for it.
        limiter_key = (
            "helpscout:ratelimit:"
            + hashlib.sha256(f"{self.api_base_url}\n{app_id}".encode()).hexdigest()[:32]
        )
        self.limiter = RateLimiter(
            cache=cache,
            key=limiter_key,
            limit=rate_limit_per_minute,
            window=rate_limit_window,
            clock=clock,
            sleep=sleep,
            stats=self.stats,
            max_wait=max_rate_limit_wait,
        )
        burst = None
        if write_burst_limit is not None:
            burst = WriteBurstPacer(
                cache=cache,
                key=limiter_key + ":writes",
                limit=write_burst_limit,
                window=write_burst_window,
                clock=clock,
                sleep=sleep,
                stats=self.stats,
                max_wait=max_rate_limit_wait,
            )
        self.write_pacer = burst
        make_transport = functools.partial(
            Transport,
            http=self._http,
            stats=self.stats,
            sleep=sleep,
            retry_settings=retry_settings,
        )
        self.mailbox_api = make_transport(
            base_url=self.api_base_url,
            credentials=BearerAuth(provider),
            limiter=self.limiter,
            burst=burst,
        )
        # The Docs API has its own, much larger budget: only its 429s are handled.
        self.docs_api = make_transport(
            base_url=self.docs_base_url,
            credentials=DocsKeyAuth(docs_api_key),
            limiter=None,
        )
        self.mailboxes = Mailboxes(self.mailbox_api)
        self.conversations = Conversations(self.mailbox_api)
        self.threads = Threads(self.mailbox_api)
        self.customers = Customers(self.mailbox_api)
        self.users = Users(self.mailbox_api)
        self.tags = Tags(self.mailbox_api)
        self.webhooks = Webhooks(self.mailbox_api)
        self.organizations = Organizations(self.mailbox_api)
        self.teams = Teams(self.mailbox_api)
        self.docs = Docs(self.docs_api)
        self.attachments = Attachments(self.mailbox_api)
        self.saved_replies = SavedReplies(self.mailbox_api)
        self.workflows = Workflows(self.mailbox_api)
        self.user_statuses = UserStatuses(self.mailbox_api)

    @classmethod
    def from_settings(
        cls, *, require_mailbox_api: bool = True, **overrides: Any
    ) -> HelpScoutClient:
        """A client configured from `HELPSCOUT`; `overrides` replace constructor arguments.

        Raises ConfigurationError when APP_ID or APP_SECRET is missing (pass
        `require_mailbox_api=False` for a Docs-only client).
        """
        conf = get_settings()
        if require_mailbox_api and not conf.api_enabled:
            missing = [name for name in ("APP_ID", "APP_SECRET") if not getattr(conf, name)]
            raise ConfigurationError(
                "Help Scout's Mailbox API needs HELPSCOUT["
                + "] and HELPSCOUT[".join(repr(name) for name in missing)
                + "] to be set (an OAuth2 app: Your Profile > My Apps in Help Scout)."
            )
        kwargs: dict[str, Any] = {
            "app_id": conf.APP_ID,
            "app_secret": conf.APP_SECRET,
            "refresh_token": conf.REFRESH_TOKEN or None,
            "api_base_url": conf.API_BASE_URL,
            "token_url": conf.token_url,
            "docs_api_key": conf.DOCS_API_KEY or None,
            "docs_base_url": conf.DOCS_API_BASE_URL,
            "rate_limit_per_minute": conf.RATE_LIMIT_PER_MINUTE,
            "timeout": conf.TIMEOUT,
        }
        kwargs.update(overrides)
        return cls(**kwargs)

    # -- escape hatches for endpoints without a wrapper -------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Any Mailbox API request through the same auth, limiter, retries and errors."""
        return self.mailbox_api.request(method, path, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return read_json(self.mailbox_api.request("GET", path, params=params))

    def paginate(self, path: str, key: str, **params: Any) -> Listing:
        """Lazily walk any HAL list, e.g. `paginate("/workflows", "workflows")`."""
        return Mailboxes(self.mailbox_api)._list(path, key, params)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HelpScoutClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<HelpScoutClient {self.api_base_url}>"
