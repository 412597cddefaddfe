"""Keep one-time tokens out of the logs.

A sign-in link carries its token in the query string (``?sesame=…``, ``?token=…``), and the
personal signing and invitation links carry theirs in the path. Whoever reads an access log must
not be able to sign in as someone, so every request line, URL and referrer that reaches a log is
masked here: by ``MaskTokens`` on Django's loggers (config/settings/base.py, LOGGING) and by the
access logger gunicorn uses (config/gunicorn.py).

No Django import: gunicorn loads this before Django is set up.
"""

import logging
import re

MASK = "********"

#: Query parameters whose value is a credential.
TOKEN_PARAMETERS = ("sesame", "token")

_NAMES = "|".join(TOKEN_PARAMETERS)
_QUERY = re.compile(rf"(?P<name>[?&;](?:{_NAMES})=)[^&;#\s\"']+")
#: Path segments that are credentials: /agreements/sign/<token>/, /invitations/<token>/, and any
#: other segment shaped like a value of django.core.signing (``payload:timestamp:signature``).
_PATH = re.compile(r"(?P<name>/(?:sign|invitations)/)[^/?#\s\"']{16,}")
_SIGNED = re.compile(r"(?P<name>/)[\w.-]{8,}:[\w-]{4,}:[\w-]{16,}(?=[/?#\s\"']|$)")


def mask_tokens(text: str) -> str:
    """``text`` with the value of every token parameter and token path segment masked."""
    if not text:
        return text
    for pattern in (_QUERY, _PATH, _SIGNED):
        text = pattern.sub(rf"\g<name>{MASK}", text)
    return text


class MaskTokens(logging.Filter):
    """A logging filter that masks tokens in a record's message; it never drops a record.

    The message is formatted here and its arguments dropped, so a handler further on cannot
    bring the original back. django.server and django.request log a request line or path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the handler's business, not ours
            return True
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
