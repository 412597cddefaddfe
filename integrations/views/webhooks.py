"""Web screens: webhooks. (Being built.)"""

urlpatterns: list = []
