from django.db import models
from django.utils.translation import gettext_lazy as _


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
