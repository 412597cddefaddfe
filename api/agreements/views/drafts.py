"""A draft's signatories and tranches as lists: GET them, PUT the whole list to replace it."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agreements import services
from api.agreements.serializers.agreements import SignatorySerializer, TrancheSerializer
from api.transitions.views import NO_PAGES


def list_errors(errors, name: str) -> dict:
    """A list serializer's errors as ``{"signatories[1].email": [...]}``.

    DRF gives them per row as a list, or as ``{index: {...}}`` with LIST_SERIALIZER_ERRORS_AS_DICT
    (its future default); errors about the whole list come as ``{"non_field_errors": [...]}``.
    """
    rows = dict(enumerate(errors)) if isinstance(errors, list) else errors
    flat = {}
    for index, row in rows.items():
        if isinstance(row, dict):
            flat.update({f"{name}[{index}].{field}": messages for field, messages in row.items()})
        else:
            flat[name] = row
    return flat


class DraftPartsMixin:
    """For the agreements viewset: ``…/{id}/signatories/`` and ``…/{id}/tranches/``."""

    def _parts(self, agreement, name: str) -> list:
        """The signatories or tranches as the agreement's own representation shows them."""
        representation = self.get_serializer(agreement)
        return getattr(representation, f"get_{name}")(agreement)

    @extend_schema(methods=["GET"], responses=SignatorySerializer(many=True))
    @extend_schema(
        methods=["PUT"],
        request=SignatorySerializer(many=True),
        responses=SignatorySerializer(many=True),
        summary="Name everyone who signs a draft (replaces the list)",
    )
    @action(detail=True, methods=["get", "put"], **NO_PAGES)
    def signatories(self, request, pk=None):
        agreement = self.get_object()
        if request.method == "PUT":
            serializer = SignatorySerializer(data=request.data, many=True)
            if not serializer.is_valid():
                raise ValidationError(list_errors(serializer.errors, "signatories"))
            # Distinct e-mail addresses and the rest are the service's rules.
            services.agreement_save_draft(
                agreement=agreement,
                actor=request.user,
                signatories=[dict(row) for row in serializer.validated_data],
            )
            agreement = self._fresh(agreement)
        return Response(self._parts(agreement, "signatories"))

    @extend_schema(methods=["GET"], responses=TrancheSerializer(many=True))
    @extend_schema(
        methods=["PUT"],
        request=TrancheSerializer(many=True),
        responses=TrancheSerializer(many=True),
        summary="Plan a draft's tranches (replaces the list)",
    )
    @action(detail=True, methods=["get", "put"], **NO_PAGES)
    def tranches(self, request, pk=None):
        agreement = self.get_object()
        if request.method == "PUT":
            serializer = TrancheSerializer(data=request.data, many=True)
            if not serializer.is_valid():
                raise ValidationError(list_errors(serializer.errors, "tranches"))
            services.agreement_save_draft(
                agreement=agreement,
                actor=request.user,
                tranches=[dict(row) for row in serializer.validated_data],
            )
            agreement = self._fresh(agreement)
        return Response(self._parts(agreement, "tranches"))
