"""One allocation: what was promised and delivered; logging hours, releasing, closing, assigning.

What the page offers and what a POST may do both come from ``pools.actions``: a form is shown
only for an action the person may take now, and every POST runs one action of the registry.
Errors are mapped as in the application views: ValidationError → the form again with what was
typed, PermissionDenied → 403, InvalidTransition → message + redirect. An allocation outside
the person's scope is a 404 (``pools.selectors``), as in the API.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_fsm_log.models import StateLog

from applications.selectors import application_list
from core.web import run_action
from pools import selectors
from pools.actions import ALLOCATION_ACTIONS
from pools.forms import AllocationNoteForm, DeliveryForm, ProviderForm
from pools.models import Allocation

from .common import get_allocation

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


def _provider_form(allocation, data=None, providers=None) -> ProviderForm:
    return ProviderForm(
        data,
        prefix="assign",
        providers=selectors.service_providers(allocation.service)
        if providers is None
        else providers,
        initial={"provider": str(allocation.provider_id or "")},
    )


#: Each action's form on the page: (context name, how to make it unbound).
FORMS = {
    "log_delivery": ("delivery_form", lambda allocation: DeliveryForm()),
    "assign_provider": ("provider_form", _provider_form),
    "close": ("close_form", lambda allocation: AllocationNoteForm(prefix="close")),
    "release": ("release_form", lambda allocation: AllocationNoteForm(prefix="release")),
}


def _page(request, allocation: Allocation, *, status=200, **bound):
    user = request.user
    offered = {offer.name for offer in ALLOCATION_ACTIONS.available(allocation, user)}
    forms = {
        form_name: (bound.get(form_name) or make(allocation)) if name in offered else None
        for name, (form_name, make) in FORMS.items()
    }
    deliveries = list(allocation.deliveries.select_related("logged_by"))
    priced = [d.value for d in deliveries if d.value is not None]
    pool = allocation.service.pool
    context = {
        "allocation": allocation,
        "application": allocation.application,
        "pool": pool,
        "deliveries": deliveries,
        "delivered_value": sum(priced, Decimal(0)) if priced else None,
        "unpriced_hours": sum((d.hours for d in deliveries if d.value is None), Decimal(0)),
        "history": _history(allocation),
        "can_see_application": application_list(user=user)
        .filter(pk=allocation.application_id)
        .exists(),
        "can_see_pool": selectors.pool_list(user).filter(pk=pool.pk).exists(),
        **forms,
    }
    return render(request, "pools/allocation_detail.html", context, status=status)


@login_required
def allocation_detail(request, pk):
    return _page(request, get_allocation(request, pk))


def _act(request, pk, name: str, form_name: str, make_form, data_of=dict):
    """Run one action of the registry with the form's input; the page again if refused."""
    allocation = get_allocation(request, pk)
    ALLOCATION_ACTIONS.require_allowed(name, allocation, request.user)
    form = make_form(allocation)
    if form.is_valid():
        response = run_action(
            request,
            ALLOCATION_ACTIONS,
            name,
            allocation,
            data=data_of(form.cleaned_data),
            form=form,
            then=reverse("allocation_detail", args=[allocation.pk]),
        )
        if response is not None:
            return response
    return _page(request, allocation, status=400, **{form_name: form})


@login_required
@require_POST
def delivery_create(request, pk):
    return _act(
        request,
        pk,
        "log_delivery",
        "delivery_form",
        lambda allocation: DeliveryForm(request.POST),
    )


@login_required
@require_POST
def allocation_release(request, pk):
    return _act(
        request,
        pk,
        "release",
        "release_form",
        lambda allocation: AllocationNoteForm(request.POST, prefix="release"),
    )


@login_required
@require_POST
def allocation_close(request, pk):
    return _act(
        request,
        pk,
        "close",
        "close_form",
        lambda allocation: AllocationNoteForm(request.POST, prefix="close"),
    )


@login_required
@require_POST
def allocation_assign_provider(request, pk):
    providers: list = []

    def make_form(allocation):
        providers.extend(selectors.service_providers(allocation.service))
        return _provider_form(allocation, request.POST, providers)

    def data_of(data):
        chosen = next((p for p in providers if str(p.pk) == data["provider"]), None)
        return {"provider": chosen}

    return _act(request, pk, "assign_provider", "provider_form", make_form, data_of)
