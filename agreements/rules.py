"""The rules an agreement's content must keep, per field: checked by the services.

A draft may be incomplete, but never wrong: what is filled in is checked when the draft is saved
(an IBAN, a KvK number, amounts, distinct signatories). Before anyone signs, it must also be
complete (:func:`sending_errors`); the model's ``send`` transition asks the same as its condition.

Nothing here imports the agreements' models, so the models can use it for their conditions.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, EmailValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from applications.models.network import Network, kvk_number_validator
from core.money import format_euros
from funds.arrangements import INFORMAL_ARRANGEMENTS, Arrangement

#: The network's legal form as a sentence needs it ("the network is %(form)s").
LEGAL_FORMS = {
    Network.LegalStatus.NONE: gettext_lazy("a network without a foundation or association"),
    Network.LegalStatus.ASSOCIATION: gettext_lazy("an association"),
    Network.LegalStatus.FOUNDATION: gettext_lazy("a foundation"),
    Network.LegalStatus.OTHER: gettext_lazy("an organisation of another legal form"),
}

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
                _("The tranches add up to %(total)s, not %(amount)s.")
                % {"total": format_euros(total), "amount": format_euros(agreement.amount)}
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
    unreachable = _unreachable(signatories)
    if unreachable:
        errors.setdefault("signatories", []).append(unreachable)
    return errors


def iban_needed(agreement) -> bool:
    """The one rule for the IBAN (and its holder): needed before sending whenever money moves.

    The form marks the fields so, the checklist and the send refuse without them."""
    return agreement.moves_money


def _unreachable(signatories) -> str | None:
    """A signatory is reached only by the personal link e-mailed to them: no address, no link."""
    validate = EmailValidator()
    names = []
    for signatory in signatories:
        try:
            validate(str(signatory.email or "").strip())
        except ValidationError:
            names.append(signatory.name or "?")
    if not names:
        return None
    return _(
        "These signatories have no valid e-mail address, so their personal link cannot reach "
        "them: %(names)s."
    ) % {"names": ", ".join(names)}


def sending_warnings(agreement) -> dict[str, str]:
    """What a person would ask about before sending, and which the officer may still confirm.

    Unlike :func:`sending_errors` these do not block: the officer confirms each with a note,
    which goes into the agreement's history (the send's log entry).
    """
    warnings = {}
    budget = _budget_warning(agreement)
    if budget:
        warnings["budget_lines"] = budget
    legal_form = arrangement_warning(agreement.arrangement, agreement.application.network)
    if legal_form:
        warnings["arrangement"] = legal_form
    return warnings


def money_lines_total(budget_lines) -> Decimal:
    """The budget's lines in money (not in kind, not hours of support), added up."""
    total = Decimal("0")
    for line in budget_lines or []:
        if not isinstance(line, dict) or line.get("in_kind") or line.get("hours"):
            continue
        try:
            amount = Decimal(str(line.get("amount") or 0))
        except (InvalidOperation, ValueError):
            continue
        if amount.is_finite():
            total += amount
    return total


def _budget_warning(agreement) -> str | None:
    if not agreement.moves_money:
        return None
    total = money_lines_total(agreement.budget_lines)
    if total == agreement.amount:
        return None
    return _(
        "The budget's money lines add up to %(total)s, but the agreement pays %(amount)s. "
        "Check what the money is for."
    ) % {"total": format_euros(total), "amount": format_euros(agreement.amount)}


def arrangement_warning(arrangement, network) -> str | None:
    """Does the arrangement fit the network's legal form? The reason to ask, or ``None``."""
    has_entity = network.has_legal_entity
    if arrangement == Arrangement.LEGAL_ENTITY and not has_entity:
        return _(
            "The agreement is with the network as a foundation or association, but the "
            "network's details say it is %(form)s. Check its legal form and KvK number."
        ) % {"form": LEGAL_FORMS.get(network.legal_status, LEGAL_FORMS["other"])}
    if arrangement in INFORMAL_ARRANGEMENTS - {Arrangement.SUPPORT_ONLY} and has_entity:
        return _(
            "The network is %(form)s, yet in this agreement people or another organisation "
            "are accountable instead of it. Check that this is what everyone wants."
        ) % {"form": LEGAL_FORMS[network.legal_status]}
    return None


def confirmation_errors(warnings: dict[str, str], *, confirmed: bool, note: str):
    """Sending despite warnings needs a tick and a note; the field errors when either lacks."""
    if not warnings:
        return {}
    errors = {}
    reasons = list(warnings.values())
    if not confirmed:
        errors["confirmed"] = [
            _("Confirm that you checked this before sending: %(reasons)s")
            % {"reasons": " ".join(reasons)}
        ]
    if not (note or "").strip():
        errors["note"] = [_("Say in a note why the agreement can go out like this.")]
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
