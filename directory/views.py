"""The referral directory's pages, for fund staff: a list with filters, add, edit, and "Still
correct". Everybody else gets 404 (``directory.selectors``); the services decide the rest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import add_service_errors, error_message

from . import selectors, services
from .forms import EntryFilterForm, EntryForm


def _require_visible(request) -> None:
    if not selectors.can_see_directory(request.user):
        raise Http404


def _visible_entry(request, pk):
    _require_visible(request)
    return get_object_or_404(selectors.entry_list(request.user), pk=pk)


def _back_to_list(request, entry=None):
    """To where the person came from (the filtered list), at the entry they acted on."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("directory_list")
    return redirect(f"{target}#entry-{entry.pk}" if entry is not None else target)


@login_required
def directory_list(request):
    _require_visible(request)
    filters = EntryFilterForm(request.GET)
    entries = selectors.entry_list(request.user, **filters.selection())
    return render(
        request,
        "directory/entry_list.html",
        {"form": filters, "entries": entries, "filtered": any(request.GET.values())},
    )


def _save(form, save):
    """Run the service on a valid form; the entry, or None with its errors on the form."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    return None


@login_required
def directory_add(request):
    _require_visible(request)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and (
        entry := _save(form, lambda data: services.entry_create(actor=request.user, data=data))
    ):
        messages.success(request, _("“%(name)s” is in the directory now.") % {"name": entry})
        return _back_to_list(request, entry)
    return render(request, "directory/entry_form.html", {"form": form, "entry": None})


@login_required
def directory_edit(request, pk):
    entry = _visible_entry(request, pk)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and (
        saved := _save(
            form,
            lambda data: services.entry_update(actor=request.user, entry=entry, data=data),
        )
    ):
        messages.success(request, _("Your changes to “%(name)s” are saved.") % {"name": saved})
        return _back_to_list(request, saved)
    return render(request, "directory/entry_form.html", {"form": form, "entry": entry})


@require_POST
@login_required
def directory_mark_checked(request, pk):
    entry = _visible_entry(request, pk)
    try:
        services.entry_mark_checked(actor=request.user, entry=entry)
    except PermissionDenied as error:
        raise PermissionDenied(error_message(error)) from error
    messages.success(
        request, _("Thank you: “%(name)s” is marked as checked today.") % {"name": entry}
    )
    return _back_to_list(request, entry)
