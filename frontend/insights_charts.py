"""Geometry of the dashboard's SVG charts, computed here so that templates
only place shapes. Bars live in a viewBox stretched to the card's width
(preserveAspectRatio="none"); the words (axis labels, legend, values) stay in
HTML around them, so they keep their size on a phone."""

from dataclasses import dataclass

from forum.insights.activity import Volume

HEIGHT = 100
SLOT = 10  # viewBox units per bucket
GAP = 0.18  # share of a slot left empty between bars


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "solved", "answered", "open": a CSS class and a legend entry


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    peak: int
    rects: list[Rect]
    labels: list[str]  # first, middle and last bucket, for the axis


def volume_chart(volume: Volume, *, label) -> ColumnChart:
    """Stacked columns per bucket, from the bottom: solved, answered but not
    solved, still unanswered. `label(day)` formats an axis date."""
    buckets = volume.buckets
    peak = max((b.asked for b in buckets), default=0)
    scale = HEIGHT / peak if peak else 0
    rects = []
    for index, bucket in enumerate(buckets):
        x = index * SLOT + SLOT * GAP / 2
        width = SLOT * (1 - GAP)
        bottom = HEIGHT
        for kind, count in (
            ("solved", bucket.solved),
            ("answered", bucket.answered - bucket.solved),
            ("open", bucket.asked - bucket.answered),
        ):
            if count <= 0:
                continue
            height = count * scale
            bottom -= height
            rects.append(Rect(round(x, 2), round(bottom, 2), round(width, 2), round(height, 2), kind))
    picks = sorted({0, len(buckets) // 2, len(buckets) - 1}) if buckets else []
    return ColumnChart(
        width=max(len(buckets), 1) * SLOT,
        height=HEIGHT,
        peak=peak,
        rects=rects,
        labels=[label(buckets[i].day) for i in picks],
    )


def share(part: float, whole: float) -> float:
    """A bar's length in percent of the longest one (0 when there is nothing)."""
    return round(100 * part / whole, 2) if whole else 0.0
