"""Support in kind on the budget step: officers reserve pool hours for the network's needs.

The section is pools' panel on the application's budget step page (``pools.views.panels``); the
reservation is posted here, and a refused one is shown on that same page with what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.pages import get_application, get_step, step_context
from core.exceptions import InvalidTransition
from core.hours import format_hours
from core.web import error_message
from pools import permissions, services
from pools.forms import AllocationForm
from pools.models import PoolService
from pools.selectors import application_support, in_kind_needs, service_providers
from pools.services.allocations import allocation_window_refusal

from .common import refuse

BUDGET_STEP = "budget"


def _auto_id(line: int, service_pk: int) -> str:
    # Several allocation forms on one page: each needs its own ids for labels and errors.
    return f"id_need{line}_service{service_pk}_%s"


def _is_for(form, need: dict, service) -> bool:
    return form is not None and (form.data.get("need"), form.data.get("service")) == (
        need["description"],
        str(service.pk),
    )


def budget_support(application, *, user, bound: AllocationForm | None = None) -> dict:
    """The budget step's "Support in kind" section, for an officer of the application's fund.

    Per in-kind need: the open pools the fund contributes to that offer the support, each with
    the hours still free and, where there are any, a form to reserve some. ``bound`` is a
    refused form, shown again in its place with what was typed and why it was refused.
    """
    refusal = allocation_window_refusal(application)
    needs = []
    for line, need in enumerate(in_kind_needs(application), start=1):
        offers = []
        for service in need["covering"]:
            form = None
            if refusal is None and service.available > 0:
                if _is_for(bound, need, service):
                    form = bound
                else:
                    hours = need["hours"]
                    suggested = hours if hours and hours <= service.available else None
                    form = AllocationForm(
                        providers=service.provider_choices,
                        initial={
                            "need": need["description"],
                            "service": service.pk,
                            "hours": format_hours(suggested) if suggested else "",
                        },
                    )
                form.auto_id = _auto_id(line, service.pk)
            offers.append({"service": service, "form": form})
        needs.append({**need, "line": line, "offers": offers})
    return {
        "refusal": refusal,
        "needs": needs,
        "allocations": application_support(application, user),
        # A refused form's errors are summed up on top too: its pool may have no hours left by
        # now, and then the form has no place of its own.
        "errors_form": bound,
    }


def _service(request) -> PoolService:
    service_id = request.POST.get("service", "")
    service = (
        PoolService.objects.select_related("pool", "service_type").filter(pk=service_id).first()
        if service_id.isdigit()
        else None
    )
    if service is None:
        raise Http404
    return service


@login_required
@require_POST
def allocation_create(request, application_pk):
    application = get_application(request, application_pk)
    step = get_step(application, BUDGET_STEP)
    service = _service(request)
    refuse(permissions.allocation_refusal(application, service.pool, request.user))
    here = reverse("step_detail", kwargs={"pk": application.pk, "key": step.key}) + "#support"
    providers = list(service_providers(service))
    form = AllocationForm(request.POST, providers=providers)
    if form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.allocation_reserve(
                application=application,
                service=service,
                hours=data["hours"],
                need=data["need"],
                provider=next((p for p in providers if str(p.pk) == data["provider"]), None),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            raise PermissionDenied(error_message(error)) from error
        except InvalidTransition as error:
            messages.error(request, error.message)
            return redirect(here)
        else:
            messages.success(
                request,
                _("%(hours)s hours of %(service)s are reserved for “%(need)s”.")
                % {
                    "hours": format_hours(allocation.hours),
                    "service": service.service_type,
                    "need": allocation.need,
                },
            )
            return redirect(here)
    context = step_context(
        request,
        application,
        step,
        support=budget_support(application, user=request.user, bound=form),
    )
    return render(request, "applications/step_detail.html", context, status=400)
