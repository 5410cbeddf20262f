"""ORM queries built once per shape, then run as SQL with each call's values.

Building and compiling a queryset with several subqueries costs as much CPU
as PostgreSQL spends running it, and a few such queries are on the path of
every page (the page version's newest event, the composer's charter hints:
docs/benchmarks.md). These are built once with marker values in place of the
call's own, and each call puts its values where the markers were
(`CompiledQuery.first` for a row of values, `rows` for tuples,
`CompiledQuery.instance` for a model instance with its `select_related`
objects and annotations). A list of ids is one parameter (`field__among`,
forum/lookups.py; `marker_ids`).

PostgreSQL only: its driver takes the values as the ORM would have passed
them. Elsewhere the queryset is run as it is (SQLite converts dates and
booleans in Django's converters, which raw SQL would skip).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _InstanceShape:
    model: type[Model]
    attnames: list[str]
    start: int
    end: int
    related: list
    annotations: dict[str, int]
    converters: dict


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


class IdsMarker(list):
    """A list of ids no call passes, for an array parameter (`field__among`,
    forum/lookups.py): hashable, so that it is found among the parameters
    (the ORM hands the lookup a copy of the list, of the same type)."""

    def __hash__(self) -> int:
        return hash(tuple(self))


def marker_ids(n: int) -> IdsMarker:
    return IdsMarker([marker_int(n)])


class CompiledQuery:
    """`build(*values)`, a queryset of `.values()` rows (`first`), of
    `.values_list()` rows (`rows`) or of model instances (`instance` for the
    first, `instances` for all): on PostgreSQL
    run from SQL compiled once with `markers` in the values' places,
    elsewhere through the ORM."""

    def __init__(self, build: Callable[..., QuerySet], markers: tuple):
        self.build, self.markers = build, markers

    def first(self, *values) -> dict | None:
        """The first row as {column alias: value}, or None."""
        if connection.vendor != "postgresql":
            return next(iter(self.build(*values)), None)
        with connection.cursor() as cursor:
            row = self._execute(cursor, values).fetchone()
            return None if row is None else dict(zip((column.name for column in cursor.description), row, strict=True))

    def rows(self, *values) -> list[tuple]:
        """Every row as a tuple (a `.values_list()` queryset's rows), the
        values as the driver gives them: for columns no converter changes."""
        if connection.vendor != "postgresql":
            return list(self.build(*values))
        with connection.cursor() as cursor:
            return self._execute(cursor, values).fetchall()

    def instance(self, *values) -> Model | None:
        """The first row as an instance of the queryset's model, with what
        its `select_related` and annotations put on it, or None (as the
        ORM's `ModelIterable` builds it, from the SQL compiled once)."""
        if connection.vendor != "postgresql":
            return self.build(*values).first()
        with connection.cursor() as cursor:
            row = self._execute(cursor, values).fetchone()
        return None if row is None else self._instance(row)

    def instances(self, *values) -> list[Model]:
        """Every row, as `instance` builds the first."""
        if connection.vendor != "postgresql":
            return list(self.build(*values))
        with connection.cursor() as cursor:
            rows = self._execute(cursor, values).fetchall()
        return [self._instance(row) for row in rows]

    def _execute(self, cursor, values: tuple):
        """The compiled SQL run on `cursor` with this call's values."""
        sql, params = self._compiled
        cursor.execute(sql, [values[p] if isinstance(p, Slot) else p for p in params])
        return cursor

    def _instance(self, row: tuple) -> Model:
        shape = self._instance_shape
        if shape.converters:
            row = list(row)
            for position, (converters, expression) in shape.converters.items():
                for convert in converters:
                    row[position] = convert(row[position], expression, connection)
        instance = shape.model.from_db(connection.alias, shape.attnames, row[shape.start : shape.end])
        for populator in shape.related:
            populator.populate(row, instance)
        for name, position in shape.annotations.items():
            setattr(instance, name, row[position])
        return instance

    @cached_property
    def _instance_shape(self) -> _InstanceShape:
        """What `ModelIterable` reads off the compiler for each query, read
        once: the same query gives the same columns in the same places."""
        queryset = self.build(*self.markers)
        compiler = queryset.query.get_compiler(connection=connection)
        compiler.setup_query()
        klass_info = compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _InstanceShape(
            model=klass_info["model"],
            attnames=[expression.target.attname for expression, _sql, _alias in compiler.select[first:last]],
            start=first,
            end=last,
            related=get_related_populators(klass_info, compiler.select, connection.alias, queryset._fetch_mode),
            annotations=dict(compiler.annotation_col_map or {}),
            # Values PostgreSQL's driver does not give as the fields hold them
            # (a JSON column's text): converted as `results_iter` would.
            converters=compiler.get_converters([expression for expression, _sql, _alias in compiler.select]),
        )

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
