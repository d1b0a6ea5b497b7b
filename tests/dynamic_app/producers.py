"""Callables named in HELPSCOUT for the dynamic app tests."""


def plan_with_markup(user):
    return {"plan": "Pro", "company": '<script>alert("x")</script> & Co', "seats": None}


def broken(user):
    raise RuntimeError("boom")


def extra_context(user, sidebar):
    return {"open_invoices": 2, "ticket_number": sidebar.ticket.get("number")}


def platform_context(user, sidebar):
    ticket = sidebar.ticket
    return {
        "open_invoices": 2,
        "invoice_note": f"{sidebar.source}, ticket {ticket.get('number')}, {ticket.get('subject')}",
    }


def account_context(user, sidebar, *, account=None, organization=None):
    return {"account_label": f"{account} / {organization}"}


def account_of(user):
    return user.groups.order_by("pk").first()


def fields_of(group):
    return {"name": group.name}
