"""What every API view shares: Idempotency-Key on POST, and 404 for what is not yours."""

from functools import partial

from rest_framework import viewsets
from rest_framework.generics import get_object_or_404  # noqa: F401 - re-exported: DRF's, not Django's

from api.idempotency import run_idempotently


class IdempotentPostMixin:
    """Routes every POST with an Idempotency-Key through ``run_idempotently``.

    Authentication has run by the time ``initial`` returns, so replays are per caller.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "POST" and request.headers.get("Idempotency-Key"):
            handler = getattr(self, "post", None)
            if handler is not None:
                self.post = partial(run_idempotently, handler=handler)


class ApiViewSet(IdempotentPostMixin, viewsets.GenericViewSet):
    pass


class ApiReadOnlyViewSet(IdempotentPostMixin, viewsets.ReadOnlyModelViewSet):
    pass
