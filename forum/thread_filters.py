"""The alternance facet filters of a thread list, in one place for every
front door: the pages, the REST list, and search.

    filters = ThreadFilters.parse(request.GET)        # InvalidInput on a bad value
    threads = filters.apply(queryset)                 # a pure queryset transformation
    counts = filters.facet_counts(queryset)           # for the list's "refine" block

`apply()` only adds WHERE clauses on indexed columns of Question: it keeps the
queryset's ordering, annotations and prefetches, so any read (a list, a tag
page, a ranked search) can be narrowed by it without knowing the facets.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from django.db.models import CharField, Count, F, QuerySet, Value
from django.utils.translation import gettext as _

from forum import compiled_sql
from forum.exceptions import InvalidInput
from forum.models import FACETS, Question
from forum.models.facets import FACET_LABELS


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetCounts:
    name: str
    label: str
    values: list[FacetValue]


@dataclass(frozen=True)
class ThreadFilters:
    """Each facet is one value or "" (no filter). Query parameter names are
    the Question field names: `diploma`, `contract`, `sector`, `region`."""

    diploma: str = ""
    contract: str = ""
    sector: str = ""
    region: str = ""

    def __post_init__(self):
        errors = {}
        for name, choices in FACETS.items():
            value = getattr(self, name)
            if value and value not in choices.values:
                errors[name] = [_("Unknown value. Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}]
        if errors:
            raise InvalidInput(fields=errors)

    @classmethod
    def parse(cls, params: Mapping, *, lenient: bool = False) -> "ThreadFilters":
        """From query parameters (a QueryDict or a dict; an empty value means
        no filter). A value outside the choices is an InvalidInput naming the
        field, unless `lenient`: then it is dropped, so that a shared page link
        with a stale value still shows a list (like ListFilterForm)."""
        values = {}
        for name, choices in FACETS.items():
            raw = params.get(name) or ""
            value = raw.strip() if isinstance(raw, str) else ""
            if lenient and value not in choices.values:
                value = ""
            values[name] = value
        return cls(**values)

    @property
    def active(self) -> dict[str, str]:
        """The facets in use, {name: value}: also the query string they come from."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def is_empty(self) -> bool:
        """No facet chosen (forum.search.types.QueryFilter)."""
        return not self.active

    def labels(self) -> list[tuple[str, str, str]]:
        """(facet name, facet label, value label) of each facet in use."""
        return [(name, str(FACET_LABELS[name]), str(FACETS[name](value).label)) for name, value in self.active.items()]

    def apply(self, queryset: QuerySet[Question]) -> QuerySet[Question]:
        return queryset.filter(**self.active) if self.active else queryset

    def facet_counts(self, queryset: QuerySet[Question]) -> list[FacetCounts]:
        """For each facet, how many threads of `queryset` have each value,
        given the *other* facets in use (so the reader sees what choosing
        another region would give, not only the region already chosen).
        `queryset` is the list before facet filtering. One grouped query per
        facet on its indexed column, the four in one round trip; unset values
        ("") are not counted. `queryset` must have one row per question
        (no join that multiplies rows): rows are counted, not distinct ids,
        which would cost a sort per group."""
        return self.present_counts(self.count_values(queryset))

    def count_values(self, queryset: QuerySet[Question]) -> dict[tuple[str, str], int]:
        """The counting half of `facet_counts`: {(facet, value): threads},
        plain data that does not depend on the language, so that
        forum.list_cache can share it between readers."""
        base = queryset.order_by().select_related(None).prefetch_related(None)
        # One grouped query per facet, sent as one UNION ALL: one round trip.
        branches = [
            replace(self, **{name: ""})
            .apply(base)
            .exclude(**{name: ""})
            .annotate(facet=Value(name, output_field=CharField()), value=F(name))
            .values_list("facet", "value")
            .annotate(n=Count("pk"))
            for name in FACETS
        ]
        return {(facet, value): n for facet, value, n in branches[0].union(*branches[1:], all=True)}

    def count_among(self, ids: Iterable[int]) -> dict[tuple[str, str], int]:
        """`count_values` over the questions `ids` (a sample of search matches,
        already narrowed to what the reader may see; not by these facets):
        one row per combination of their four facet values, counted here with
        the same rule as `count_values`: a few hundred questions read once
        cost less than four grouped queries re-reading them."""
        names = list(FACETS)
        ids = list(ids)
        if not ids:
            return {}
        counted: Counter = Counter()
        active = self.active
        for *row, n in _FACET_COMBINATIONS.rows(ids):
            values = dict(zip(names, row, strict=True))
            for name, value in values.items():
                if value and all(values[other] == chosen for other, chosen in active.items() if other != name):
                    counted[(name, value)] += n
        return dict(counted)

    def present_counts(self, counted: dict[tuple[str, str], int]) -> list[FacetCounts]:
        """The presenting half of `facet_counts`: labels in the current language."""
        result = []
        for name, choices in FACETS.items():
            selected = getattr(self, name)
            values = [
                FacetValue(
                    value=value, label=str(label), count=counted.get((name, value), 0), selected=value == selected
                )
                for value, label in choices.choices
                if counted.get((name, value)) or value == selected
            ]
            result.append(FacetCounts(name=name, label=str(FACET_LABELS[name]), values=values))
        return result


def _facet_combinations(ids: list[int]):
    return (
        Question.objects.filter(pk__among=ids)
        .exclude(**dict.fromkeys(FACETS, ""))
        .values_list(*FACETS)
        .annotate(n=Count("pk"))
        .order_by()
    )


# (diploma, contract, sector, region, questions) for each combination of values
# among the questions `ids` that have any: on every computed search page, built
# and compiled once (forum/compiled_sql.py), the ids as one parameter.
_FACET_COMBINATIONS = compiled_sql.CompiledQuery(_facet_combinations, (compiled_sql.marker_ids(0),))
