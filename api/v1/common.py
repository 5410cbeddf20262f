"""Pieces every resource module shares: input parsing, timestamps, URLs, the
author object (the same data as the web pages and the websocket payloads), the
thread-or-answer target of an action, and the moderation fields and answers."""

from django.core.validators import MaxLengthValidator
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from forum import queries
from forum.limits import max_length_for, too_long_message
from forum.models import Answer, CharterClause, PostRevision, Question
from forum.presenters import author_data, iso, person_data, post_author_data

# The 409 of every action that can meet a state someone else just changed.
CONFLICT = OpenApiResponse(description="Conflicts with the current state: see `error.message`.")


def parse(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """Validated input or a ValidationError (-> 400 with `fields`). Serializers
    here check presence, types and the length limits of forum.limits; the rules
    (lengths, counts, who may) are the service's, so that the web and the API
    give the same messages."""
    serializer = serializer_class(data=data, **kwargs)
    bound_lengths(serializer)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def string_limit(field: serializers.Field, name: str) -> int | None:
    """The maximum length of a string input field: its own, or forum.limits'
    by name (a list's items take the list's name). None for non-strings."""
    if not isinstance(field, serializers.CharField) or field.read_only:
        return None
    if field.max_length is not None:
        return field.max_length
    if isinstance(field, RuleCharField) and field.rule_max is not None:
        return field.rule_max
    return max_length_for(name)


def bound_lengths(serializer: serializers.Serializer) -> None:
    """Give every string field of this input serializer (nested ones and list
    items included) the limit forum.limits declares for its name, so that no
    unbounded string reaches a service or a query (api.schema documents the
    same limit as `maxLength`)."""
    for name, field in serializer.fields.items():
        _bound(field, name)


def _bound(field: serializers.Field, name: str) -> None:
    if isinstance(field, serializers.ListField):
        _bound(field.child, name)
    elif isinstance(field, serializers.Serializer):
        bound_lengths(field)
    elif isinstance(field, RuleCharField) and field.rule_max is not None:
        # The service judges it against rule_max, with its own message.
        return
    elif isinstance(field, serializers.CharField) and not field.read_only and field.max_length is None:
        limit = string_limit(field, name)
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit, message=too_long_message(limit)))


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def current_user(serializer: serializers.Field):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a `Z`, like the websocket payloads (presenters.iso).
    DRF's own field would render in TIME_ZONE (Europe/Paris)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return iso(value)


class RuleCharField(serializers.CharField):
    """Text passed to a service untouched (not trimmed) so that forum.validation
    judges it and words its messages; `rule_min`/`rule_max` only document that
    rule in the schema (api.schema.RuleFieldExtension)."""

    def __init__(self, *, rule_min: int | None = None, rule_max: int | None = None, **kwargs):
        kwargs.setdefault("allow_blank", not rule_min)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.rule_min, self.rule_max = rule_min, rule_max


class RuleListField(serializers.ListField):
    """A list whose count the service judges; see RuleCharField."""

    def __init__(self, *, rule_min: int | None = None, rule_max: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rule_min, self.rule_max = rule_min, rule_max


class BadgeOrganizationSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class BadgeSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="hr, school, ambassador or moderator.")
    organization = BadgeOrganizationSerializer(allow_null=True, help_text="Null for the moderator badge.")
    verified_at = serializers.DateTimeField(allow_null=True)


class AuthorSerializer(serializers.Serializer):
    """Who wrote it: the same name and verified badges as on the site. In a
    discreet thread the asker may be masked for you: then `discreet` is true,
    `display_name` reads "An apprentice" and `id`, `username` and `web_url`
    are null (docs/api.md, "Discreet mode")."""

    # Delegates to forum.presenters, so that the web, the API and the
    # websocket payloads cannot drift apart. Declared with source="*" where
    # the author belongs to a post (or a revision): masking needs the thread.

    id = serializers.IntegerField(read_only=True, allow_null=True)
    username = serializers.CharField(read_only=True, allow_null=True)
    display_name = serializers.CharField(read_only=True)
    badges = BadgeSerializer(many=True, read_only=True, help_text="Verified badges only, drawn from server data.")
    web_url = serializers.URLField(read_only=True, allow_null=True)
    discreet = serializers.BooleanField(
        read_only=True, help_text="True when the author hid their identity from you (discreet mode)."
    )

    def to_representation(self, obj) -> dict:
        viewer = current_user(self)
        if isinstance(obj, Question | Answer):
            data = post_author_data(obj, viewer=viewer)
        elif isinstance(obj, PostRevision):
            question = obj.question if obj.question_id else obj.answer.question
            data = person_data(obj.editor, question=question, viewer=viewer)
        else:
            data = dict(author_data(obj))
        if data["web_url"]:
            data = data | {"web_url": absolute(self.context.get("request"), data["web_url"])}
        return data


@extend_schema_field({"type": "string", "format": "uri"})
class WebUrlField(serializers.Field):
    """The object's page on the site, absolute, for sharing."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class PermissionFlag(serializers.BooleanField):
    """`can_edit`, `can_accept`...: what the current member may do, asked of
    forum.permissions, so the app shows the same buttons as the web."""

    def __init__(self, check, **kwargs):
        self.check = check
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> bool:
        return self.check(current_user(self), obj)


# For a view acting on one thread (`/threads/<pk>/...`): `post_of(pk)` is that
# thread if the requester may see it, a 404 otherwise. Comments, not docstrings:
# drf-spectacular would publish a docstring as the description of every
# operation that has none of its own.
class ThreadTarget:
    def post_of(self, pk: int):
        return queries.get_visible_question(self.request.user, pk)


# The same for one answer (`/answers/<pk>/...`).
class AnswerTarget:
    def post_of(self, pk: int):
        return queries.get_visible_answer(self.request.user, pk)


# Documented as its choices; judged by the services, so that the API and the
# web word their refusals the same way.
@extend_schema_field({"type": "string", "enum": CharterClause.values})
class ClauseField(serializers.CharField):
    pass
