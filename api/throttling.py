from rest_framework.throttling import SimpleRateThrottle

from .auth import credential_label


class CredentialRateThrottle(SimpleRateThrottle):
    """One bucket per key, token or signed-in person; anonymous callers per address."""

    scope = "credential"

    def get_cache_key(self, request, view):
        ident = credential_label(request) or f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
