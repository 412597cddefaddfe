"""OpenAPI: Bearer authentication, and the problem responses every endpoint can return."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.BearerAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<prefix>.<secret>",
            "description": "A fund API key (back offices) or a personal access token.",
        }


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field errors: field name → messages (400 only).",
    )


PROBLEMS = {
    400: "Invalid input or query parameters; `errors` names the fields.",
    401: "No valid key, token or session.",
    403: "Your role may not do this, or your key may only read.",
    404: "Not found, or not yours to see.",
    409: "Not possible in the current state, or lost to a concurrent change.",
    412: "If-Match does not match the current ETag.",
    415: "Unsupported media type.",
    422: "The Idempotency-Key was used for a different request.",
    428: "If-Match is required.",
    429: "Too many requests; see Retry-After.",
}


class ProblemAutoSchema(AutoSchema):
    """Adds the problem responses an endpoint can return to what each view documents itself."""

    def _problem_codes(self) -> list[int]:
        method = self.method.upper()
        # Every operation can meet bad query parameters (400), a missing credential (401), a role
        # that may not (403), something not there or not yours, or a stale cursor (404), and the
        # rate limit (429).
        codes = [400, 401, 403, 404, 429]
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += [409, 415]
        if method == "POST":
            codes.append(422)
        if method in ("PUT", "PATCH") and getattr(self.view, "uses_etag", False):
            codes += [412, 428]
        return sorted(set(codes) | set(getattr(self.view, "extra_problem_codes", ())))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._problem_codes():
            key = str(code)
            if key not in responses:
                responses[key] = self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=PROBLEMS[code]),
                    key,
                    media_types=["application/problem+json"],
                    direction=direction,
                )
        return responses
