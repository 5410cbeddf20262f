"""The Django admin, for staff administrators.

Day-to-day moderation happens in the moderators' pages (/moderation/), which
go through the services and write the audit log. The admin therefore shows
moderation records read-only: changing a post's visibility, a flag or a
sanction here would skip the audit trail. The audit log itself can never be
added to, changed or deleted from the admin.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from forum.models import (
    Answer,
    AuditLog,
    Badge,
    DeviceToken,
    Event,
    Flag,
    Organisation,
    OrganisationDomain,
    PostRevision,
    Question,
    ReviewItem,
    Sanction,
    TagSynonym,
    User,
    VerificationRequest,
)
from forum.validation import normalise_tag


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff, never written through the admin."""

    # Not even the built-in "delete selected" action.
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor", "target_type", "target_id", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("action", "actor__username", "target_repr", "reason")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "role", "is_active", "suspended_until", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "groups")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "role", "school", "region", "bio", "charter_accepted_at")}),
    )
    # Suspensions and bans go through the moderation pages so they are audited
    # and revoke tokens; the admin only shows them.
    readonly_fields = ("suspended_until", "charter_accepted_at", "last_login", "date_joined")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (*fieldsets, (_("Moderation"), {"fields": ("suspended_until",)}))


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("title", "author", "visibility", "is_locked", "pinned_at", "answer_count", "created_at")
    list_filter = ("visibility", "is_locked")
    search_fields = ("title", "author__username")
    list_select_related = ("author",)
    date_hierarchy = "created_at"


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("pk", "question", "author", "visibility", "vote_count", "created_at")
    list_filter = ("visibility",)
    search_fields = ("body", "author__username")
    list_select_related = ("author", "question")
    date_hierarchy = "created_at"


@admin.register(PostRevision)
class PostRevisionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "question", "answer", "editor", "created_at")
    list_select_related = ("editor", "question", "answer")


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("pk", "reason", "flagger", "question", "answer", "weight", "status", "created_at")
    list_filter = ("reason", "status")
    list_select_related = ("flagger", "question", "answer")


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ("pk", "author", "status", "decision", "is_appeal", "decided_by", "created_at")
    list_filter = ("status", "decision", "is_appeal")
    list_select_related = ("author", "decided_by")


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "clause", "issued_by", "created_at", "ends_at", "lifted_at")
    list_filter = ("kind", "clause")
    list_select_related = ("user", "issued_by")


@admin.register(DeviceToken)
class DeviceTokenAdmin(ReadOnlyAdmin):
    # Never the hash: the prefix is enough to tell tokens apart.
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    exclude = ("key_hash",)
    list_select_related = ("user",)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("pk", "topic", "name", "audience", "created_at")
    list_filter = ("audience", "name")


# Organisations: profile text (name, website, description) is edited here by
# staff; domains, badges and verification requests are moderator decisions
# with an audit trail, made in the moderation pages, so they are read-only.


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    fields = ("domain", "added_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "website", "logo_url", "description")
    inlines = (OrganisationDomainInline,)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "status", "verified_at", "expires_at", "revoked_at")
    list_filter = ("role", "status")
    list_select_related = ("user", "organisation")


@admin.register(VerificationRequest)
class VerificationRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "status", "created_at", "decided_at")
    list_filter = ("role", "status")
    # The token hash is a secret; the work email is private but staff may need it.
    exclude = ("token_hash",)
    list_select_related = ("user", "organisation")


class TagSynonymForm(forms.ModelForm):
    """Stored as typed tags are ("Période d'essai" -> "periode-essai"), checked
    before saving so a clash is a form error, not a database error."""

    class Meta:
        model = TagSynonym
        fields = ("name", "tag_name")

    def clean_name(self) -> str:
        name = normalise_tag(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("This is not a tag."))
        if TagSynonym.objects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This synonym already exists."))
        return name

    def clean_tag_name(self) -> str:
        tag_name = normalise_tag(self.cleaned_data["tag_name"])
        if not tag_name:
            raise forms.ValidationError(_("This is not a tag."))
        if tag_name == self.cleaned_data.get("name"):
            raise forms.ValidationError(_("A tag is not its own synonym."))
        return tag_name


@admin.register(TagSynonym)
class TagSynonymAdmin(admin.ModelAdmin):
    """Synonyms only steer suggestions and the tags of new posts; editing them
    changes no existing post, so no service or audit entry is needed."""

    form = TagSynonymForm
    list_display = ("name", "tag_name", "created_at")
    search_fields = ("name", "tag_name")
