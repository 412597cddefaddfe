"""A fund's grants as a 360Giving data package (Data Standard 1.4), for open-data publication.

Which grants: applications awarded money, that is awarded, contracted or closed with an awarded
amount above €0. A support-only award of €0 is help in kind, not a money grant, and the
standard's ``amountAwarded`` is money: those are left out.

Identifiers (https://standard.threesixtygiving.org/en/latest/technical/identifiers/): a fund has
no 360Giving prefix or KvK number on record, so it publishes under ``360G-eigenwijs-<fund slug>``,
which is also its funder id. A grant is ``<that prefix>-<application id>``. A recipient with a
KvK number is ``NL-KVK-<number>`` (org-id.guide); a network without one gets
``<fund prefix>-network-<network id>``.

Host-organisation grants (the latest executed agreement's arrangement): the host receives the
money, so the host is the recipient (its KvK number from the agreement), the network is named in
the description, and ``regrantType`` is FRG050, the standard's code for fiscal sponsorship.

The package is streamed: applications are read in chunks, so memory stays flat for any fund.
"""

import json
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from agreements.models import Agreement
from applications.models import Application
from funds.arrangements import Arrangement
from funds.models import Fund

PREFIX = "360G-eigenwijs"
KVK_PREFIX = "NL-KVK-"
FISCAL_SPONSORSHIP = "FRG050"
STANDARD_VERSION = "1.4"
CHUNK_SIZE = 500
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# The package schema names the grant schema by this (older) URL; its own $id names 1.4.3.
GRANT_SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


def fund_identifier(fund: Fund) -> str:
    return f"{PREFIX}-{fund.slug}"


def kvk_identifier(number: str) -> str:
    return f"{KVK_PREFIX}{number}"


def grants_queryset(fund: Fund):
    executed = Agreement.objects.filter(state=Agreement.State.EXECUTED).order_by(
        "-executed_at", "-pk"
    )
    return (
        Application.objects.filter(
            programme__fund=fund,
            state__in=Application.COMMITTED_STATES,
            awarded_amount__gt=0,
        )
        .select_related("network", "programme")
        .prefetch_related(Prefetch("agreements", queryset=executed, to_attr="executed_agreements"))
        .order_by("pk")
    )


def _number(amount: Decimal) -> int | float:
    # JSON numbers: whole euros as integers, cents exactly as written (repr of 1234.56 is 1234.56).
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def _network_recipient(fund: Fund, application: Application, agreement) -> dict:
    network = application.network
    number = network.kvk_number
    if agreement is not None and agreement.arrangement == Arrangement.LEGAL_ENTITY:
        number = agreement.kvk_number or number  # the entity that signed
    identifier = (
        kvk_identifier(number) if number else f"{fund_identifier(fund)}-network-{network.pk}"
    )
    return {"id": identifier, "name": network.name}


def _host_recipient(fund: Fund, agreement: Agreement) -> dict:
    identifier = (
        kvk_identifier(agreement.kvk_number)
        if agreement.kvk_number
        else f"{fund_identifier(fund)}-host-{agreement.pk}"
    )
    return {"id": identifier, "name": agreement.host_name}


def grant(fund: Fund, application: Application) -> dict:
    """One 360Giving grant for an awarded application."""
    agreements = getattr(application, "executed_agreements", None)
    if agreements is None:
        agreements = list(
            application.agreements.filter(state=Agreement.State.EXECUTED).order_by(
                "-executed_at", "-pk"
            )
        )
    agreement = agreements[0] if agreements else None
    description = agreement.purpose if agreement is not None else application.title
    hosted = agreement is not None and agreement.arrangement == Arrangement.HOST_ORGANISATION
    if hosted:
        recipient = _host_recipient(fund, agreement)
        description = " ".join(
            [
                description,
                _(
                    "For the network %(network)s, which has no legal entity of its own: "
                    "%(host)s receives and manages the money as its host organisation."
                )
                % {"network": application.network.name, "host": agreement.host_name},
            ]
        )
    else:
        recipient = _network_recipient(fund, application, agreement)
    modified = application.updated_at
    if agreement is not None and agreement.executed_at and agreement.executed_at > modified:
        modified = agreement.executed_at
    data = {
        "id": f"{fund_identifier(fund)}-{application.pk}",
        "title": application.title,
        "description": description,
        "currency": application.programme.currency,
        "amountAppliedFor": _number(application.requested_amount),
        "amountAwarded": _number(application.awarded_amount),
        "awardDate": _day(application.decided_at or application.updated_at),
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": fund_identifier(fund), "name": fund.name}],
        "grantProgramme": [
            {"code": application.programme.slug, "title": application.programme.title}
        ],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(modified).isoformat(),
    }
    if hosted:
        data["regrantType"] = FISCAL_SPONSORSHIP
    if agreement is not None and agreement.executed_at:
        # The agreement's term: from signing until the final report is due.
        data["plannedDates"] = [
            {
                "startDate": _day(agreement.executed_at),
                "endDate": agreement.final_report_due.isoformat(),
            }
        ]
    if application.network.area:
        data["beneficiaryLocation"] = [{"name": application.network.area, "countryCode": "NL"}]
    return data


def iter_grants(fund: Fund, *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    for application in grants_queryset(fund).iterator(chunk_size=chunk_size):
        yield grant(fund, application)


def package_header(fund: Fund) -> dict:
    return {
        "version": STANDARD_VERSION,
        "title": _("Grants of %(fund)s") % {"fund": fund.name},
        "publisher": {"identifier": fund_identifier(fund), "name": fund.name},
    }


def build_package(fund: Fund) -> dict:
    """The whole package in memory: for tests and small funds. Stream it otherwise."""
    return {**package_header(fund), "grants": list(iter_grants(fund))}


def stream_package(fund: Fund, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The package as JSON text, one grant at a time (for StreamingHttpResponse or a file)."""
    header = json.dumps(package_header(fund), ensure_ascii=False)
    yield header[:-1] + ', "grants": ['
    for number, data in enumerate(iter_grants(fund, chunk_size=chunk_size)):
        yield ("," if number else "") + "\n" + json.dumps(data, ensure_ascii=False)
    yield "\n]}\n"


@cache
def _schemas(directory: Path) -> tuple[dict, dict]:
    package = json.loads((directory / "360-giving-package-schema.json").read_text())
    grant_schema = json.loads((directory / "360-giving-schema.json").read_text())
    return package, grant_schema


def validator(directory: Path = SCHEMA_DIR):
    """A jsonschema validator for packages. The grant schema is registered under its own $id and
    under the URL the package schema uses, since no network is needed (or reachable)."""
    package_schema, grant_schema = _schemas(Path(directory))
    resource = DRAFT202012.create_resource(grant_schema)
    registry = Registry().with_resources(
        [(grant_schema["$id"], resource), (GRANT_SCHEMA_URL, resource)]
    )
    # Checking date-time formats needs rfc3339-validator installed (it is a dependency).
    return Draft202012Validator(
        package_schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validation_errors(package: dict, directory: Path = SCHEMA_DIR) -> list[str]:
    """What makes the package invalid, one line per problem; empty when it validates."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(package)'}: {error.message}"
        for error in validator(directory).iter_errors(package)
    ]
