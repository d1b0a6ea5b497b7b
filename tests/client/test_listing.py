"""`Listing` on its own: every item once, in order, fetching each page only when needed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from helpscout_integration.client import Listing, Page


def fake_pages(sizes: list[int]):
    """A fetch function over pages of the given sizes, recording what was requested."""
    requested: list[int] = []
    pages = []
    start = 0
    for size in sizes:
        pages.append([{"id": start + i} for i in range(size)])
        start += size

    def fetch(number: int) -> Page:
        requested.append(number)
        items = pages[number - 1] if number <= len(pages) else []
        return Page(items, number, len(pages), start)

    return fetch, requested, pages


@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=8))
def test_every_item_once_in_order_one_request_per_page(sizes):
    fetch, requested, pages = fake_pages(sizes)

    items = [item["id"] for item in Listing(fetch)]

    assert items == list(range(sum(sizes)))
    assert requested == list(range(1, len(sizes) + 1))


@given(
    st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=8),
    st.data(),
)
def test_pages_resume_anywhere(sizes, data):
    start = data.draw(st.integers(min_value=1, max_value=len(sizes)))
    fetch, requested, pages = fake_pages(sizes)

    got = [page.items for page in Listing(fetch).pages(start_page=start)]

    assert got == pages[start - 1 :]
    assert requested == list(range(start, len(sizes) + 1))


def test_consuming_part_of_a_listing_fetches_only_the_pages_it_needs():
    fetch, requested, _ = fake_pages([2, 2, 2, 2])
    listing = Listing(fetch)

    first_three = [next(listing) for _ in range(3)]

    assert [item["id"] for item in first_three] == [0, 1, 2]
    assert requested == [1, 2]
