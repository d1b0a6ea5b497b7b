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
