"""State that newer resource families keep beside a `Store` without changing its structure.

`state_for(store, "attachments", AttachmentBook)` returns that store's one instance,
created on first use and dropped with the store. Callers take `store.lock` to change it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .store import Store

_T = TypeVar("_T")
_states: weakref.WeakKeyDictionary[Store, dict[str, Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def state_for(store: Store, name: str, factory: Callable[[], _T]) -> _T:
    with _lock:
        states = _states.setdefault(store, {})
        if name not in states:
            states[name] = factory()
        found: _T = states[name]
        return found
