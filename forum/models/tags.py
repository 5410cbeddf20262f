from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItem

from forum.models.posts import Question, Visibility


class TagSynonym(models.Model):
    """Another word for a tag ("rupture" for `rupture-contrat`): typing it
    suggests the tag, and a question tagged with it gets the tag instead, so
    one subject keeps one page. Both sides are normalised tag names
    (forum.validation.normalise_tag). Maintained by moderators in the admin;
    the tag need not exist yet (its first question creates it)."""

    name = models.CharField(_("synonym"), max_length=40, unique=True)
    tag_name = models.CharField(_("tag"), max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tag synonym")
        verbose_name_plural = _("tag synonyms")
        ordering = ["tag_name", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=models.F("tag_name")), name="synonym_is_not_its_tag")
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.tag_name}"


class TagQuestionCountQuerySet(models.QuerySet):
    def shift(self, tag_ids, by: int) -> None:
        """Add `by` to the count of each tag, creating missing rows. Called by
        the services in the transaction that publishes, unpublishes or retags
        a question; F() keeps concurrent shifts exact."""
        tag_ids = sorted(set(tag_ids))
        if not tag_ids or not by:
            return
        self.bulk_create([self.model(tag_id=tag_id) for tag_id in tag_ids], ignore_conflicts=True)
        self.filter(tag_id__in=tag_ids).update(question_count=models.F("question_count") + by)

    def retagged(self, *, before, after) -> None:
        """A published question's tags went from `before` to `after` (tag ids)."""
        before, after = set(before), set(after)
        self.shift(before - after, -1)
        self.shift(after - before, +1)

    def counted_from_rows(self) -> dict[int, int]:
        """{tag id: published questions}, counted from the tagged rows: what
        the stored counts must equal."""
        published = Question.objects.filter(visibility=Visibility.PUBLISHED).values("pk")
        rows = (
            TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Question), object_id__in=published)
            .values("tag_id")
            .annotate(n=models.Count("id"))
            .values_list("tag_id", "n")
        )
        return dict(rows)

    def recount(self) -> int:
        """Rebuild every count from the rows (after a bulk import or to repair
        a drift); returns the number of tags with a published question."""
        counts = self.counted_from_rows()
        with transaction.atomic():
            self.all().delete()
            self.bulk_create([self.model(tag_id=tag_id, question_count=n) for tag_id, n in counts.items()])
        return len(counts)


class TagQuestionCount(models.Model):
    """Published questions per tag, denormalised: the tag cloud of the home
    page and the tag index read it instead of counting tagged rows on every
    request (an aggregate over every tagged question). Kept by
    `forum.services.review_queue.set_visibility` and the question services
    (ask, edit, retag); `manage.py recount_tags` rebuilds it from the rows."""

    tag = models.OneToOneField("taggit.Tag", on_delete=models.CASCADE, primary_key=True, related_name="published")
    # Not Positive: a drift must not turn a moderation decision into a 500;
    # recount_tags repairs it.
    question_count = models.IntegerField(default=0)

    objects = TagQuestionCountQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["-question_count"], name="tag_question_count_idx")]

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.question_count}"


class TagDescription(models.Model):
    """What a tag's page says about its subject, written by moderators
    (forum.services.tags.set_tag_description, audit-logged). A tag without one
    simply has no row: taggit's Tag stays untouched."""

    tag = models.OneToOneField("taggit.Tag", on_delete=models.CASCADE, related_name="description")
    text = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("tag description")
        verbose_name_plural = _("tag descriptions")

    def __str__(self) -> str:
        return f"Description of {self.tag_id}"
