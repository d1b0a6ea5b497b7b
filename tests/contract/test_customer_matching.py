"""How customers are matched by email: the risk the identity rule is built against.

Help Scout documents no rule for matching an email to an existing customer (the API
reference pages and the PHP SDK say nothing; `reference/helpscout-api*.md` has no entry).
So the sandbox models the worst plausible case: Unicode lower-casing (`str.lower()`),
under which KELVIN SIGN becomes "k" and `J\u00d6RG@` becomes `j\u00f6rg@`. These tests
pin that model over the wire (a conversation created for a look-alike lands on the
existing customer), so the sandbox cannot drift to exact matching and make the identity
tests pass for the wrong reason; and they check that every spelling the model folds onto
someone else's is one the identity rule (`helpscout_integration.emails`) refuses.
"""

import pytest

from helpscout_integration.emails import refusal
from helpscout_integration.sandbox import Sandbox
from tests.lookalike_cases import LOOK_ALIKES


@pytest.fixture(scope="module")
def sb():
    with Sandbox(rate_limit_per_minute=None, write_burst=None) as sandbox:
        yield sandbox


def customer_of_new_conversation(api, sb, email):
    """Create a conversation for `email` over the API; the id of the customer it lands on."""
    mailbox = sb.create_mailbox("Matching")["id"]
    body = {
        "subject": "Hello",
        "type": "email",
        "mailboxId": mailbox,
        "status": "active",
        "customer": {"email": email},
        "threads": [{"type": "customer", "customer": {"email": email}, "text": "Hi"}],
    }
    created = api.post("/conversations", json=body)
    assert created.status_code == 201, created.text
    conversation = api.get(f"/conversations/{created.headers['Resource-ID']}")
    return conversation.json()["primaryCustomer"]["id"]


@pytest.mark.parametrize(
    ("existing", "look_alike", "same"),
    [
        ("kate@example.net", "KATE@EXAMPLE.NET", True),  # ASCII case: one customer
        ("kelvin@example.net", "\u212aelvin@example.net", True),  # KELVIN SIGN lower-cases to k
        ("j\u00f6rg@example.net", "J\u00d6RG@example.net", True),  # non-ASCII case folds
        ("plus@example.net", "plus+x@example.net", False),  # plus-addressing: distinct
    ],
)
def test_a_conversation_for_a_case_variant_lands_on_the_existing_customer(
    sb, api, existing, look_alike, same
):
    first = customer_of_new_conversation(api, sb, existing)
    assert (customer_of_new_conversation(api, sb, look_alike) == first) is same


def test_every_spelling_the_sandbox_folds_onto_another_is_refused(sb):
    """Ties the identity rule to the risk model: whatever the sandbox would match to the
    victim's customer, the rule never lets through."""
    folded = []
    for case in LOOK_ALIKES:
        victim = sb.store.customer_by_email(case.victim)
        if victim is None:
            victim = sb.store.add_customer("", "", [case.victim])
        if sb.store.customer_by_email(case.attacker) is victim and case.attacker != case.victim:
            folded.append(case.name)
            assert refusal(case.attacker) is not None, case.name
    assert {"kelvin-sign", "upper-non-ascii"} <= set(folded)
