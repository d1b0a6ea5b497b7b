"""Identity callables used by the tests through `BEACON_IDENTITY` (dotted paths)."""


def with_company(request):
    return {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "company": "Analytical Engines Ltd",
        "jobTitle": "Programmer",
        "avatar": "https://example.com/ada.png",
        "plan": "pro",
        "seats": 12,
    }


def broken(request):
    raise RuntimeError("host bug")


def not_a_dict(request):
    return ["ada@example.com"]
