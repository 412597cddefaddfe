"""What changed in a step's answers between two revisions, per question.

Every answer is first written out as plain text, then compared word by word. User text is
escaped before any markup is added: only our own <ins>/<del> tags are trusted.
"""

import difflib
import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.hours import format_hours
from core.money import format_euros
from funds import service_kinds
from funds.arrangements import Arrangement
from funds.questions import localized

TOKENS = re.compile(r"\s+|[^\s]+")


def answer_text(question: dict, value) -> str:
    """An answer as the plain text a person would read."""
    if value is None or value == "" or value == []:
        return ""
    kind = question["type"]
    if kind == "money":
        return _euros(value)
    if kind == "arrangement":
        return str(dict(Arrangement.choices).get(value, value))
    if kind == "choice":
        labels = {str(c["value"]): localized(c["label"]) for c in question.get("choices", [])}
        return labels.get(str(value), str(value))
    if kind == "budget_lines":
        return "\n".join(_budget_line_text(line) for line in value)
    if kind == "funding_sources":
        return "\n".join(
            f"{line.get('description', '')} ({line.get('kind', '')}): {_euros(line.get('amount'))}"
            for line in value
        )
    return str(value)


def _euros(value) -> str:
    """Euros as the reader's language writes them (1.250,00 in Dutch); a stored answer that
    is not a number is shown as it is."""
    try:
        return format_euros(value)
    except (ArithmeticError, TypeError, ValueError):
        return f"€ {value}"


def _hours(value) -> str:
    try:
        return format_hours(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)


def _budget_line_text(line: dict) -> str:
    text = f"{line.get('description', '')}: {_euros(line.get('amount'))}"
    if line.get("service_type"):
        # Hours stay beside the euros, never converted into them.
        return (
            text
            + " + "
            + _("%(hours)s hours of %(service)s")
            % {
                "hours": _hours(line.get("hours", "")),
                "service": service_kinds.label(line["service_type"]),
            }
        )
    return text + (f" ({_('could be given in kind')})" if line.get("in_kind") else "")


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with removed words in <del class="diff-removed"> and added ones in <ins>."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    parts = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = conditional_escape("".join(old_tokens[a1:a2]))
        added = conditional_escape("".join(new_tokens[b1:b2]))
        if tag == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f'<del class="diff-removed">{removed}</del>')
        if added:
            parts.append(f'<ins class="diff-added">{added}</ins>')
    # Every piece of user text above went through conditional_escape.
    return mark_safe("".join(parts))  # noqa: S308


def step_changes(questions: list[dict], old: dict | None, new: dict | None) -> dict[str, dict]:
    """Per question key that changed: its label, old and new text, and the marked-up diff."""
    old, new = old or {}, new or {}
    changes = {}
    for question in questions:
        key = question["key"]
        before = answer_text(question, old.get(key))
        after = answer_text(question, new.get(key))
        if before == after:
            continue
        changes[key] = {
            "key": key,
            "label": localized(question.get("label")),
            "old": before,
            "new": after,
            "html": word_diff(before, after),
        }
    return changes
