"""CUSTOMER_PROPERTIES callables used by the tests (dotted paths in HELPSCOUT)."""

import datetime as dt

STOP_AT_EMAIL = {"value": None}


def plan_and_seats(user):
    return {
        "plan": "Pro" if user.is_staff else "Free",
        "seats": 3,
        "signed-up": dt.date(2024, 5, 1),
        "profile": f"https://product.example/users/{user.pk}",
        "company-notes": f"{user.first_name} <b>likes</b> & trusts us",
    }


def with_bad_seats(user):
    values = plan_and_seats(user)
    if user.username.endswith("-bad"):
        values["seats"] = "many"
        values["plan"] = "Platinum"
    return values


def unknown_slug(user):
    return {"plan": "Free", "favourite-colour": "teal", "logins": 12}


def broken(user):
    raise RuntimeError("database is down")


def interrupting(user):
    if user.email == STOP_AT_EMAIL["value"]:
        raise KeyboardInterrupt
    return {"seats": user.pk}
