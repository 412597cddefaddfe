"""The signed contract PDF of an agreement, and checking a file (or its hash) against it."""

import hashlib

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from agreements.contract_file import ContractFileMissing, open_contract
from agreements.models import Agreement
from api.agreements.serializers.agreements import (
    VerificationSerializer,
    VerifyFileSerializer,
    VerifyHashSerializer,
)
from api.errors import PROBLEM_BASE, Conflict, problem
from api.parsers import JSONParser
from api.schema import ProblemSerializer
from api.transitions.views import NO_PAGES, FileRenderer, PDFRenderer


class ContractMixin:
    """For the agreements viewset: ``…/{id}/contract/`` (also ``contract.pdf``) and ``verify/``.

    The contract is served from storage, byte for byte as it was signed; it is never rendered
    again. ``contract.pdf`` works through DRF's format suffixes, with PDFRenderer's format "pdf".
    """

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The signed contract, byte for byte as it was signed.",
            ),
            (503, "application/problem+json"): OpenApiResponse(
                ProblemSerializer,
                description="The agreement is executed, but its PDF cannot be read from storage "
                "now (type `.../problems/contract-unavailable`). The contract and its "
                "`contract_sha256` stand; the error is logged for the operators: ask the fund, "
                "or retry later.",
            ),
        },
        summary="The signed contract PDF (404 until everyone has signed)",
        description="Also served at `/api/v1/agreements/{id}/contract.pdf`.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[PDFRenderer, JSONRenderer, FileRenderer],
        **NO_PAGES,
    )
    def contract(self, request, pk=None, format=None):
        if format not in (None, PDFRenderer.format):
            raise NotFound
        agreement = self.get_object()
        if agreement.state != Agreement.State.EXECUTED or not agreement.contract_pdf:
            raise NotFound(_("There is no signed contract yet."))
        try:
            contract = open_contract(agreement)
        except ContractFileMissing:
            # 503, not 404: the contract exists (its hash is in the agreement), our storage cannot
            # give it now. A 404 would tell a client, and its caches, that there is none.
            return contract_unavailable(agreement)
        response = FileResponse(
            contract,
            as_attachment=True,
            filename=f"contract-{agreement.pk}.pdf",
            content_type="application/pdf",
        )
        response["ETag"] = f'"{agreement.contract_sha256}"'
        return response

    @extend_schema(
        request={
            "multipart/form-data": VerifyFileSerializer,
            "application/json": VerifyHashSerializer,
        },
        responses=VerificationSerializer,
        summary="Is this file the signed contract? (409 until everyone has signed)",
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser, MultiPartParser],
        # Checking a file changes nothing, so a read-only key may do it too.
        permission_classes=[IsAuthenticated],
        **NO_PAGES,
    )
    def verify(self, request, pk=None):
        agreement = self.get_object()
        if request.content_type.startswith("multipart/"):
            serializer = VerifyFileSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            digest = hashlib.sha256()
            for chunk in serializer.validated_data["file"].chunks():
                digest.update(chunk)
            sha256 = digest.hexdigest()
        else:
            serializer = VerifyHashSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            sha256 = serializer.validated_data["sha256"].lower()
        if agreement.state != Agreement.State.EXECUTED:
            raise Conflict(_("Not everyone has signed yet: there is no contract to compare with."))
        expected = agreement.contract_sha256
        result = {"matches": sha256 == expected, "sha256": sha256, "expected": expected}
        return Response(VerificationSerializer(result).data)


def contract_unavailable(agreement) -> Response:
    response = problem(
        503,
        _(
            "The signed contract of agreement %(id)s cannot be read from storage now. The "
            "agreement and its contract_sha256 stand; the problem is logged. Contact the fund, "
            "or try again later."
        )
        % {"id": agreement.pk},
    )
    response.data["type"] = PROBLEM_BASE + "contract-unavailable"
    return response
