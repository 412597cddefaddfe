from django.urls import path

from .views import signing

urlpatterns = [
    path("sign/<str:token>/", signing.sign, name="agreement_sign"),
]
