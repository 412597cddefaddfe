"""The one domain exception besides Django's ValidationError and PermissionDenied.

``InvalidTransition`` means "not possible now": the object is in another state than the action
needs, often because someone else acted first. Callers show it as a conflict (HTTP 409).
"""


class InvalidTransition(Exception):  # noqa: N818 - domain vocabulary, like django-fsm's names
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
