"""Running an application's transitions from the API, through the services the web views call."""

from django.core.exceptions import PermissionDenied
from rest_framework import serializers

from api.serializers.app_transitions import PAYLOADS, TransitionNameSerializer, payload_fields
from applications import permissions, services
from applications.workflow import TRANSITIONS, available_transitions

from .app_access import may_write

#: Who may run each transition, checked before the payload, so a role that may not gets 403
#: whatever it sends. The services check the same again, under the row lock.
REFUSALS = {
    "submit_step": permissions.coordinator_refusal,
    "withdraw": permissions.coordinator_refusal,
    "request_changes": permissions.officer_refusal,
    "accept_step": permissions.officer_refusal,
    "decline": permissions.officer_refusal,
    "award": permissions.manager_refusal,
}
STEP_TRANSITIONS = ("submit_step", "request_changes", "accept_step")


def runnable(request, application) -> list[dict]:
    """The transitions the caller may run now, with what each needs; none for a read-only key."""
    names = available_transitions(application, request.user) if may_write(request) else []
    options = []
    for name in names:
        fields, required = payload_fields(name)
        options.append(
            {"name": name, "label": str(TRANSITIONS[name]), "fields": fields, "required": required}
        )
    return options


def flat_errors(errors, prefix: str = "") -> dict[str, list]:
    """Nested serializer errors as ``{"referrals[0].email": [...]}``, one level of names."""
    if isinstance(errors, dict):
        flat = {}
        for key, value in errors.items():
            if isinstance(key, int):  # a list serializer's rows, as DRF may give them
                name = f"{prefix}[{key}]"
            elif key == "non_field_errors" and prefix:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flat_errors(value, name))
        return flat
    if isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        flat = {}
        for index, item in enumerate(errors):
            if item:
                flat.update(flat_errors(item, f"{prefix}[{index}]"))
        return flat
    return {prefix or "non_field_errors": errors}


def run(request, application):
    """Validate ``{"name": ..., <fields>}`` and run it: 400, 403 or 409 when it cannot be."""
    chosen = TransitionNameSerializer(data=request.data)
    chosen.is_valid(raise_exception=True)
    name = chosen.validated_data["name"]
    refusal = REFUSALS[name](application, request.user)
    if refusal is not None:
        raise PermissionDenied(refusal)
    payload = PAYLOADS[name](data=request.data, application=application)
    if not payload.is_valid():
        raise serializers.ValidationError(flat_errors(payload.errors))
    data = payload.validated_data
    actor, note = request.user, data["note"]
    if name == "request_changes":
        return services.application_request_changes(
            application=application,
            actor=actor,
            step=data.get("step"),
            comment=data["comment"],
            question_key=data["question_key"],
            note=note,
        )
    if name == "award":
        return services.application_award(
            application=application, actor=actor, amount=data["amount"], note=note
        )
    if name == "decline":
        return services.application_decline(
            application=application,
            actor=actor,
            reason=data["reason"],
            advice=data["advice"],
            referrals=[_referral(row) for row in data["referrals"]],
            note=note,
        )
    action = getattr(services, f"application_{name}")
    if name in STEP_TRANSITIONS:
        return action(application=application, actor=actor, step=data.get("step"), note=note)
    return action(application=application, actor=actor, note=note)


def _referral(row: dict) -> dict:
    """As the web form gives it: only the fields filled in."""
    return {key: value for key, value in row.items() if value not in ("", None)}
