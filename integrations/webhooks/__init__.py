"""Sending events to the funds' webhook endpoints, per the Standard Webhooks specification.

- ``ssrf``: which URLs may receive webhooks, checked at registration and again before each send.
- ``transport``: one POST, connected to the address that was checked.
- ``signing``: the body and the ``webhook-*`` headers (the ``standardwebhooks`` package signs).
- ``fanout``: events into deliveries, and the sweep that catches what a crash left behind.
- ``delivery``: one attempt, its log entry, and the retry schedule.
- ``tasks``: the django-tasks task the worker runs (``manage.py db_worker --queue-name webhooks``).
- ``services``: what a fund manager does with endpoints and deliveries.
"""
