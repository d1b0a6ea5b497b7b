"""A local Help Scout: Mailbox API 2.0, Docs API v1, OAuth2 and webhook deliveries over real
HTTP on 127.0.0.1, for tests, the demo and benchmarks. Never talks to the real Help Scout.
"""

from .sandbox import Sandbox
from .store import Invalid, NotFound

__all__ = ["Invalid", "NotFound", "Sandbox"]
