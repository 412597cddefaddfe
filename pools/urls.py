from django.urls import path

from .views import allocations, budget, pools, provided

urlpatterns = [
    path("", pools.pool_list, name="pool_list"),
    path(
        "allocations/new/<int:application_pk>/",
        budget.allocation_create,
        name="allocation_create",
    ),
    path("allocations/<int:pk>/", allocations.allocation_detail, name="allocation_detail"),
    path(
        "allocations/<int:pk>/deliveries/",
        allocations.delivery_create,
        name="delivery_create",
    ),
    path(
        "allocations/<int:pk>/release/", allocations.allocation_release, name="allocation_release"
    ),
    path("allocations/<int:pk>/close/", allocations.allocation_close, name="allocation_close"),
    path(
        "allocations/<int:pk>/provider/",
        allocations.allocation_assign_provider,
        name="allocation_assign_provider",
    ),
    # Two segments: a pool's slug (one segment) can never take this address.
    path("allocations/mine/", provided.provided_allocations, name="provided_allocations"),
    path("<slug:slug>/", pools.pool_detail, name="pool_detail"),
    path("<slug:slug>/utilisation.csv", pools.pool_utilisation_csv, name="pool_utilisation_csv"),
]
