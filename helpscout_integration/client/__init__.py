"""Help Scout API client: a thin, typed adapter over httpx (sync).

Everything that speaks Help Scout's wire format lives in this package: OAuth2 tokens,
the shared rate limiter, retries, pagination and error mapping. It never writes to the
database and never logs a secret, a header or a body.
"""

from .client import HelpScoutClient
from .pagination import Listing, Page
from .stats import ClientStats

__all__ = ["ClientStats", "HelpScoutClient", "Listing", "Page"]
