"""One table of look-alike addresses, run against every surface that turns an address
into a Help Scout identity (like django-anymail's shared `webhook_cases` mixin).

Each case pairs a victim's address with an attacker's look-alike. Help Scout may judge
two addresses the same by Unicode lower-casing and compatibility normalisation (the
sandbox matches customers by `str.lower()`), so every look-alike that folds is refused by
the identity rule (`helpscout_integration.emails`), and the one that does not fold
(plus-addressing) is a different identity that reaches only its own customer.

A surface's test module subclasses `LookAlikeSurface` (plain pytest classes: fixtures
arrive as method arguments) and implements `attack` and `victim_can_use`; the mixin runs
every case plus a control proving the surface still works for the victim.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class LookAlike:
    name: str
    victim: str  # the real owner's address (a product user or a Help Scout customer)
    attacker: str  # the look-alike spelling
    refused: str | None  # the refusal code the identity rule gives; None: accepted, distinct


LOOK_ALIKES = [
    LookAlike(
        "kelvin-sign", "kate@example.org", "\u212aate@example.org", "compatibility_characters"
    ),
    LookAlike("long-s", "sam@example.org", "\u017fam@example.org", "compatibility_characters"),
    LookAlike("fullwidth", "kate@example.org", "\uff4bate@example.org", "compatibility_characters"),
    LookAlike("ligature", "file@example.org", "\ufb01le@example.org", "compatibility_characters"),
    LookAlike("dotless-i", "kite@example.org", "k\u0131te@example.org", "case_folds"),
    LookAlike("dotted-capital-i", "ida@example.org", "\u0130da@example.org", "case_folds"),
    LookAlike("sharp-s", "strasse@example.org", "stra\u00dfe@example.org", "case_folds"),
    LookAlike("upper-non-ascii", "j\u00f6rg@example.org", "J\u00d6RG@example.org", "case_folds"),
    LookAlike(
        "ascii-upper-in-non-ascii", "j\u00f6rg@example.org", "j\u00f6rg@EXAMPLE.org", "case_folds"
    ),
    LookAlike("nfd", "j\u00f6rg@example.org", "jo\u0308rg@example.org", "not_composed"),
    LookAlike("trailing-dot", "kate@example.org", "kate@example.org.", "empty_part"),
    LookAlike(
        "idna",
        "j\u00f6rg@b\u00fccher.example",
        "j\u00f6rg@xn--bcher-kva.example",
        "punycode_domain",
    ),
    LookAlike("plus-addressing", "kate@example.org", "kate+support@example.org", None),
]

each_look_alike = pytest.mark.parametrize("case", LOOK_ALIKES, ids=lambda case: case.name)


class LookAlikeSurface:
    """Shared tests for one surface. Subclasses implement:

    * `attack(case, request) -> Outcome`: the victim's data exists (a Help Scout
      customer or product user with `case.victim`), the look-alike `case.attacker` tries
      to use the surface; return what happened.
    * `victim_can_use(request) -> bool`: the same surface works for the real owner
      (the control: the attack tests could fail).
    * `reports_reason`: False where the surface can only find nothing (a list, a 404).
    """

    @each_look_alike
    def test_a_look_alike_never_becomes_the_victim(self, case, request):
        outcome = self.attack(case, request)
        assert not outcome.reached_victim, f"{case.name}: the look-alike reached the victim"
        if case.refused:
            if self.reports_reason:
                assert outcome.refused_with == case.refused, f"{case.name}: {outcome}"
            assert not outcome.acted_as_itself, f"{case.name}: a refused address was used"
        else:
            assert outcome.refused_with is None and outcome.acted_as_itself, f"{case.name}"

    # Whether the surface tells the caller why it refused (an API 400's `code`, a log line);
    # surfaces that only find nothing (a list, a 404) set this False.
    reports_reason = True

    def test_the_victim_still_can(self, request):
        assert self.victim_can_use(request)

    def attack(self, case: LookAlike, request) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def victim_can_use(self, request) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Outcome:
    reached_victim: bool  # the victim's data was read, written, signed or shown
    refused_with: str | None = None  # the refusal code the surface reported (None: none)
    acted_as_itself: bool = False  # the surface acted for the attacker's own address only
