"""One allocation: what was promised and delivered; logging hours, releasing, closing, assigning.

Every POST is one service call. Errors are mapped as in the application views: ValidationError →
the form again with what was typed, PermissionDenied → 403, InvalidTransition → message + redirect.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from applications.selectors import application_list
from applications.views.common import error_message
from core.exceptions import InvalidTransition
from pools import permissions, services
from pools.forms import AllocationNoteForm, DeliveryForm, ProviderForm
from pools.models import Allocation
from pools.queries import service_providers

from .common import get_allocation, refuse

State = Allocation.State


def _history(allocation: Allocation) -> list[dict]:
    labels = dict(State.choices)
    entries = [
        {
            "when": allocation.created_at,
            "by": allocation.created_by,
            "label": labels[State.RESERVED],
            "note": allocation.note,
        }
    ]
    for log in StateLog.objects.for_(allocation).select_related("by").order_by("timestamp", "pk"):
        entries.append(
            {
                "when": log.timestamp,
                "by": log.by,
                "label": labels.get(log.state, log.state),
                "note": log.description or "",
            }
        )
    return entries


def _page(request, allocation: Allocation, *, status=200, **forms):
    user = request.user
    state = allocation.state
    is_officer = permissions.allocation_officer_refusal(allocation, user) is None
    can_log = state == State.CONFIRMED and permissions.delivery_refusal(allocation, user) is None
    can_assign = is_officer and state in (State.RESERVED, State.CONFIRMED)
    deliveries = list(allocation.deliveries.select_related("logged_by"))
    priced = [d.value for d in deliveries if d.value is not None]
    context = {
        "allocation": allocation,
        "application": allocation.application,
        "pool": allocation.service.pool,
        "deliveries": deliveries,
        "delivered_value": sum(priced, Decimal(0)) if priced else None,
        "unpriced_hours": sum((d.hours for d in deliveries if d.value is None), Decimal(0)),
        "history": _history(allocation),
        "can_see_application": application_list(user=user)
        .filter(pk=allocation.application_id)
        .exists(),
        "can_see_pool": permissions.pool_viewer_refusal(allocation.service.pool, user) is None,
        "is_officer": is_officer,
        "delivery_form": (forms.get("delivery_form") or DeliveryForm()) if can_log else None,
        "release_form": (forms.get("release_form") or AllocationNoteForm(prefix="release"))
        if is_officer and state in (State.RESERVED, State.CONFIRMED)
        else None,
        "close_form": (forms.get("close_form") or AllocationNoteForm(prefix="close"))
        if is_officer and state in (State.CONFIRMED, State.DELIVERED)
        else None,
        "provider_form": (
            forms.get("provider_form")
            or ProviderForm(
                prefix="assign",
                providers=service_providers(allocation.service),
                initial={"provider": str(allocation.provider_id or "")},
            )
        )
        if can_assign
        else None,
    }
    return render(request, "pools/allocation_detail.html", context, status=status)


@login_required
def allocation_detail(request, pk):
    return _page(request, get_allocation(request, pk))


def _act(request, allocation, form_name, form, action, done):
    """Run one service call with the form's input; the page again with the form if refused."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect("allocation_detail", pk=allocation.pk)
        else:
            messages.success(request, done)
            return redirect("allocation_detail", pk=allocation.pk)
    return _page(request, allocation, status=400, **{form_name: form})


@login_required
@require_POST
def delivery_create(request, pk):
    allocation = get_allocation(request, pk)
    refuse(permissions.delivery_refusal(allocation, request.user))

    def log(data):
        services.delivery_log(
            allocation=allocation,
            actor=request.user,
            delivered_on=data["delivered_on"],
            hours=data["hours"],
            note=data["note"],
        )

    return _act(
        request,
        allocation,
        "delivery_form",
        DeliveryForm(request.POST),
        log,
        _("The delivered hours are logged."),
    )


@login_required
@require_POST
def allocation_release(request, pk):
    allocation = get_allocation(request, pk)
    refuse(permissions.allocation_officer_refusal(allocation, request.user))
    return _act(
        request,
        allocation,
        "release_form",
        AllocationNoteForm(request.POST, prefix="release"),
        lambda data: services.allocation_release(
            allocation=allocation, actor=request.user, note=data["note"]
        ),
        _("The allocation is released: the hours not delivered are back in the pool."),
    )


@login_required
@require_POST
def allocation_close(request, pk):
    allocation = get_allocation(request, pk)
    refuse(permissions.allocation_officer_refusal(allocation, request.user))
    return _act(
        request,
        allocation,
        "close_form",
        AllocationNoteForm(request.POST, prefix="close"),
        lambda data: services.allocation_close(
            allocation=allocation, actor=request.user, note=data["note"]
        ),
        _("The allocation is closed: the hours not delivered are back in the pool."),
    )


@login_required
@require_POST
def allocation_assign_provider(request, pk):
    allocation = get_allocation(request, pk)
    refuse(permissions.allocation_officer_refusal(allocation, request.user))
    providers = list(service_providers(allocation.service))
    form = ProviderForm(request.POST, prefix="assign", providers=providers)

    def assign(data):
        provider = next((p for p in providers if str(p.pk) == data["provider"]), None)
        services.allocation_assign_provider(
            allocation=allocation, actor=request.user, provider=provider
        )

    return _act(request, allocation, "provider_form", form, assign, _("The provider is saved."))
