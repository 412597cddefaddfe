"""The caller's relationships for the agreement and allocation views (what a representation
shows, such as a signatory's personal details to the fund's officers).

Who sees what is decided by the apps' selectors, the same the web screens use, with the calling
key's fund (``key_fund_id``): ``agreements.selectors`` for agreements, tranches and reports,
``pools.selectors`` for pools and allocations. Who may *act* is the apps' action registries.
"""

from api.applications.access import applications_for
from api.scoping import key_fund_id
from applications.selectors import Relationships

#: The caller's relationships, read once per request (``applications.selectors``).
Viewer = Relationships


def viewer_of(request) -> Viewer:
    viewer = getattr(request, "_agreements_viewer", None)
    if viewer is None:
        viewer = request._agreements_viewer = Viewer(request.user, fund_id=key_fund_id(request))
    return viewer


def visible_applications(request):
    return applications_for(request)


# Agreements, tranches, reports and their attachments: ``agreements.selectors`` (the same the
# web screens use), called with ``fund_id=key_fund_id(request)``.
