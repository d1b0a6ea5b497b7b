"""The `query` parameter of GET /v2/conversations: Help Scout's search syntax, parsed and
turned into a test of one conversation.

The syntax (reference section 12): parenthesised `field:value` terms, quoted values for
phrases, `AND`, `OR`, `NOT` (terms side by side mean AND), a value group
(`email:("a@x.com" OR "b@x.com")`) and ranges `[from TO to]` with `*` for an open end.
A bare word or phrase searches subjects and thread bodies. A query that does not parse,
names an unknown field or gives a field a value it cannot take raises `QueryError`; the
route answers it with a 400, never with unfiltered results.

The grammar is lark's (an LALR grammar of a dozen rules with positions in its errors)
rather than a hand-written parser. Must never change the store: it only reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, VisitError

from .attachment_files import book_for
from .clock import parse_iso, whole_seconds

if TYPE_CHECKING:
    from .records import Conversation
    from .store import Store

GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*
?conjunction: negation (_AND? negation)*
?negation: _NOT negation -> negated
         | primary
?primary: "(" disjunction ")"
        | term
        | text
term: FIELD ":" value
text: PHRASE | WORD
?value: PHRASE -> phrase
      | WORD -> word
      | range
      | "(" value_disjunction ")"
?value_disjunction: value_conjunction (_OR value_conjunction)*
?value_conjunction: value_atom (_AND? value_atom)*
?value_atom: PHRASE -> phrase
           | WORD -> word
range: "[" BOUND _TO BOUND "]"

_OR.2: "OR"
_AND.2: "AND"
_NOT.2: "NOT"
_TO.2: "TO"
FIELD.3: /[A-Za-z][A-Za-z0-9_]*(?=:)/
PHRASE: /"(?:[^"\\]|\\.)*"/
WORD: /[^\s()\[\]":]+/
BOUND: /[^\s\[\]]+/
%ignore /\s+/
"""

KEYWORDS = frozenset(("AND", "OR", "NOT", "TO"))

_PARSER = Lark(GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=False)

Test = Callable[[Any], bool]


class QueryError(ValueError):
    """The query cannot be searched with; the message says why (and where)."""


@dataclass(frozen=True)
class Values:
    """A field's value: one word or phrase, or several joined by AND / OR."""

    join: str  # "one", "and", "or"
    items: tuple[Any, ...]  # strings, or nested Values


@dataclass(frozen=True)
class Range:
    start: str
    end: str


class _Tree(Transformer):
    """lark's parse tree -> nested tuples: ("and"|"or", [..]), ("not", x),
    ("term", field, value), ("text", words)."""

    def disjunction(self, items):
        return ("or", list(items))

    def conjunction(self, items):
        return ("and", list(items))

    def negated(self, items):
        return ("not", items[0])

    def term(self, items):
        return ("term", str(items[0]), items[1])

    def text(self, items):
        if items[0].type == "WORD" and str(items[0]) in KEYWORDS:
            raise QueryError(f"{items[0]} needs a term on each side")
        return ("text", _unquote(items[0]))

    def phrase(self, items):
        return Values("one", (_unquote(items[0]),))

    word = phrase

    def range(self, items):
        return Range(str(items[0]), str(items[1]))

    def value_disjunction(self, items):
        return Values("or", tuple(items))

    def value_conjunction(self, items):
        return Values("and", tuple(items))


