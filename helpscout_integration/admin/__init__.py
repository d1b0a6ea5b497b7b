"""Staff admin for Help Scout: importing this package registers every ModelAdmin.

One module per concern, dj-stripe style: `conversations` (changelist, timeline, actions),
`customers`, `erasure` (the erase action and erasure records), `directory` (mailboxes,
agents, tags), `organizations` (and teams), `webhook_events`, `sync_state` (and the
overview page), `docs` (articles and Beacon rules). Mirrored objects are read-only here;
changes go through Help Scout (`operations`).
"""

from . import (
    conversations,
    customers,
    directory,
    docs,
    erasure,
    organizations,
    sync_state,
    webhook_events,
)

__all__ = [
    "conversations",
    "customers",
    "directory",
    "docs",
    "erasure",
    "organizations",
    "sync_state",
    "webhook_events",
]
