"""An application's transitions in the API: ``applications.actions.APPLICATION_ACTIONS`` lists
them and runs them; this module only reads the payload and shapes the answer."""

from rest_framework import serializers

from api.applications.serializers.transitions import PAYLOADS, TransitionNameSerializer
from applications.actions import APPLICATION_ACTIONS, action_data


def runnable(request, application) -> list[dict]:
    """The transitions the caller may run now, with what each needs; none for a read-only key."""
    return [
        {
            "name": offer.name,
            "label": str(offer.label),
            "fields": list(offer.fields),
            "required": list(offer.required),
        }
        for offer in APPLICATION_ACTIONS.available(
            application, request.user, credential=request.auth
        )
    ]


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
    # A role that may not gets 403 whatever it sends: refused before the payload is read.
    APPLICATION_ACTIONS.require_allowed(name, application, request.user, credential=request.auth)
    payload = PAYLOADS[name](data=request.data, application=application)
    if not payload.is_valid():
        raise serializers.ValidationError(flat_errors(payload.errors))
    data = dict(payload.validated_data)
    if "referrals" in data:
        data["referrals"] = [_referral(row) for row in data["referrals"]]
    return APPLICATION_ACTIONS.run(
        name,
        application,
        actor=request.user,
        data=action_data(name, data),
        credential=request.auth,
    )


def _referral(row: dict) -> dict:
    """As the web form gives it: only the fields filled in."""
    return {key: value for key, value in row.items() if value not in ("", None)}
