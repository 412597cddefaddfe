"""Saving a draft agreement: its fields, who signs and the tranches, in one transaction.

Every part is checked before anything is written, so a refused save changes nothing, and every
problem comes back at once as a ``ValidationError`` with field names: ``iban``,
``signatories`` (about the list as a whole), ``signatories[1].email`` (about one row, counted
from 0), ``tranches[0].amount``. A service called with bad data never hits a database constraint.
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext as _

from agreements import permissions, rules
from agreements.models import Agreement, Signatory, Tranche
from applications.services.base import require
from core.exceptions import InvalidTransition

from .base import lock_agreement

EDITABLE_FIELDS = (
    "purpose",
    "obligations",
    "final_report_due",
    "progress_report_due",
    "payee_name",
    "iban",
    "kvk_number",
    "host_name",
    "host_representative_name",
    "host_representative_email",
    "language",
)
SIGNATORY_FIELDS = ("role", "name", "email", "date_of_birth", "address")
TRANCHE_FIELDS = ("amount", "trigger")
#: Django's own "Enter a valid value.", for a row that is no row at all.
INVALID = RegexValidator.message
#: Set by the services, never by the draft's editor.
NOT_EDITED = ["application", "amends", "prepared_by", "contract_pdf", "state"]


def require_draft(agreement: Agreement, actor) -> Agreement:
    """Lock the agreement and refuse anyone but the fund's officers, and anything but a draft."""
    agreement = lock_agreement(agreement)
    require(permissions.agreement_officer_refusal(agreement, actor))
    if agreement.state != Agreement.State.DRAFT:
        raise InvalidTransition(
            _("Only a draft can be changed. Amend an executed agreement instead.")
        )
    return agreement


@transaction.atomic
def agreement_save_draft(
    *,
    agreement: Agreement,
    actor,
    fields: Mapping | None = None,
    signatories: list | None = None,
    tranches: list | None = None,
) -> Agreement:
    """Change a draft's fields and replace who signs and the tranches; ``None`` keeps a part."""
    agreement = require_draft(agreement, actor)
    errors: dict[str, list[str]] = {}
    if fields:
        errors.update(_apply_fields(agreement, fields))
    new_signatories = None if signatories is None else _signatories(agreement, signatories, errors)
    new_tranches = None if tranches is None else _tranches(agreement, tranches, errors)
    if errors:
        raise ValidationError(errors)
    if fields:
        agreement.save()
    if new_signatories is not None:
        agreement.signatories.all().delete()
        Signatory.objects.bulk_create(new_signatories)
    if new_tranches is not None:
        agreement.tranches.all().delete()
        Tranche.objects.bulk_create(new_tranches)
    return agreement


def agreement_update(*, agreement: Agreement, actor, **fields) -> Agreement:
    """Change a draft's fields (only ``EDITABLE_FIELDS``)."""
    return agreement_save_draft(agreement=agreement, actor=actor, fields=fields)


def agreement_set_signatories(*, agreement: Agreement, actor, signatories: list) -> Agreement:
    """Name everyone who signs a draft: replaces the list."""
    return agreement_save_draft(agreement=agreement, actor=actor, signatories=signatories)


def agreement_set_tranches(*, agreement: Agreement, actor, tranches: list) -> Agreement:
    """Plan a draft's tranches: replaces them, numbered in the order given."""
    return agreement_save_draft(agreement=agreement, actor=actor, tranches=tranches)


def _merge(errors: dict, error: ValidationError, *, prefix: str = "") -> None:
    for field, messages in error.message_dict.items():
        key = f"{prefix}.{field}" if prefix and field != NON_FIELD_ERRORS else prefix or field
        known = errors.setdefault(key, [])
        known.extend(message for message in messages if message not in known)


def _apply_fields(agreement: Agreement, fields: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key in set(fields) - set(EDITABLE_FIELDS):
        errors[key] = [_("This field cannot be changed.")]
    for key in EDITABLE_FIELDS:
        if key in fields:
            setattr(agreement, key, fields[key])
    for key, clean in (("iban", rules.clean_iban), ("kvk_number", rules.clean_kvk_number)):
        try:
            setattr(agreement, key, clean(getattr(agreement, key)))
        except ValidationError as error:
            _merge(errors, error)
    try:
        agreement.full_clean(exclude=[*NOT_EDITED, *errors])
    except ValidationError as error:
        _merge(errors, error)
    return errors


def _signatories(agreement: Agreement, rows: list, errors: dict) -> list[Signatory]:
    built = []
    for index, row in enumerate(rows or []):
        prefix = f"signatories[{index}]"
        if not isinstance(row, Mapping):
            errors[prefix] = [INVALID]
            continue
        for key in set(row) - set(SIGNATORY_FIELDS):
            errors[f"{prefix}.{key}"] = [_("This field cannot be changed.")]
        data = {key: row[key] for key in SIGNATORY_FIELDS if key in row}
        if data.get("role") == Signatory.Role.FUND:
            errors[f"{prefix}.role"] = [
                _(
                    "A manager of the fund countersigns after the network has signed: "
                    "the fund asks them itself, so leave them out here."
                )
            ]
        data["address"] = data.get("address") or ""
        data["email"] = str(data.get("email") or "").strip()
        signatory = Signatory(agreement=agreement, **data)
        try:
            signatory.full_clean(
                exclude=["agreement"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            _merge(errors, error, prefix=prefix)
        built.append(signatory)
    if not any(key.startswith("signatories") for key in errors):
        errors.update(rules.duplicate_email_errors(s.email for s in built))
    return built


def _tranches(agreement: Agreement, rows: list, errors: dict) -> list[Tranche]:
    built = []
    for number, row in enumerate(rows or [], start=1):
        prefix = f"tranches[{number - 1}]"
        if not isinstance(row, Mapping):
            errors[prefix] = [INVALID]
            continue
        for key in set(row) - set(TRANCHE_FIELDS):
            errors[f"{prefix}.{key}"] = [_("This field cannot be changed.")]
        tranche = Tranche(agreement=agreement, number=number, trigger=row.get("trigger"))
        try:
            tranche.amount = rules.clean_amount(row.get("amount"), field="amount")
        except ValidationError as error:
            _merge(errors, error, prefix=prefix)
        try:
            tranche.full_clean(
                exclude=["agreement", "state", *(["amount"] if tranche.amount is None else [])],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            _merge(errors, error, prefix=prefix)
        built.append(tranche)
    return built
