from rest_framework.throttling import SimpleRateThrottle

from core.clientip import client_ip

from .auth import credential_label


class CredentialRateThrottle(SimpleRateThrottle):
    """One bucket per key, token or signed-in person; anonymous callers per address.

    The buckets live in the default cache: in production the database cache that every worker
    and every host shares (config/settings/base.py, CACHES), so two gunicorn workers cannot
    each let the full rate through. The address is the one core.clientip trusts, never a
    forwarded header a client wrote itself.
    """

    scope = "credential"

    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def get_cache_key(self, request, view):
        ident = credential_label(request) or f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
