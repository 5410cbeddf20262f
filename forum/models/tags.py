from django.conf import settings
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
