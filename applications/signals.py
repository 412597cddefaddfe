"""What applications announce, for the apps built on it to react to.

Sent inside the service's transaction, after the transition is saved, so a receiver's writes
commit or roll back with the decision. Receivers are connected in the higher app's
``AppConfig.ready()`` (pools confirms or releases support hours); applications never imports them.
"""

from django.dispatch import Signal

#: An application was awarded. Arguments: ``application``, ``actor``.
application_awarded = Signal()
#: An application ended without an award (declined or withdrawn). Arguments: ``application``,
#: ``actor``, ``transition`` (its name).
application_ended = Signal()