def _unquote(token: Token) -> str:
    text = str(token)
    if text.startswith('"'):
        text = re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def parse(text: str) -> Any:
    """The query's tree; raises QueryError when it does not parse."""
    try:
        return _Tree().transform(_PARSER.parse(text))
    except VisitError as error:
        if isinstance(error.orig_exc, QueryError):
            raise error.orig_exc from None
        raise QueryError("Unable to parse the search query") from None
    except LarkError as error:
        where = getattr(error, "column", None)
        at = f" at column {where}" if where not in (None, -1) else ""
        raise QueryError(f"Unable to parse the search query{at}") from None


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class QueryCompiler:
    """Turns a parsed query into a test of one record, reading the store. Subclasses name
    the fields (`_matcher`), the time fields ranges apply to (`TIME_FIELDS`) and what a
    bare word searches (`_full_text`)."""

    #: Range fields -> the record's time (epoch seconds).
    TIME_FIELDS: dict[str, Callable[[Any], float]] = {}

    def __init__(self, store: Store) -> None:
        self.store = store
        self.mentions_status = False

    def compile(self, text: str) -> Test:
        return self._node(parse(text))

    def _node(self, node: Any) -> Test:
        kind = node[0]
        if kind in ("and", "or"):
            parts = [self._node(child) for child in node[1]]
            if kind == "and":
                return lambda c: all(part(c) for part in parts)
            return lambda c: any(part(c) for part in parts)
        if kind == "not":
            inner = self._node(node[1])
            return lambda c: not inner(c)
        if kind == "text":
            wanted = words(node[1])
            return lambda c: contains_words(self._full_text(c), wanted)
        return self._term(node[1], node[2])

    def _term(self, field: str, value: Values | Range) -> Test:
        if field in self.TIME_FIELDS:
            if not isinstance(value, Range):
                raise QueryError(f"{field} takes a range: {field}:[from TO to]")
            return self._range(field, value)
        if isinstance(value, Range):
            raise QueryError(f"{field} does not take a range")
        match = self._matcher(field)
        return self._values(value, match)

    def _values(self, value: Values, match: Callable[[str], Test]) -> Test:
        if value.join == "one":
            return match(value.items[0])
        parts = [
            self._values(item, match) if isinstance(item, Values) else match(item)
            for item in value.items
        ]
        if value.join == "and":
            return lambda c: all(part(c) for part in parts)
        return lambda c: any(part(c) for part in parts)

    def _matcher(self, field: str) -> Callable[[str], Test]:
        raise QueryError(f"Unknown search field {field!r}")

    def _full_text(self, record: Any) -> str:
        raise NotImplementedError

    def _range(self, field: str, value: Range) -> Test:
        try:
            start = None if value.start == "*" else whole_seconds(parse_iso(value.start))
            end = None if value.end == "*" else whole_seconds(parse_iso(value.end))
        except ValueError:
            raise QueryError(f"{field} range bounds must be ISO 8601 date-times or *") from None
        read = self.TIME_FIELDS[field]

        def test(record: Any) -> bool:
            moment = whole_seconds(read(record))
            return (start is None or moment >= start) and (end is None or moment <= end)

        return test


