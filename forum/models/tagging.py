"""django-taggit's tag manager, cheaper to prefetch.

Django's prefetch_related("tags") asks each row's manager for a queryset only
to store the prefetched tags in it; taggit's builds its whole filter (three
joins through the tagged items and content types) every time: 21 of them were
a fifth of a member's home page CPU (docs/benchmarks.md). Like Django's own
related managers (`_apply_rel_filters`), this one defers that filter until the
query is actually needed, which a prefetched queryset never does.
"""

from taggit.managers import _TaggableManager
from taggit.models import GenericTaggedItemBase


class DeferredTaggableManager(_TaggableManager):
    def get_queryset(self, extra_filters=None):
        try:
            return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
        except (AttributeError, KeyError):
            pass
        if self.instance is None or not issubclass(self.through, GenericTaggedItemBase):
            return super().get_queryset(extra_filters)
        queryset = self.through.tag_model().objects.order_by(*self.ordering).distinct()
        # The next filter() is kept aside and applied when `.query` is first
        # read: running, chaining or printing the queryset, never on a
        # prefetch, which only stores the rows it already has.
        queryset._defer_next_filter = True
        return queryset.filter(**self._tags_filter(extra_filters))

    def _tags_filter(self, extra_filters) -> dict:
        # taggit's GenericTaggedItemBase.tags_for, for one instance.
        relname = self.through.tag_relname()
        model = self.model._meta.concrete_model
        return {
            f"{relname}__content_type__app_label": model._meta.app_label,
            f"{relname}__content_type__model": model._meta.model_name,
            f"{relname}__object_id": self.instance.pk,
            **(extra_filters or {}),
        }
