"""OpenAPI generation (drf-spectacular): the error responses every operation can
give, the Bearer scheme, and the documented-but-not-enforced input fields."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

from api.permissions import ReadOnlyUnlessAuthenticated
from api.v1.common import RuleCharField, string_limit
from forum.limits import max_length_for

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `error.fields` says which field and why.",
    "401": "No credentials, or a token that is invalid, expired or revoked.",
    "403": "Not allowed (for example a suspended account, or not the author); `error.message` says why.",
    "404": "Does not exist, or is not visible to you.",
    "409": "Conflicts with the current state.",
    "413": "The body is larger than the server accepts.",
    "415": "The body must be JSON (`Content-Type: application/json`).",
    "429": "Too many requests: wait for `Retry-After` seconds.",
}


# A date is parsed strictly: anything longer than its format is refused.
DATE_LENGTHS = {"date": 10, "date-time": 40}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: invalid, not_authenticated, forbidden, ...")
    message = serializers.CharField(help_text="For people, in the request's language (French by default).")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field; empty when the error is not about a field.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        # Reads are public: say so, or clients and fuzzers believe a token is needed.
        if self.method in SAFE_METHODS and any(
            isinstance(permission, ReadOnlyUnlessAuthenticated) for permission in self.view.get_permissions()
        ):
            auths.append({})
        return auths

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "Retry-After",
                int,
                location=OpenApiParameter.HEADER,
                response=[429],
                description="Seconds to wait before trying again.",
            ),
            OpenApiParameter(
                "WWW-Authenticate", str, location=OpenApiParameter.HEADER, response=[401], description="`Bearer`."
            ),
        ]

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if isinstance(field, RuleCharField) and field.rule_min:
            # The documented rule, not spectacular's "non-blank" minLength 1.
            meta["minLength"] = field.rule_min
        return meta

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] in ("query", "path") and schema.get("type") == "string" and "enum" not in schema:
                # Parameters declared one by one (OpenApiParameter, path
                # converters, pagination) get forum.limits' limit too.
                fixed = DATE_LENGTHS.get(schema.get("format"))
                schema.setdefault("maxLength", fixed or max_length_for(parameter["name"]))
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # The length limit api.v1.common.parse() enforces (forum.limits), on
        # every string input: query parameters and bodies alike.
        if direction == "request" and schema.get("type") == "string" and "enum" not in schema:
            limit = string_limit(field, _input_name(field))
            if limit is not None:
                schema.setdefault("maxLength", limit)
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code, direction=direction
                )
        return dict(sorted(responses.items()))

    def _error_codes(self) -> list[str]:
        """What any operation of this kind can answer, besides what its view
        declares: a view need not repeat the API's conventions."""
        codes = ["401", "429"]
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        with_body = self.method in ("POST", "PUT", "PATCH")
        if with_body or (self.method == "GET" and self._is_list_view()) or "{" in self.path or self._has_query():
            # Path and query parameters are checked too (forum.limits, choices): a bad one is a 400.
            codes.append("400")
        if writes or not self._public_read():
            # Writes ask forum.permissions; so do reads reserved to someone.
            codes.append("403")
        if writes or "{" in self.path:
            # A write may name something in its body that does not exist.
            codes.append("404")
        if with_body:
            codes += ["413", "415"]
        return codes

    def _has_query(self) -> bool:
        return any(parameter.get("in") == "query" for parameter in self._get_parameters())

    def _public_read(self) -> bool:
        public = (AllowAny, ReadOnlyUnlessAuthenticated)
        return all(isinstance(permission, public) for permission in self.view.get_permissions())


def _input_name(field) -> str:
    """A field's input name; a list's items take the list's name."""
    if not field.field_name and isinstance(field.parent, serializers.ListField):
        return field.parent.field_name
    return field.field_name


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A device token from `POST /api/v1/auth/token/`: `Authorization: Bearer aqa_...`.",
        }


class RuleFieldExtension(OpenApiSerializerFieldExtension):
    """Documents the length/count rules that forum.validation enforces, on
    fields that only check types (api.v1.common.RuleCharField, RuleListField)."""

    target_class = "api.v1.common.RuleCharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {"type": "string"}
        if field.rule_min is not None:
            schema["minLength"] = field.rule_min
        if field.rule_max is not None:
            schema["maxLength"] = field.rule_max
        return schema


class RuleListFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "api.v1.common.RuleListField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {"type": "array", "items": auto_schema._map_serializer_field(field.child, direction)}
        if field.rule_min is not None:
            schema["minItems"] = field.rule_min
        if field.rule_max is not None:
            schema["maxItems"] = field.rule_max
        return schema
