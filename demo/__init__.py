"""The demo data behind `make run` (``manage.py demo``): funds, networks, applications in every
state, agreements, a support pool and API credentials, all made through the apps' services.

The top layer beside ``api``: it may import every domain app, and no app imports it.
"""
