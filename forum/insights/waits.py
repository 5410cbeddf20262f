"""Median and 90th percentile of waiting times (asked -> first answer).

On PostgreSQL, `percentile_cont` computes them in the database over the
period's rows, so only a few numbers travel, and several waits measured on
the same rows share one scan. Other databases (SQLite, the embedded default)
fetch the times of the period and interpolate in Python the same way
`percentile_cont` does; a period holds at most a year of questions, so the
set is bounded. Both paths are tested against the same hand-computed values
(forum/tests/test_insights_figures.py)."""

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet


@dataclass(frozen=True)
class WaitStats:
    count: int  # rows that got an answer (the others wait still)
    median_seconds: float | None
    p90_seconds: float | None


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks: PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _from_seconds(seconds: list[float]) -> WaitStats:
    return WaitStats(len(seconds), percentile(seconds, 0.5), percentile(seconds, 0.9))


def wait_stats(
    rows: QuerySet, *, since: str, until: tuple[str, ...], in_python: bool | None = None
) -> tuple[WaitStats, ...]:
    """For each column of `until` (null: no answer yet), the waits from
    column `since` over `rows`, a queryset that has them all as fields or
    annotations."""
    if in_python is None:
        in_python = connection.vendor != "postgresql"
    if in_python:
        fetched = list(rows.values_list(since, *until))
        return tuple(
            _from_seconds([(row[i] - row[0]).total_seconds() for row in fetched if row[i] is not None])
            for i in range(1, len(until) + 1)
        )
    inner, params = rows.values(since, *until).query.sql_with_params()
    # Column names come from our own code (identifiers the callers chose),
    # never from input; the values stay parameters.
    parts = []
    for column in until:
        wait = f'extract(epoch FROM t."{column}" - t."{since}")'
        parts.append(f'count(t."{column}"), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {wait})')
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)} FROM ({inner}) AS t", params)
        row = cursor.fetchone()
    stats = []
    for index in range(len(until)):
        count, quantiles = row[2 * index], row[2 * index + 1]
        stats.append(WaitStats(count, float(quantiles[0]), float(quantiles[1])) if count else WaitStats(0, None, None))
    return tuple(stats)
