"""A small stacked bar chart of conversations per status per day, as server-rendered SVG data.

Geometry only: this module computes rectangles, ticks and labels from counts; the template
`helpscout_integration/admin/status_chart.svg.html` draws them. No JavaScript, no HTTP.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

# Colour-blind-safe palette (Okabe-Ito), one colour per status, in stacking order.
STATUS_COLOURS = {
    "active": "#0072B2",
    "pending": "#E69F00",
    "closed": "#009E73",
    "spam": "#999999",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class StatusChart:
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    plot_right: int
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[tuple[float, int]] = field(default_factory=list)  # (y, value)
    x_labels: list[tuple[float, str]] = field(default_factory=list)  # (x, label)
    legend: list[tuple[str, str, int]] = field(default_factory=list)  # (status, colour, total)
    total: int = 0
    days: int = 0
    end: dt.date | None = None
    summary: str = ""


def _axis(peak: int) -> tuple[int, int]:
    """A round axis maximum and tick step: at most five steps of 1, 2 or 5 x 10^n."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            candidate = multiple * step
            steps = max(math.ceil(peak / candidate), 1)
            if steps <= 5:
                return steps * candidate, candidate
        step *= 10


def build_status_chart(
    counts: dict[tuple[dt.date, str], int],
    *,
    end: dt.date,
    days: int = 30,
    width: int = 720,
    height: int = 260,
) -> StatusChart:
    """Lay out `counts[(day, status)]` for the `days` days ending at `end` (inclusive)."""
    left, right, top, bottom = 44, width - 12, 28, height - 40
    chart = StatusChart(width, height, left, top, bottom, right, days=days)
    start = end - dt.timedelta(days=days - 1)
    day_list = [start + dt.timedelta(days=i) for i in range(days)]
    per_day = {d: sum(counts.get((d, s), 0) for s in STATUS_COLOURS) for d in day_list}
    peak = max(per_day.values(), default=0)
    axis_max, tick_step = _axis(peak)
    plot_h = bottom - top
    slot = (right - left) / days
    bar_w = max(slot * 0.75, 1.0)

    for i, day in enumerate(day_list):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(bottom)
        for status, colour in STATUS_COLOURS.items():
            n = counts.get((day, status), 0)
            if not n:
                continue
            h = plot_h * n / axis_max
            y -= h
            chart.bars.append(
                Bar(
                    round(x, 1),
                    round(y, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    colour,
                    f"{day:%b %d}: {n} {status}",
                )  # fmt: skip
            )
        if i % 5 == 0 or i == days - 1:
            chart.x_labels.append((round(x + bar_w / 2, 1), f"{day:%b %d}"))

    for value in range(0, axis_max + 1, tick_step):
        chart.y_ticks.append((round(bottom - plot_h * value / axis_max, 1), value))

    totals = {s: sum(counts.get((d, s), 0) for d in day_list) for s in STATUS_COLOURS}
    chart.legend = [(s, c, totals[s]) for s, c in STATUS_COLOURS.items()]
    chart.total = sum(totals.values())
    chart.end = end
    chart.summary = (
        f"Conversations created per day in the {days} days up to {end:%b %d, %Y}, "
        "by current status: " + ", ".join(f"{totals[s]} {s}" for s in STATUS_COLOURS) + "."
    )
    return chart
