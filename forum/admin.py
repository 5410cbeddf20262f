"""The Django admin, for staff administrators: a window, not a write path.

Every change of state goes through forum/services/ (permission check, audit
entry, event, token revocation); a ModelAdmin form saves the row directly and
skips all of it. So every model is read-only here, and the few writes staff
need are admin actions that call the services (ban and reactivate members).
Day-to-day moderation happens in the moderators' pages (/moderation/), and
organisations are edited on their own pages (/organisations/<slug>/gerer/).

forum/tests/test_admin_is_not_a_write_path.py enumerates every registered
ModelAdmin and fails on an editable field, an add or delete permission or an
action that is not on its reviewed allowlist.
"""

from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.admin import TagAdmin as BaseTagAdmin
from taggit.models import Tag

from forum.exceptions import ForumError
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
from forum.models.moderation import CharterClause
from forum.services import sanctions
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


# Registered by django.contrib.auth, taggit and allauth with editable forms:
# renaming the moderators' group, a tag or marking an address verified here
# would skip the services too.
for _model in (Group, Tag, EmailAddress, Site):
    admin.site.unregister(_model)


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    # The name mails and pages show, set from SITE_URL by a migration.
    list_display = ("domain", "name")


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin, BaseGroupAdmin):
    pass


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin, BaseTagAdmin):
    # taggit's inline edits which posts carry the tag: retagging is a
    # moderator's thread tool (forum.services.thread_tools.retag).
    inlines = ()


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdmin, BaseEmailAddressAdmin):
    pass


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    """Members, read-only: `is_active`, groups, names and roles change through
    the services (bans revoke tokens and close sockets; display names pass the
    impersonation checks). Banning and reactivating are actions that call
    forum.services.sanctions as the staff member, so they are audited."""

    list_display = ("username", "display_name", "email", "role", "is_active", "suspended_until", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "groups")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "role", "school", "region", "bio", "charter_accepted_at")}),
        (_("Moderation"), {"fields": ("suspended_until",)}),
    )
    actions = ("ban_selected", "reactivate_selected")

    @admin.action(description=_("Ban the selected members (audited, tokens revoked)"))
    def ban_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda member: sanctions.ban_member(
                moderator=request.user,
                member=member,
                clause=CharterClause.OTHER,
                message=str(_("Account deactivated by an administrator.")),
            ),
        )

    @admin.action(description=_("Reactivate the selected members (audited)"))
    def reactivate_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda member: sanctions.unban_member(
                moderator=request.user, member=member, note=str(_("Reactivated by an administrator."))
            ),
        )

    def _run(self, request, queryset, service) -> None:
        done = 0
        for member in queryset:
            try:
                service(member)
                done += 1
            except ForumError as exc:
                self.message_user(request, f"{member.username}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(count)d member updated.", "%(count)d members updated.", done) % {"count": done},
                messages.SUCCESS,
            )


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


# Organisations: edited on their own pages through
# forum.services.organisations (audited; the slug never changes, it is in
# links people shared); domains, badges and verification requests are
# moderator decisions made in the moderation pages.


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    fields = ("domain", "added_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "website", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    fields = ("name", "slug", "kind", "website", "logo_url", "description")
    inlines = (OrganisationDomainInline,)


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
