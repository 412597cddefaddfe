"""Where pools plugs into the apps below it, wired once from ``PoolsConfig.ready()``.

Pools builds on funds and applications; they never import it. Instead:

- an award confirms reserved hours, a decline or withdrawal releases them
  (``applications.signals``, received in ``pools.receivers``);
- the dashboard, network, application and budget-step pages and a programme's dashboard show
  pools' panels (``applications.panels``, provided by ``pools.views.panels``);
- budget lines ask hours of the kinds of support pools offer (``funds.service_kinds``, answered
  by ``pools.service_types``);
- the event outbox knows how to describe an allocation (``core.events``, via ``pools.events``);
- a contract lists the hours promised beside the money (``applications.support_in_kind``, answered
  by ``pools.selectors.promised_support``);
- a provider who is in no network lands on the allocations they deliver after signing in
  (``applications.landing``, answered by ``pools.views.provided.provider_landing``).
"""

from django.db.models.signals import post_migrate

import pools.events  # noqa: F401 - importing it registers how allocation events read
from applications import landing, support_in_kind
from funds import service_kinds

from . import receivers
from .selectors import promised_support
from .service_types import SERVICE_KINDS, ensure_default_service_types
from .views.panels import register_panels
from .views.provided import provider_landing


def connect(app_config) -> None:
    """Called once from ``PoolsConfig.ready()``."""
    post_migrate.connect(ensure_default_service_types, sender=app_config)
    receivers.connect()
    register_panels()
    service_kinds.register(SERVICE_KINDS)
    support_in_kind.register_support_in_kind(promised_support)
    landing.register_landing(provider_landing)
