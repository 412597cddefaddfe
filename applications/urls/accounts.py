from django.urls import path

from applications.views import accounts

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/magic-link/", accounts.magic_link, name="magic_link"),
    path("accounts/magic/", accounts.MagicLoginView.as_view(), name="magic_login"),
]
