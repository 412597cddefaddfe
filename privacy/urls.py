"""The privacy screens; mounted at the site's root by config/urls.py."""

from django.urls import path

from privacy import views

urlpatterns = [
    path("privacy/", views.privacy_page, name="privacy"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/data/download/", views.my_data_download, name="my_data_download"),
    path("my/data/delete/", views.account_delete, name="account_delete"),
    path("privacy/funds/<int:fund_pk>/", views.fund_retention, name="fund_retention"),
]
