"""Admin building blocks shared by the apps: records that change only through their services, and
the admin per fund.

The admin per fund: a superuser sees every row. Anyone else (a fund's staff, with the view rights
of the demo's "Fund staff" group) sees in each model admin the rows its app's selectors show them
on the screens and in the API: who sees what is decided in ``<app>/selectors.py``, never here.
Every registered model admin is one of three kinds, and ``tests/test_admin_per_fund.py`` fails
for one that is not:

- ``FundScopedAdmin``: the rows ``visible_to(user)`` returns, from the app's selector;
- ``SharedAdmin``: reference data that every fund shares and no fund owns (themes, kinds of
  support), the same for everyone;
- ``SuperuserOnly``: rows no fund owns and fund staff have no business with (accounts, groups,
  task results): hidden from everyone but superusers, and never offered to them as a choice.

The choices in their forms, autocompletes and list filters come from the same scopes
(``ScopedChoices``), so no choice lists another fund's rows either.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from .models import Province


class ScopedChoices:
    """Form choices and autocompletes for someone who is not a superuser.

    A related field offers what the related model's admin shows this person (its
    ``get_queryset``, so its app's selector), and autocompletes ask that admin too. A field that
    has nothing to offer them (its model's admin is hidden from them, as accounts are) is shown
    read-only: the row keeps its value and shows it, but no account is offered to pick. A row that
    needs such a field cannot be added by them: people join a fund or a network through the
    services (on the web, by invitation), not by fund staff picking an account here.
    """

    def _offers(self, request, model) -> QuerySet | None:
        """What a field pointing at ``model`` may offer this person; ``None``: nothing."""
        related = self.admin_site._registry.get(model)
        if related is None or not related.has_view_permission(request):
            return None
        return related.get_queryset(request)

    def _choices(self, request, model) -> QuerySet:
        offers = self._offers(request, model)
        return model._default_manager.none() if offers is None else offers

    def _closed_fields(self, request) -> list:
        """The editable related fields that have nothing to offer this person."""
        if request.user.is_superuser:
            return []
        parent = getattr(self, "parent_model", None)  # an inline's own link to its parent
        excluded = set(self.exclude or ())
        return [
            field
            for field in self.model._meta.get_fields()
            if field.concrete
            and field.is_relation
            and field.editable
            and field.name not in excluded
            and field.remote_field.model is not parent
            and not (field.many_to_many and not field.remote_field.through._meta.auto_created)
            and self._offers(request, field.remote_field.model) is None
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and "queryset" not in kwargs:
            kwargs["queryset"] = self._choices(request, db_field.remote_field.model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser and "queryset" not in kwargs:
            kwargs["queryset"] = self._choices(request, db_field.remote_field.model)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        closed = [field.name for field in self._closed_fields(request)]
        return readonly + [name for name in closed if name not in readonly]

    def has_add_permission(self, request, *args):
        # ``*args``: an inline's ``obj``, which a model admin's signature does not have.
        if not super().has_add_permission(request, *args):
            return False
        return not any(not field.blank for field in self._closed_fields(request))


class PerFundAdmin(ScopedChoices, admin.ModelAdmin):
    """The base of the admin per fund: list filters by a related model offer, to anyone but a
    superuser, only the related rows that occur in what they see."""

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [self._only_related(list_filter) for list_filter in filters]

    def _only_related(self, list_filter):
        if isinstance(list_filter, tuple) and list_filter[1] is admin.RelatedFieldListFilter:
            list_filter = list_filter[0]
        if (
            isinstance(list_filter, str)
            and get_fields_from_path(self.model, list_filter)[-1].is_relation
        ):
            return (list_filter, admin.RelatedOnlyFieldListFilter)
        return list_filter


class FundScopedAdmin(PerFundAdmin):
    """The rows ``visible_to(user)`` returns: the app's selector, as the screens and the API ask
    it. For a fund's staff, their funds' rows (and a personal token: only their own)."""

    def visible_to(self, user) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} must say who sees which rows")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=self.visible_to(request.user).values("pk"))


class SharedAdmin(PerFundAdmin):
    """Reference data every fund shares and no fund owns: the same rows for everyone."""


class SuperuserOnly:
    """For superusers only: hidden from the admin's index and pages for everyone else (403), its
    rows absent from their querysets, autocompletes and form choices."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()


class ReadOnlyInline(ScopedChoices, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def superusers_only(*models) -> None:
    """Register again, for superusers only, the admin a library registered for each model."""
    for model in models:
        if not admin.site.is_registered(model):
            continue
        registered = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
        admin.site.register(model, type(registered.__name__, (SuperuserOnly, registered), {}))


# Accounts, groups and sign-in records belong to no fund. A fund's staff see their colleagues as
# the fund's memberships and a network's people as its members; the accounts themselves (e-mail,
# last sign-in, rights), who tried to sign in from where, and the choice among every account are
# for superusers: picking any account would also tell whether an address has one, which the
# invitations are careful never to tell.
superusers_only(get_user_model(), Group, AccessAttempt, AccessFailureLog, AccessLog)


@admin.register(Province)
class ProvinceAdmin(SharedAdmin):
    """From pycountry (``core.regions``): read here, never changed by hand."""

    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