class ConversationQuery(QueryCompiler):
    """`query` of GET /conversations (reference section 12)."""

    TIME_FIELDS: dict[str, Callable[[Any], float]] = {
        "modifiedAt": lambda c: c.modified_at,
        "createdAt": lambda c: c.created_at,
    }

    def _matcher(self, field: str) -> Callable[[str], Test]:
        matchers: dict[str, Callable[[str], Test]] = {
            "subject": lambda v: _words_in(lambda c: c.subject, v),
            "body": lambda v: _words_in(self._bodies, v),
            "tag": self._tag,
            "mailboxName": self._mailbox_name,
            "mailboxid": lambda v: _integer(field, v, lambda c: c.mailbox_id),
            "mailboxId": lambda v: _integer(field, v, lambda c: c.mailbox_id),
            "customerIds": lambda v: _integer(field, v, lambda c: c.customer_id),
            "customerId": lambda v: _integer(field, v, lambda c: c.customer_id),
            "number": lambda v: _integer(field, v, lambda c: c.number),
            "id": lambda v: _integer(field, v, lambda c: c.id),
            "assigned": self._assigned,
            "attachment": self._attachment,
            "email": self._email,
            "status": self._status,
        }
        if field not in matchers:
            raise QueryError(f"Unknown search field {field!r}")
        return matchers[field]

    # -- fields ----------------------------------------------------------------------------

    def _tag(self, value: str) -> Test:
        lowered = value.lower()
        ids = {t.id for t in self.store.tags.values() if lowered in (t.name.lower(), t.slug)}
        return lambda c: bool(ids.intersection(c.tag_ids))

    def _mailbox_name(self, value: str) -> Test:
        ids = {m.id for m in self.store.mailboxes.values() if m.name == value}
        return lambda c: c.mailbox_id in ids

    def _assigned(self, value: str) -> Test:
        if value.lower() == "unassigned":
            return lambda c: not c.assignee_id
        lowered = value.lower()
        ids = {
            u.id
            for u in self.store.users.values()
            if lowered
            in (
                str(u.id),
                u.email.lower(),
                u.first_name.lower(),
                u.last_name.lower(),
                f"{u.first_name} {u.last_name}".strip().lower(),
            )
        }
        return lambda c: c.assignee_id in ids

    def _attachment(self, value: str) -> Test:
        if value.lower() not in ("true", "false"):
            raise QueryError("attachment takes true or false")
        wanted = value.lower() == "true"
        book = book_for(self.store)
        return lambda c: wanted == any(book.of_thread(t.id) for t in self.store.threads_of(c))

    def _email(self, value: str) -> Test:
        lowered = value.lower()
        return lambda c: lowered in self._addresses(c)

    def _status(self, value: str) -> Test:
        if value not in ("active", "pending", "closed", "spam", "all"):
            raise QueryError("status is active, pending, closed, spam or all")
        self.mentions_status = True
        return lambda c: value == "all" or c.status == value

    # -- what a conversation holds ---------------------------------------------------------

    def _bodies(self, conversation: Conversation) -> str:
        return " ".join(t.body for t in self.store.threads_of(conversation))

    def _full_text(self, conversation: Conversation) -> str:
        return f"{conversation.subject} {self._bodies(conversation)}"

    def _addresses(self, conversation: Conversation) -> set[str]:
        """Every address the conversation involves: each address on the profile of its
        customer and of every thread's customer, and every thread's cc and bcc."""
        customer_ids = {conversation.customer_id}
        found: set[str] = set()
        for thread in self.store.threads_of(conversation):
            if thread.customer_id:
                customer_ids.add(thread.customer_id)
            found.update(a.lower() for a in (*thread.cc, *thread.bcc))
        for customer_id in customer_ids:
            customer = self.store.customers.get(customer_id)
            if customer is not None:
                found.update(value.lower() for _id, value, _type in customer.emails)
        return found


class CustomerQuery(QueryCompiler):
    """`query` of GET /customers: the same syntax over a customer's names, addresses and
    profile (`email` matches any address on it)."""

    TIME_FIELDS: dict[str, Callable[[Any], float]] = {
        "modifiedAt": lambda c: c.updated_at,
        "createdAt": lambda c: c.created_at,
    }

    def _matcher(self, field: str) -> Callable[[str], Test]:
        texts: dict[str, Callable[[Any], str]] = {
            "firstName": lambda c: c.first_name,
            "lastName": lambda c: c.last_name,
            "organization": lambda c: c.organization,
            "jobTitle": lambda c: c.job_title,
            "location": lambda c: c.location,
        }
        if field in texts:
            read = texts[field]
            return lambda v: _words_in(read, v)
        if field == "email":
            return lambda v: _bind_email(v)
        if field == "phone":
            return lambda v: _words_in(lambda c: " ".join(p for _i, p, _t in c.phones), v)
        if field == "id":
            return lambda v: _integer(field, v, lambda c: c.id)
        raise QueryError(f"Unknown search field {field!r}")

    def _full_text(self, record: Any) -> str:
        emails = " ".join(value for _id, value, _type in record.emails)
        return f"{record.first_name} {record.last_name} {record.organization} {emails}"


def _bind_email(value: str) -> Test:
    lowered = value.lower()
    return lambda c: any(address.lower() == lowered for _id, address, _type in c.emails)


def contains_words(text: str, wanted: Iterable[str]) -> bool:
    present = text.lower()
    return all(word in present for word in wanted)


def _words_in(read: Callable[[Any], str], value: str) -> Test:
    wanted = words(value)
    return lambda c: contains_words(read(c), wanted)


def _integer(field: str, value: str, read: Callable[[Conversation], int]) -> Test:
    try:
        wanted = int(value)
    except ValueError:
        raise QueryError(f"{field} takes a number") from None
    return lambda c: read(c) == wanted
