"""Median and 90th percentile of waiting times (asked -> first answer).

On PostgreSQL, `percentile_cont` computes them in the database over the
period's rows, so only two numbers travel. Other databases (SQLite, the
embedded default) fetch the pairs of times of the period and interpolate in
Python the same way `percentile_cont` does; a period holds at most a year of
questions, so the set is bounded. Both paths are tested against the same
hand-computed values (forum/tests/test_insights_figures.py)."""

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


def wait_stats(rows: QuerySet, *, since: str, until: str, in_python: bool | None = None) -> WaitStats:
    """Waits from column `since` to column `until` (null: no answer yet) over
    `rows`, a queryset that has both as fields or annotations."""
    if in_python is None:
        in_python = connection.vendor != "postgresql"
    if in_python:
        seconds = [
            (answered - asked).total_seconds()
            for asked, answered in rows.values_list(since, until)
            if answered is not None
        ]
        return WaitStats(len(seconds), percentile(seconds, 0.5), percentile(seconds, 0.9))
    inner, params = rows.values(since, until).query.sql_with_params()
    # Column names come from our own code (since/until are identifiers we
    # chose), never from input; the values stay parameters.
    sql = (
        f'SELECT count(t."{until}"), '
        f'percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM t."{until}" - t."{since}")) '
        f"FROM ({inner}) AS t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, quantiles = cursor.fetchone()
    if not count:
        return WaitStats(0, None, None)
    return WaitStats(count, float(quantiles[0]), float(quantiles[1]))
