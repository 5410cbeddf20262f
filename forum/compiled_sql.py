"""ORM queries built once per shape, then run as SQL with each call's values.

Building and compiling a queryset with several subqueries costs as much CPU
as PostgreSQL spends running it, and a few such queries are on the path of
every page (the page version's newest event, the composer's charter hints:
docs/benchmarks.md). These are built once with marker values in place of the
call's own (`compile_once`), and each call puts its values where the markers
were (`Compiled.first`).

PostgreSQL only: its driver takes the values as the ORM would have passed
them. Elsewhere the callers keep running the queryset (SQLite converts dates
and booleans in Django's converters, which raw SQL would skip).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import QuerySet


class Slot(int):
    """The index of a call's value among a query's parameters."""


def marker_int(n: int) -> int:
    """An integer no row or constant of a query holds."""
    return -(2**62) - n


def marker_datetime(n: int) -> datetime:
    """A moment no query's constant holds."""
    return datetime(1901, 1, 1, 0, 0, 0, n, tzinfo=UTC)


def marker_text(n: int) -> str:
    return f"\x00slot{n}\x00"


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple

    def first(self, *values) -> dict | None:
        """The first row as {column alias: value}, or None."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [values[p] if isinstance(p, Slot) else p for p in self.params])
            row = cursor.fetchone()
            return None if row is None else dict(zip((column.name for column in cursor.description), row, strict=True))


def compile_once(build: Callable[..., QuerySet], markers: tuple) -> Compiled:
    """`build(*markers)` compiled for this connection, each marker's parameter
    replaced by the slot of the value a call gives in its place."""
    sql, params = build(*markers).query.get_compiler(connection=connection).as_sql()
    index = {marker: i for i, marker in enumerate(markers)}
    found = set()
    slots = []
    for param in params:
        try:
            slot = index.get(param)
        except TypeError:  # an unhashable constant (a list for an array lookup)
            slot = None
        if slot is None:
            slots.append(param)
        else:
            found.add(slot)
            slots.append(Slot(slot))
    if found != set(index.values()):
        raise ValueError("a marker did not reach the SQL as a parameter")
    return Compiled(sql, tuple(slots))
