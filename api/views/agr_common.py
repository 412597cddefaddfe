"""The transitions endpoint of agreements, tranches, reports and allocations, and PDF output.

``GET …/{id}/transitions/`` lists what the caller may run now; ``POST`` the same URL with
``{"name": ..., <fields>}`` runs it through the same service as the web screens. A bad payload is
400 with field errors, a role that may not is 403, a state that does not allow it is 409.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.serializers.agr_common import RunnableTransitionSerializer
from integrations.models import Scope

from .agr_access import viewer_of

#: For actions that answer with one object or a plain list: no pages, no list filters.
NO_PAGES = {"pagination_class": None, "filter_backends": []}


class FileRenderer(BaseRenderer):
    """Stored files as they are (a view returns a FileResponse); problems still leave as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, renderer_context=renderer_context)


class PDFRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class TransitionsMixin:
    # For a viewset: set ``transitions_offered`` (name → (label, payload fields)) and
    # ``transition_serializer_class``, and implement ``available_transitions`` and
    # ``run_transition``. The action itself is declared on each viewset, with its schema.
    # (A comment, not a docstring: the schema would show it on every operation.)

    transitions_offered: dict[str, tuple[str, tuple[str, ...]]] = {}
    transition_serializer_class: type[serializers.Serializer]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": viewer_of(self.request)}

    def available_transitions(self, instance) -> list[str]:
        raise NotImplementedError

    def run_transition(self, instance, name: str, data: dict):
        raise NotImplementedError

    def handle_transitions(self, request):
        instance = self.get_object()
        if request.method == "GET":
            # A read-only key or token may run nothing, whatever its account's role.
            may_write = getattr(request.auth, "scope", None) != Scope.READ
            available = self.available_transitions(instance) if may_write else []
            options = [
                {"name": name, "label": str(label), "fields": list(fields)}
                for name, (label, fields) in self.transitions_offered.items()
                if name in available
            ]
            return Response(RunnableTransitionSerializer(options, many=True).data)
        serializer = self.transition_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name = data.pop("name")
        self.run_transition(instance, name, data)
        # Read again as a list row is read, with everything the representation needs.
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        return Response(self.get_serializer(fresh).data)


def unknown_transition(name: str) -> serializers.ValidationError:
    return serializers.ValidationError({"name": [_("There is no transition “%s”.") % name]})
