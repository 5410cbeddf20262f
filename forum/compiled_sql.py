"""ORM queries built once per shape, then run as SQL with each call's values.

Building and compiling a queryset with several subqueries costs as much CPU
as PostgreSQL spends running it, and a few such queries are on the path of
every page (the page version's newest event, the composer's charter hints:
docs/benchmarks.md). These are built once with marker values in place of the
call's own, and each call puts its values where the markers were
(`CompiledQuery.first`).

PostgreSQL only: its driver takes the values as the ORM would have passed
them. Elsewhere the queryset is run as it is (SQLite converts dates and
booleans in Django's converters, which raw SQL would skip).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property

from django.db import connection
from django.db.models import Model, QuerySet


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


class CompiledQuery:
    """`build(*values)`, a queryset of `.values()` rows (`first`) or of model
    instances (`instance`), run for its first row: on PostgreSQL from SQL
    compiled once with `markers` in the values' places, elsewhere through the
    ORM."""

    def __init__(self, build: Callable[..., QuerySet], markers: tuple):
        self.build, self.markers = build, markers

    def first(self, *values) -> dict | None:
        """The first row as {column alias: value}, or None."""
        if connection.vendor != "postgresql":
            return next(iter(self.build(*values)), None)
        sql, params = self._compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [values[p] if isinstance(p, Slot) else p for p in params])
            row = cursor.fetchone()
            return None if row is None else dict(zip((column.name for column in cursor.description), row, strict=True))

    def instance(self, *values) -> Model | None:
        """The first row as an instance of the queryset's model, or None. The
        queryset selects the model's own columns (no `select_related`,
        annotation or deferred field)."""
        if connection.vendor != "postgresql":
            return self.build(*values).first()
        model, attnames = self._instance_shape
        sql, params = self._compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [values[p] if isinstance(p, Slot) else p for p in params])
            row = cursor.fetchone()
        return None if row is None else model.from_db(connection.alias, attnames, row)

    @cached_property
    def _instance_shape(self) -> tuple[type[Model], list[str]]:
        queryset = self.build(*self.markers)
        compiler = queryset.query.get_compiler(connection=connection)
        compiler.setup_query()
        expressions = [expression for expression, _sql, _alias in compiler.select]
        attnames = [getattr(getattr(expression, "target", None), "attname", None) for expression in expressions]
        own = [field.attname for field in queryset.model._meta.concrete_fields]
        if attnames != own or compiler.get_converters(expressions):
            # What ModelIterable would do with other columns (related
            # instances, annotations, converted values) is not done here.
            raise ValueError("instance() takes a queryset of one model's own columns")
        return queryset.model, own

    @cached_property
    def _compiled(self) -> tuple[str, tuple]:
        """The SQL, each marker's parameter replaced by the slot of the value
        a call gives in its place."""
        sql, params = self.build(*self.markers).query.get_compiler(connection=connection).as_sql()
        index = {marker: i for i, marker in enumerate(self.markers)}
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
        return sql, tuple(slots)
