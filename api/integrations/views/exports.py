"""Exports of one fund's data: 360Giving open data, CSV for spreadsheets, a SEPA payment batch.

Who exports which fund: a fund key its own fund; a person a fund they are an officer or manager
of (``?fund=<slug>`` when they work for more than one). Anyone else may not (403); a fund the
caller does not work for is not found (404). Every export only reads: a read key may fetch them.

Each export has a plain URL and one with its file extension (DRF format suffixes), e.g.
``/api/v1/exports/360giving/`` and ``/api/v1/exports/360giving.json``.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from api.base import ApiViewSet, get_object_or_404
from api.errors import Conflict
from api.integrations.serializers.exports import ExportQuerySerializer, SepaQuerySerializer
from api.scoping import key_fund_id
from funds.models import Fund
from integrations.exports import sepa, spreadsheets, threesixty

NO_PAGES = {"pagination_class": None, "filter_backends": []}


class FileRenderer(BaseRenderer):
    """The views answer with the file themselves; problems still leave as JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data, renderer_context=renderer_context)


class CSVRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XMLRenderer(FileRenderer):
    media_type = "application/xml"
    format = "xml"


def exportable_funds(request):
    """The funds this caller may export; see the module's docstring."""
    fund_id = key_fund_id(request)
    if fund_id is not None:
        return Fund.objects.filter(pk=fund_id)
    funds = Fund.objects.filter(memberships__user=request.user).distinct()
    if not funds.exists():
        raise PermissionDenied(_("Only officers and managers of a fund export its data."))
    return funds


def export_fund(funds, slug: str | None) -> Fund:
    """The one fund to export: named by ``slug``, or the only one the caller may export."""
    if slug:
        return get_object_or_404(funds, slug=slug)
    found = list(funds.order_by("slug")[:2])
    if len(found) > 1:
        raise ValidationError(
            {"fund": [_("You work for more than one fund: choose one with ?fund=<slug>.")]}
        )
    return found[0]


def _in_current_language(chunks):
    """Streamed after the view returns: keep the language the request asked for."""
    language = translation.get_language()

    def generate():
        with translation.override(language):
            yield from chunks

    return generate()


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _text(media_type: str, description: str) -> dict:
    return {(200, media_type): OpenApiResponse(OpenApiTypes.STR, description=description)}


CSV_FORMAT = (
    "UTF-8 with a byte-order mark (for Excel), comma-separated, a header row of fixed column "
    "names, amounts with a decimal point (`1234.50`), ISO 8601 dates, states as codes. A text "
    "that starts like a formula gets a leading apostrophe."
)


