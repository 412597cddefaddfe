"""The agreement's text: an escaped HTML fragment, frozen and hashed when the agreement is sent.

The fragment comes from a per-language, versioned template
("agreements/contract/<language>-<template_version>.html"), so a signed text can always be
traced to the wording it was made with. Everything here is deterministic: the same agreement
data gives the same string (no "now", no locale settings of the server), because the SHA-256
of this string is what every signer confirms.
"""

from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from applications.support_in_kind import support_in_kind
from core.hours import format_hours
from funds import service_kinds
from funds.arrangements import Arrangement

# Role names in the contract's own language, so the wording does not depend on the state of the
# translation catalogue (a signed text must not change when a .po file is edited).
ROLE_LABELS = {
    "nl": {
        "member": "lid van het netwerk",
        "coordinator": "coördinator van het netwerk",
        "representative": "vertegenwoordiger van de rechtspersoon",
        "host": "vertegenwoordiger van de gastorganisatie",
        "fund": "manager van het fonds, tekent namens het fonds",
    },
    "en": {
        "member": "member of the network",
        "coordinator": "coordinator of the network",
        "representative": "representative of the legal entity",
        "host": "representative of the host organisation",
        "fund": "manager of the fund, signs for the fund",
    },
}

# The network's legal form, in the contract's own language (see ROLE_LABELS for why not gettext).
LEGAL_FORM_SENTENCES = {
    "nl": {
        "none": "Het netwerk heeft geen stichting of vereniging.",
        "association": "Het netwerk is een vereniging",
        "foundation": "Het netwerk is een stichting",
        "other": "Het netwerk is een rechtspersoon",
        "kvk": ", ingeschreven bij de Kamer van Koophandel onder nummer {kvk}.",
    },
    "en": {
        "none": "The network has no foundation or association.",
        "association": "The network is an association",
        "foundation": "The network is a foundation",
        "other": "The network is a legal entity",
        "kvk": ", registered with the Chamber of Commerce (KvK) under number {kvk}.",
    },
}

# Thousands and decimal separators per contract language.
_SEPARATORS = {"nl": (".", ","), "en": (",", ".")}


def format_money(amount, language: str) -> str:
    """€ 1.234,50 in Dutch, € 1,234.50 in English; independent of the server's locale."""
    thousands, decimal = _SEPARATORS.get(language, _SEPARATORS["nl"])
    value = Decimal(str(amount or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return f"€ {sign}{thousands.join(groups)}{decimal}{cents}"


def format_iban(iban: str) -> str:
    """The IBAN in groups of four, as printed on a bank card; left as typed if it is invalid."""
    try:
        return IBAN(iban).formatted
    except (SchwiftyException, ValueError):
        return iban


def legal_form_sentence(agreement, language: str) -> str:
    """What the network is, as its details say: "Het netwerk is een vereniging, ingeschreven …".

    A legal-entity agreement with a network whose details say it has none (the officer
    confirmed that before sending) still names the entity and its KvK number."""
    words = LEGAL_FORM_SENTENCES.get(language, LEGAL_FORM_SENTENCES["nl"])
    network = agreement.application.network
    status = network.legal_status if network.legal_status in words else "other"
    kvk = network.kvk_number
    if agreement.arrangement == Arrangement.LEGAL_ENTITY:
        kvk = agreement.kvk_number or kvk
        if status == "none":
            status = "other"
    if status == "none":
        return words["none"]
    return words[status] + (words["kvk"].format(kvk=kvk) if kvk else ".")


def role_label(signatory, language: str) -> str:
    return ROLE_LABELS.get(language, {}).get(signatory.role) or str(signatory.get_role_display())


def _budget_lines(agreement, language: str) -> list[dict]:
    lines = []
    for line in agreement.budget_lines or []:
        lines.append(
            {
                "description": str(line.get("description", "")),
                "amount": format_money(line.get("amount") or 0, language),
                "in_kind": bool(line.get("in_kind")),
                "hours": format_hours(line["hours"]) if line.get("hours") else "",
                "service": _service_label(line.get("service_type")),
            }
        )
    return lines


def _service_label(code) -> str:
    return str(service_kinds.label(code)) if code else ""


def _support_in_kind(application) -> list[dict]:
    """Hours of support promised to the application (see ``applications.support_in_kind``): never as money."""
    return [
        {
            "service": str(line["service"]),
            "hours": format_hours(line["hours"]),
            "pool": str(line["pool"]),
            "provider": str(line["provider"] or ""),
        }
        for line in support_in_kind(application)
    ]


def contract_context(agreement) -> dict:
    language = agreement.language
    application = agreement.application
    tranches = [
        {
            "number": tranche.number,
            "amount": format_money(tranche.amount, language),
            "trigger": tranche.trigger,
            "trigger_label": str(tranche.get_trigger_display()),
        }
        for tranche in agreement.tranches.order_by("number")
    ]
    return {
        "agreement": agreement,
        "application": application,
        "network": application.network,
        "programme": application.programme,
        "fund": application.programme.fund,
        "legal_form": legal_form_sentence(agreement, language),
        "network_has_entity": application.network.has_legal_entity,
        "arrangement": agreement.arrangement,
        "Arrangement": Arrangement,
        "amount": format_money(agreement.amount, language),
        "budget_lines": _budget_lines(agreement, language),
        "support": _support_in_kind(application),
        "tranches": tranches,
        # The network's signatories: the fund's countersignature is named in the PDF's
        # signature page, as it is added after the text is frozen.
        "signatories": [
            {"name": signatory.name, "role_label": role_label(signatory, language)}
            for signatory in agreement.signatories.exclude(role="fund").order_by("pk")
        ],
        "iban": format_iban(agreement.iban),
        "amends": agreement.amends,
        "amends_date": _amended_on(agreement.amends),
    }


def _amended_on(previous):
    """The date of the agreement being amended: when it was signed, or else when it was made."""
    if previous is None:
        return None
    moment = previous.executed_at or previous.sent_at or previous.created_at
    return timezone.localtime(moment, ZoneInfo("Europe/Amsterdam")).date() if moment else None


def render_agreement_html(agreement) -> str:
    """The agreement's text as an HTML fragment; user text is escaped by the template engine."""
    template = f"agreements/contract/{agreement.language}-{agreement.template_version}.html"
    with translation.override(agreement.language):
        return render_to_string(template, contract_context(agreement)).strip() + "\n"
