"""Funds and their programmes: public in the web catalogue, so readable by every caller.

A fund key sees only its own fund and programmes.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from rest_framework import mixins

from api.base import ApiViewSet
from api.funds.serializers import FundSerializer, ProgrammeSerializer
from api.scoping import key_fund_id
from funds.arrangements import Arrangement
from funds.models import Fund, Programme

ARRANGEMENT_FIELDS = {code: f"accepts_{code}" for code in Arrangement.values}


class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = FundSerializer
    lookup_field = "slug"
    cursor_ordering = ("name", "pk")

    def get_queryset(self):
        funds = Fund.objects.prefetch_related("themes")
        fund_id = key_fund_id(self.request)
        return funds.filter(pk=fund_id) if fund_id else funds


class ProgrammeFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open", label="Open for applications today")
    accepts = django_filters.ChoiceFilter(
        choices=Arrangement.choices, method="filter_accepts", label="Accepts this arrangement"
    )
    theme = django_filters.CharFilter(field_name="fund__themes__slug", label="Theme (slug)")
    region = django_filters.CharFilter(method="filter_region", label="Region (part of the name)")
    fund = django_filters.CharFilter(field_name="fund__slug", label="Fund (slug)")

    class Meta:
        model = Programme
        fields = ["open", "accepts", "theme", "region", "fund"]

    def filter_open(self, queryset, name, value):
        today = timezone.localdate()
        is_open = Q(opens_on__lte=today, closes_on__gte=today)
        return queryset.filter(is_open) if value else queryset.exclude(is_open)

    def filter_accepts(self, queryset, name, value):
        return queryset.filter(**{ARRANGEMENT_FIELDS[value]: True})

    def filter_region(self, queryset, name, value):
        return queryset.filter(fund__region__icontains=value)


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_field = "slug"
    cursor_ordering = ("closes_on", "pk")

    def get_queryset(self):
        programmes = (
            Programme.objects.select_related("fund").prefetch_related("provinces").distinct()
        )
        fund_id = key_fund_id(self.request)
        return programmes.filter(fund_id=fund_id) if fund_id else programmes


def register(router) -> None:
    router.register("funds", FundViewSet, basename="fund")
    router.register("programmes", ProgrammeViewSet, basename="programme")
