"""Questions a step asks, and what counts as a valid answer to each.

A question is a dict: ``key``, ``label``, ``type``, optional ``help``, ``required`` (default true)
and, for ``choice``, ``choices`` (a list of ``{"value", "label"}``). Labels and help are
either a plain string or a ``{"nl": ..., "en": ...}`` dict, so programme texts can be bilingual
(the default steps' titles are bilingual too; a programme's own step titles are plain text).

Saving a draft only checks that each answer has the right shape; submitting a step also checks
that every required question is answered.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.hours import clean_hours
from funds import service_kinds
from funds.arrangements import Arrangement

QUESTION_TYPES = (
    "text",
    "textarea",
    "number",
    "money",
    "choice",
    "budget_lines",
    "funding_sources",
    "arrangement",
)
TEXT_LIMITS = {"text": 200, "textarea": 10_000}
MAX_LINES = 100
MAX_MONEY = Decimal("99999999.99")
FUNDING_SOURCE_KINDS = ("own_contribution", "crowdfunding", "business", "other_fund", "other")


def localized(value) -> str:
    """Pick the active language from a ``{"nl": ..., "en": ...}`` text, or return a plain one."""
    if isinstance(value, dict):
        language = (get_language() or "nl")[:2]
        return value.get(language) or value.get("nl") or next(iter(value.values()), "")
    return value or ""


def validate_step_questions(questions) -> None:
    """Validator for a step definition's ``questions`` JSON."""
    if not isinstance(questions, list):
        raise ValidationError(_("Questions must be a list."))
    seen = set()
    for position, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            raise ValidationError(_("Question %(n)s must be an object.") % {"n": position})
        key = question.get("key")
        if not isinstance(key, str) or not key.isidentifier():
            raise ValidationError(
                _("Question %(n)s needs a key of letters, digits and underscores.")
                % {"n": position}
            )
        if key in seen:
            raise ValidationError(_("The key '%(key)s' is used twice.") % {"key": key})
        seen.add(key)
        if not question.get("label"):
            raise ValidationError(_("Question '%(key)s' needs a label.") % {"key": key})
        if question.get("type") not in QUESTION_TYPES:
            raise ValidationError(
                _("Question '%(key)s' has an unknown type. Use one of: %(types)s.")
                % {"key": key, "types": ", ".join(QUESTION_TYPES)}
            )
        if question["type"] == "choice":
            choices = question.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, dict) and "value" in c and "label" in c for c in choices)
            ):
                raise ValidationError(
                    _("Question '%(key)s' needs a list of choices with a value and a label.")
                    % {"key": key}
                )


def is_blank(value) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def validate_answers(
    questions: list[dict],
    content,
    *,
    require_complete: bool = False,
    accepted_arrangements: list[str] | None = None,
) -> dict:
    """Return the cleaned answers, or raise ``ValidationError`` keyed by question key."""
    if not isinstance(content, dict):
        raise ValidationError({"content": [_("The answers must be an object.")]})
    by_key = {question["key"]: question for question in questions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(content) - set(by_key))
    for key in unknown:
        errors[key] = [_("This step has no question '%(key)s'.") % {"key": key}]
    cleaned = {}
    for key, question in by_key.items():
        value = content.get(key)
        if is_blank(value):
            if require_complete and question.get("required", True):
                errors[key] = [_("This question still needs an answer.")]
            continue
        try:
            cleaned[key] = _clean_answer(question, value, accepted_arrangements)
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def missing_answers(questions: list[dict], content: dict) -> list[dict]:
    """The required questions that have no answer yet, in order."""
    return [
        question
        for question in questions
        if question.get("required", True) and is_blank(content.get(question["key"]))
    ]


def _clean_answer(question: dict, value, accepted_arrangements):
    kind = question["type"]
    if kind in TEXT_LIMITS:
        return _clean_text(value, TEXT_LIMITS[kind])
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(_("Enter a whole number of 0 or more."))
        return value
    if kind == "money":
        return _clean_money(value)
    if kind == "choice":
        values = [str(choice["value"]) for choice in question["choices"]]
        if value not in values:
            raise ValidationError(_("Choose one of the options."))
        return value
    if kind == "arrangement":
        allowed = accepted_arrangements or list(Arrangement.values)
        if value not in allowed:
            raise ValidationError(_("Choose an arrangement this programme accepts."))
        return value
    if kind == "budget_lines":
        return _clean_lines(value, _clean_budget_line)
    if kind == "funding_sources":
        return _clean_lines(value, _clean_funding_source)
    raise ValidationError(_("Unknown question type."))


