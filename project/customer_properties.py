"""The demo's CUSTOMER_PROPERTIES: what a product would know about its user.

Values fit the sandbox seed's property definitions (plan, seats, profile), so "Push
product properties now" in the admin has something to push and the customer page then
shows it. `make demo` turns it on through HELPSCOUT_CUSTOMER_PROPERTIES.
"""

from __future__ import annotations


def demo_properties(user) -> dict:
    return {
        "plan": "Pro" if user.is_staff else "Basic",
        "seats": 3 + user.pk % 5,
        "profile": f"http://127.0.0.1:8000/users/{user.pk}/",
    }
