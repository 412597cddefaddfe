from django.urls import path

from . import views

urlpatterns = [
    path("", views.directory_list, name="directory_list"),
    path("new/", views.directory_add, name="directory_add"),
    path("<int:pk>/edit/", views.directory_edit, name="directory_edit"),
    path("<int:pk>/checked/", views.directory_mark_checked, name="directory_mark_checked"),
]
