"""The rules an agreement's content must keep, per field: checked by the services.

A draft may be incomplete, but never wrong: what is filled in is checked when the draft is saved
(an IBAN, a KvK number, amounts, distinct signatories). Before anyone signs, it must also be
complete (:func:`sending_errors`); the model's ``send`` transition asks the same as its condition.

Nothing here imports the agreements' models, so the models can use it for their conditions.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from applications.models.network import kvk_number_validator
from funds.arrangements import Arrangement

#: What a tranche's amount may be: more than nothing, and what its column holds.
AMOUNT_VALIDATORS = (
    MinValueValidator(Decimal("0.01")),
    DecimalValidator(max_digits=12, decimal_places=2),
)


def invalid_iban() -> str:
    return _("Enter a valid IBAN, for example NL91 ABNA 0417 1643 00.")


def clean_iban(value) -> str:
    """A valid IBAN in its compact form, or "" for none; ValidationError on ``iban`` otherwise."""
    value = "".join(str(value or "").split())
    if not value:
        return ""
    try:
        return IBAN(value).compact
    except (SchwiftyException, ValueError):
        raise ValidationError({"iban": [invalid_iban()]}) from None


def clean_kvk_number(value) -> str:
    value = "".join(str(value or "").split())
    if value:
        try:
            kvk_number_validator(value)
        except ValidationError as error:
            raise ValidationError({"kvk_number": error.messages}) from None
    return value


def clean_amount(value, *, field: str) -> Decimal:
    """A positive amount in euros with at most two decimals, as a tranche holds it."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: [_("Enter an amount in euros.")]})
    try:
        for validator in AMOUNT_VALIDATORS:
            validator(amount)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return amount


def duplicate_email_errors(emails) -> dict[str, list[str]]:
    """Each signatory signs with their own link, so each needs their own e-mail address."""
    seen = [str(email or "").strip().lower() for email in emails]
    if len(set(seen)) < len(seen):
        return {"signatories": [_("Each signatory needs their own e-mail address.")]}
    return {}


def sending_errors(agreement) -> dict[str, list[str]]:
    """Everything that must be right before anyone signs, per field."""
    errors: dict[str, list[str]] = {}
    programme = agreement.application.programme
    signatories = list(agreement.signatories.all())
    arrangement = agreement.arrangement
    if agreement.moves_money:
        try:
            IBAN(agreement.iban)
        except (SchwiftyException, ValueError):
            errors["iban"] = [invalid_iban()]
        if not agreement.payee_name.strip():
            errors["payee_name"] = [_("Name the holder of the bank account.")]
        total = sum((t.amount for t in agreement.tranches.all()), Decimal("0"))
        if total != agreement.amount:
            errors["tranches"] = [
                _("The tranches add up to €%(total)s, not €%(amount)s.")
                % {"total": total, "amount": agreement.amount}
            ]
    if arrangement in (Arrangement.LEGAL_ENTITY, Arrangement.HOST_ORGANISATION):
        try:
            kvk_number_validator(agreement.kvk_number)
        except ValidationError as error:
            errors["kvk_number"] = error.messages
    if arrangement == Arrangement.HOST_ORGANISATION:
        for field in ("host_name", "host_representative_name", "host_representative_email"):
            if not getattr(agreement, field).strip():
                errors[field] = [_("The host organisation's details are needed.")]
        if not any(s.role == s.Role.HOST for s in signatories):
            errors.setdefault("signatories", []).append(
                _("The host organisation's representative must sign.")
            )
    if arrangement == Arrangement.COOPERATION_AGREEMENT:
        errors.update(_cooperation_errors(programme, signatories))
    if not signatories:
        errors.setdefault("signatories", []).append(_("Name at least one person who signs."))
    return errors


def is_sendable(agreement) -> bool:
    return not sending_errors(agreement)


def _cooperation_errors(programme, signatories) -> dict[str, list[str]]:
    messages = []
    if len(signatories) < programme.min_signatories:
        messages.append(
            _("A cooperation agreement needs at least %(n)s members who sign.")
            % {"n": programme.min_signatories}
        )
    names = [" ".join(s.name.lower().split()) for s in signatories]
    emails = [s.email.lower() for s in signatories]
    if len(set(names)) < len(names) or len(set(emails)) < len(emails):
        messages.append(_("Each signatory must be a different person."))
    if programme.signatories_distinct_addresses:
        addresses = [" ".join(s.address.lower().split()) for s in signatories]
        if not all(addresses) or len(set(addresses)) < len(addresses):
            messages.append(
                _("Signatories must give their home address and live at different addresses.")
            )
    if programme.signatories_min_age:
        today = timezone.localdate()
        for s in signatories:
            if (
                s.date_of_birth is None
                or _age(s.date_of_birth, today) < programme.signatories_min_age
            ):
                messages.append(
                    _("%(name)s must be at least %(age)s years old (date of birth needed).")
                    % {"name": s.name, "age": programme.signatories_min_age}
                )
    return {"signatories": messages} if messages else {}


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
