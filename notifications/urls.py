from django.urls import path

from notifications import views

urlpatterns = [
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="notifications_unsubscribe",
    ),
    path("account/", views.account, name="account"),
    path("accounts/open/", views.PlaceLoginView.as_view(), name="place_login"),
]
