from django.urls import path

from applications.views import networks

urlpatterns = [
    path("networks/new/", networks.network_create, name="network_create"),
    path("networks/<int:pk>/", networks.network_detail, name="network_detail"),
    path("networks/<int:pk>/invite/", networks.network_invite, name="network_invite"),
    path(
        "networks/<int:pk>/members/<int:member_pk>/role/",
        networks.network_member_role,
        name="network_member_role",
    ),
]
