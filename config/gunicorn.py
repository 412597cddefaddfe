"""gunicorn's settings for Eigenwijs: ``gunicorn -c config/gunicorn.py config.wsgi``.

The access log keeps its usual (combined) format, but one-time tokens in the request line, the
path, the query string and the referrer are masked (core/logmasking.py): a sign-in link fetched
by a mail scanner, or the POST its page sends with the link as referrer, leaves no usable token
in the log.

Workers and bind default to the production set-up behind the reverse proxy in deploy/nginx/
(the command line or GUNICORN_CMD_ARGS still override them): two sync workers, reachable from
this host only. Sync workers are the right kind only behind a buffering proxy: a slow client
holds one for as long as it takes (tests/deploy/test_nginx.py measures it).
"""

from gunicorn.glogging import Logger

from core.logmasking import mask_tokens


class MaskingLogger(Logger):
    """gunicorn's logger, with tokens masked in every access-log field that can carry one."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if not isinstance(value, str):
                continue
            if name == "q":  # the query string, without its "?"
                atoms[name] = mask_tokens(f"?{value}")[1:] if value else value
            else:
                atoms[name] = mask_tokens(value)
        return atoms


logger_class = MaskingLogger
accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

# Behind deploy/nginx/eigenwijs.conf: nginx alone talks to gunicorn, over loopback.
bind = ["127.0.0.1:8000"]
workers = 2
worker_class = "sync"
# A request nginx has passed on arrives whole, so 30 s is only ever spent computing.
timeout = 30
# gunicorn believes X-Forwarded-Proto (wsgi.url_scheme) only from these addresses.
forwarded_allow_ips = "127.0.0.1,::1"
