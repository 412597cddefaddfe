"""Web screens: credentials. (Being built.)"""

urlpatterns: list = []