def _clean_text(value, limit: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."))
    ProhibitNullCharactersValidator()(value)  # PostgreSQL cannot store \0 in text or jsonb
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(
            _("Keep it under %(limit)s characters (now %(count)s).")
            % {"limit": limit, "count": len(value)}
        )
    return value


def _clean_money(value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(_("Enter an amount in euros, for example 250 or 99.50."))
    try:
        amount = Decimal(normalise_amount(str(value)))
    except InvalidOperation:
        raise ValidationError(_("Enter an amount in euros, for example 250 or 99.50.")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise ValidationError(_("Enter an amount of 0 or more."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimals (cents)."))
    return str(abs(amount).quantize(Decimal("0.01")))  # abs: "-0" is stored as "0.00"


DUTCH_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+(,\d{1,2})?$")


def normalise_amount(text: str) -> str:
    """Accept Dutch notation as volunteers type it: "1.250,50", "1.000", "99,5" and "99.50"."""
    # "€ 5.000,00" as the screens show it (with a no-break space) can be pasted back in.
    text = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if DUTCH_THOUSANDS.match(text):
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", ".")


def _clean_lines(value, clean_line) -> list[dict]:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of lines."))
    if len(value) > MAX_LINES:
        raise ValidationError(_("Use at most %(n)s lines.") % {"n": MAX_LINES})
    cleaned, messages = [], []
    for number, line in enumerate(value, start=1):
        try:
            if not isinstance(line, dict):
                raise ValidationError(_("Each line must be an object."))
            cleaned.append(clean_line(line))
        except ValidationError as error:
            messages += [
                _("Line %(n)s: %(message)s") % {"n": number, "message": message}
                for message in error.messages
            ]
    if messages:
        raise ValidationError(messages)
    return cleaned


def _clean_budget_line(line: dict) -> dict:
    """A need: euros, or hours of a kind of support a pool can give in kind, or both."""
    unknown = set(line) - {"description", "amount", "in_kind", "service_type", "hours"}
    if unknown:
        raise ValidationError(_("Unknown field(s): %(f)s.") % {"f": ", ".join(sorted(unknown))})
    description = _clean_text(line.get("description", ""), TEXT_LIMITS["text"])
    if not description:
        raise ValidationError(_("Describe what you need."))
    in_kind = line.get("in_kind", False)
    if not isinstance(in_kind, bool):
        raise ValidationError(_("'In kind' must be true or false."))
    service_type = line.get("service_type") or ""
    hours = line.get("hours")
    if not service_type and is_blank(hours):
        return {
            "description": description,
            "amount": _clean_money(line.get("amount")),
            "in_kind": in_kind,
        }
    return {
        "description": description,
        # Hours in kind need no euro amount: they are never added to the money asked for.
        "amount": "0.00" if is_blank(line.get("amount")) else _clean_money(line.get("amount")),
        "in_kind": True,
        "service_type": _clean_service_type(service_type),
        "hours": str(_clean_needed_hours(hours)),
    }


def _clean_service_type(code) -> str:
    if not code:
        raise ValidationError(_("Choose which kind of support the hours are for."))
    if not isinstance(code, str) or not service_kinds.is_offered(code):
        raise ValidationError(_("Choose a kind of support from the list."))
    return code


def _clean_needed_hours(hours):
    if is_blank(hours):
        raise ValidationError(_("Say how many hours of this support you need."))
    return clean_hours(hours)


def _clean_funding_source(line: dict) -> dict:
    unknown = set(line) - {"kind", "description", "amount"}
    if unknown:
        raise ValidationError(_("Unknown field(s): %(f)s.") % {"f": ", ".join(sorted(unknown))})
    kind = line.get("kind", "other")
    if kind not in FUNDING_SOURCE_KINDS:
        raise ValidationError(
            _("Kind must be one of: %(kinds)s.") % {"kinds": ", ".join(FUNDING_SOURCE_KINDS)}
        )
    description = _clean_text(line.get("description", ""), TEXT_LIMITS["text"])
    if not description:
        raise ValidationError(_("Name the source."))
    return {"kind": kind, "description": description, "amount": _clean_money(line.get("amount"))}
