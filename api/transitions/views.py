"""The transitions endpoint of agreements, tranches, reports and allocations, and PDF output.

``GET …/{id}/transitions/`` lists what the caller may run now; ``POST`` the same URL with
``{"name": ..., <fields>}`` runs it through the app's action registry (``core.actions``), the
same one the web screens use. A caller who may never run it is 403 before the input is read; a
bad payload is 400 with field errors; a state that does not allow it is 409.
"""

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.scoping import relationships_of
from api.transitions.serializers import RunnableTransitionSerializer
from core.actions import Registry

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
    # For a viewset: set ``registry`` (the app's ``core.actions.Registry``) and
    # ``transition_serializer_class`` (``name`` plus every action's fields). The action itself
    # is declared on each viewset, with its schema, and calls ``handle_transitions``.
    # (A comment, not a docstring: the schema would show it on every operation.)

    registry: Registry
    transition_serializer_class: type[serializers.Serializer]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": relationships_of(self.request)}

    def handle_transitions(self, request):
        instance = self.get_object()
        user, credential = request.user, request.auth
        if request.method == "GET":
            options = [
                {"name": offer.name, "label": str(offer.label), "fields": list(offer.fields)}
                for offer in self.registry.available(instance, user, credential=credential)
            ]
            return Response(RunnableTransitionSerializer(options, many=True).data)
        # Who may comes before what is sent: a known action is refused (403) before its input
        # is read; an unknown name is the serializer's 400.
        name = request.data.get("name") if hasattr(request.data, "get") else None
        if isinstance(name, str) and name in self.registry:
            self.registry.require_allowed(name, instance, user, credential=credential)
        serializer = self.transition_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        name = data.pop("name")
        fields = self.registry.get(name).fields
        data = {key: value for key, value in data.items() if key in fields}
        self.registry.run(name, instance, actor=user, data=data, credential=credential)
        # Read again as a list row is read, with everything the representation needs.
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        return Response(self.get_serializer(fresh).data)