class ExportViewSet(ApiViewSet):
    """Exports of the caller's fund."""

    @property
    def extra_problem_codes(self) -> tuple[int, ...]:
        # A SEPA batch is not possible while nothing is due.
        return (409,) if getattr(self, "action", None) == "sepa" else ()

    def _fund(self, request, serializer_class=ExportQuerySerializer):
        """The fund, then the other parameters: who may not export learns nothing more."""
        funds = exportable_funds(request)
        which = ExportQuerySerializer(data=request.query_params)
        which.is_valid(raise_exception=True)
        fund = export_fund(funds, which.validated_data.get("fund"))
        query = serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        return fund, query.validated_data

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A 360Giving data package (standard 1.4): "
                '`{"version", "title", "publisher", "grants": [...]}`. See '
                "https://standard.threesixtygiving.org/. Money grants only: a support-only "
                "award of €0 is not listed. A fund without money grants yet gets an empty list.",
            )
        },
        summary="The fund's awarded grants as 360Giving open data",
        description="Also served at `/api/v1/exports/360giving.json`. Recipients with a KvK "
        "number are `NL-KVK-<number>`, others are under the fund's prefix "
        "`360G-eigenwijs-<fund slug>`. A host-organisation grant names the host as recipient "
        "and has `regrantType` FRG050.",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="360giving",
        url_name="360giving",
        renderer_classes=[JSONRenderer],
        **NO_PAGES,
    )
    def threesixty_giving(self, request, format=None):
        if format not in (None, "json"):
            raise NotFound
        fund, _query = self._fund(request)
        response = StreamingHttpResponse(
            _in_current_language(threesixty.stream_package(fund)),
            content_type="application/json",
        )
        return _attachment(response, f"360giving-{fund.slug}.json")

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses=_text("text/csv", "Every application to the fund's programmes. " + CSV_FORMAT),
        summary="The fund's applications as CSV",
        description="Also served at `/api/v1/exports/applications.csv`. Columns: "
        + ", ".join(spreadsheets.APPLICATION_COLUMNS)
        + ".",
    )
    @action(detail=False, methods=["get"], renderer_classes=[CSVRenderer, JSONRenderer], **NO_PAGES)
    def applications(self, request, format=None):
        return self._csv(request, format, "applications", spreadsheets.APPLICATION_COLUMNS)

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses=_text(
            "text/csv",
            "Every tranche of the fund's agreements (not of cancelled ones). " + CSV_FORMAT,
        ),
        summary="The fund's tranches as CSV",
        description="Also served at `/api/v1/exports/tranches.csv`. Columns: "
        + ", ".join(spreadsheets.TRANCHE_COLUMNS)
        + ".",
    )
    @action(detail=False, methods=["get"], renderer_classes=[CSVRenderer, JSONRenderer], **NO_PAGES)
    def tranches(self, request, format=None):
        return self._csv(request, format, "tranches", spreadsheets.TRANCHE_COLUMNS)

    def _csv(self, request, format, name: str, columns: list[str]):
        if format not in (None, CSVRenderer.format):
            raise NotFound
        fund, _query = self._fund(request)
        rows = (
            spreadsheets.application_rows if name == "applications" else spreadsheets.tranche_rows
        )
        response = StreamingHttpResponse(
            spreadsheets.stream_csv(columns, rows(fund)), content_type="text/csv; charset=utf-8"
        )
        return _attachment(response, f"{name}-{fund.slug}.csv")

    @extend_schema(
        parameters=[SepaQuerySerializer],
        responses=_text(
            "application/xml",
            "A SEPA credit transfer (ISO 20022 pain.001.001.09) paying every due tranche of the "
            "fund from the account given, for upload to the fund's bank.",
        ),
        summary="The fund's due tranches as a SEPA payment batch",
        description="Also served at `/api/v1/exports/sepa.xml`. The fund's account is not "
        "stored in Eigenwijs, so name it with `debtor_iban` (and `debtor_bic` if the bank wants "
        "it). Each payment's end-to-end id is `EW-<agreement id>-<tranche number>`. Making the "
        "file changes nothing: mark each tranche paid afterwards (POST "
        "`/api/v1/tranches/{id}/transitions/`). 409 when no tranche is due.",
    )
    @action(detail=False, methods=["get"], renderer_classes=[XMLRenderer, JSONRenderer], **NO_PAGES)
    def sepa(self, request, format=None):
        if format not in (None, XMLRenderer.format):
            raise NotFound
        fund, query = self._fund(request, SepaQuerySerializer)
        tranches = list(sepa.due_tranches(fund))
        if not tranches:
            raise Conflict(_("No tranche of this fund is due: there is nothing to pay."))
        xml = sepa.credit_transfer(
            fund=fund,
            debtor_iban=query["debtor_iban"],
            debtor_bic=query.get("debtor_bic", ""),
            execution_date=query["execution_date"],
            tranches=tranches,
        )
        response = HttpResponse(xml, content_type="application/xml")
        stamp = timezone.localdate().isoformat()
        return _attachment(response, f"sepa-{fund.slug}-{stamp}.xml")


def register(router) -> None:
    router.register("exports", ExportViewSet, basename="export")
