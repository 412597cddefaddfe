"""The catalogue's filters: a plain GET form, so they work without JavaScript."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funds.models import Fund, Programme, Theme


def region_choices():
    regions = Fund.objects.exclude(region="").values_list("region", flat=True)
    return [(region, region) for region in sorted(set(regions), key=str.casefold)]


class ProgrammeFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="fund__themes",
        queryset=Theme.objects.all(),
        empty_label=_("All themes"),
        distinct=True,
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="fund__region",
        lookup_expr="iexact",
        choices=region_choices,
        empty_label=_("All regions"),
    )
    amount = django_filters.NumberFilter(
        label=_("How much money do you need? (€)"),
        field_name="max_amount",
        lookup_expr="gte",
        min_value=0,
        help_text=_("Shows only programmes that can give at least this amount."),
    )
    informal = django_filters.BooleanFilter(
        label=_("Open to groups without a foundation or association"),
        method="filter_informal",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Programme
        fields = []

    def filter_informal(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(accepts_cooperation_agreement=True)
            | Q(accepts_host_organisation=True)
            | Q(accepts_support_only=True)
        )
