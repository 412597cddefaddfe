from django.urls import path

from funds import views

urlpatterns = [
    path("", views.catalogue, name="home"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/check/", views.programme_check, name="programme_check"),
    path("check/", views.check, name="check"),
]
