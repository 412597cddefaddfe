"""Forms for the web screens: starting an application, and a step's generated answer form.

A step's questions are data (funds.questions), so its form is built from them. The form only
turns posted fields into the answers dict the services expect; the services validate. What the
user typed is kept as typed, so a re-render after an error loses nothing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Network
from funds import service_kinds
from funds.arrangements import Arrangement
from funds.questions import FUNDING_SOURCE_KINDS, MAX_LINES, localized

from .forms import EuroField, RequestChangesForm

EMPTY_ROWS = 3
LINE_FIELDS = {
    "budget_lines": ("description", "amount", "in_kind", "service_type", "hours"),
    "funding_sources": ("kind", "description", "amount"),
}
FUNDING_SOURCE_LABELS = {
    "own_contribution": _("Own contribution"),
    "crowdfunding": _("Crowdfunding"),
    "business": _("Local business"),
    "other_fund": _("Another fund"),
    "other": _("Other"),
}


class ApplicationStartForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Which network applies?"),
        queryset=Network.objects.none(),
        empty_label=None,
        help_text=_("Only networks where you are a coordinator can start an application."),
    )
    title = forms.CharField(
        label=_("A short title for your application"),
        max_length=200,
        help_text=_("For example: 'Vegetable garden on the square'."),
    )
    # No bounds here: the service says what is allowed ("At most € 5.000,00 per application in
    # this programme"), so 10^12 is not answered with "no more than 12 digits".
    requested_amount = EuroField(
        label=_("How much money do you ask for? (€)"),
        max_digits=None,
        decimal_places=None,
        error_messages={"invalid": _("Enter an amount in euros.")},
        help_text=_("An estimate is fine: you work out the budget together with the fund."),
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class StepRequestChangesForm(RequestChangesForm):
    """Request changes from the step page, optionally about one question."""

    question_key = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    question_key = forms.CharField(required=False, widget=forms.HiddenInput)


def _arrangement_options(accepted: list[str]) -> list[tuple[str, str]]:
    labels = dict(Arrangement.choices)
    return [(code, labels.get(code, code)) for code in accepted]


class BoundQuestion:
    """One question with its current value(s) and errors, ready for the template."""

    def __init__(self, question: dict, value, errors: list[str], options=None):
        self.question = question
        self.key = question["key"]
        self.type = question["type"]
        self.label = localized(question.get("label"))
        self.help = localized(question.get("help"))
        self.required = question.get("required", True)
        self.value = value
        self.errors = errors
        self.options = options or []
        self.id = f"q-{self.key}"
        self.name = f"q-{self.key}"

    @property
    def is_lines(self) -> bool:
        return self.type in LINE_FIELDS

    @property
    def display_value(self) -> str:
        return "" if self.value is None else str(self.value)

    @property
    def rows(self) -> list[dict]:
        """Existing lines plus empty rows, each with its field names and ids."""
        lines = self.value if isinstance(self.value, list) else []
        rows = []
        for index, line in enumerate([*lines, *([{}] * EMPTY_ROWS)]):
            line = line if isinstance(line, dict) else {}
            prefix = f"{self.name}-{index}"
            rows.append(
                {
                    "number": index + 1,
                    "prefix": prefix,
                    "description": line.get("description", ""),
                    "amount": line.get("amount", ""),
                    "in_kind": line.get("in_kind") is True,
                    "kind": line.get("kind", ""),
                    "service_type": line.get("service_type", ""),
                    "hours": line.get("hours", ""),
                }
            )
        return rows


class StepAnswersForm:
    """The answers form generated from a step's questions.

    ``data`` is request.POST (or None to show ``initial``, the latest saved answers).
    """

    def __init__(self, step, *, accepted_arrangements: list[str], data=None, initial=None):
        self.step = step
        self.accepted_arrangements = accepted_arrangements
        self.data = data
        self.content = self._parse(data) if data is not None else dict(initial or {})
        self.errors: dict[str, list[str]] = {}

    def _parse(self, data) -> dict:
        content = {}
        for question in self.step.questions:
            name = f"q-{question['key']}"
            kind = question["type"]
            if kind in LINE_FIELDS:
                content[question["key"]] = self._parse_lines(data, name, kind)
                continue
            value = data.get(name, "")
            if kind == "number":
                stripped = value.strip()
                # Whole numbers become ints; anything else stays text so the validator names it.
                value = int(stripped) if stripped.isdigit() else stripped
            content[question["key"]] = value
        return content

    @staticmethod
    def _parse_lines(data, name: str, kind: str) -> list[dict]:
        lines = []
        for index in range(MAX_LINES + EMPTY_ROWS):
            prefix = f"{name}-{index}"
            if not any(f"{prefix}-{field}" in data for field in LINE_FIELDS[kind]):
                break
            description = data.get(f"{prefix}-description", "").strip()
            amount = data.get(f"{prefix}-amount", "").strip()
            if kind == "budget_lines":
                in_kind = data.get(f"{prefix}-in_kind") == "on"
                service_type = data.get(f"{prefix}-service_type", "").strip()
                hours = data.get(f"{prefix}-hours", "").strip()
                if description or amount or service_type or hours:
                    line = {"description": description, "amount": amount, "in_kind": in_kind}
                    if service_type or hours:
                        line.update(service_type=service_type, hours=hours)
                    lines.append(line)
            else:
                line_kind = data.get(f"{prefix}-kind", "") or "other"
                if description or amount:
                    lines.append({"kind": line_kind, "description": description, "amount": amount})
        return lines

    def add_errors(self, error) -> None:
        """Put a service ValidationError on the questions it is keyed by."""
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                self.errors.setdefault(key, []).extend(messages)
        else:
            self.errors.setdefault("__all__", []).extend(error.messages)

    @property
    def non_question_errors(self) -> list[str]:
        keys = {question["key"] for question in self.step.questions}
        return [
            message
            for key, messages in self.errors.items()
            if key not in keys
            for message in messages
        ]

    def bound_questions(self) -> list[BoundQuestion]:
        bound = []
        for question in self.step.questions:
            options = []
            if question["type"] == "choice":
                options = [
                    (str(choice["value"]), localized(choice["label"]))
                    for choice in question["choices"]
                ]
            elif question["type"] == "arrangement":
                options = _arrangement_options(self.accepted_arrangements)
            elif question["type"] == "funding_sources":
                options = [(kind, FUNDING_SOURCE_LABELS[kind]) for kind in FUNDING_SOURCE_KINDS]
            elif question["type"] == "budget_lines":
                options = service_kinds.choices()
            bound.append(
                BoundQuestion(
                    question,
                    self.content.get(question["key"]),
                    self.errors.get(question["key"], []),
                    options,
                )
            )
        return bound
