"""gunicorn settings for survey_app behind nginx (deploy/nginx.conf); why each: docs/deployment.md.

Run: gunicorn -c deploy/gunicorn.conf.py 'survey_app:create_app()'
The GUNICORN_* variables change a setting without editing this file.
"""

import os

# Loopback only: nginx is the only client. Never expose gunicorn itself, it does not buffer slow clients.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two processes of four threads: about 750 survey pages a second on two cores (bench/README.md).
# Threads suit the app: most of a request is waiting on the database's durable write.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker that stops answering its master for this long is killed and replaced. With gthread
# a long request (an export of 100,000 responses takes about 15 s) does not count against it.
timeout = 30
graceful_timeout = 30  # on a restart, requests under way get this long to finish
keepalive = 5  # seconds an idle connection from nginx stays open (nginx keeps a few: upstream keepalive)

# The same limits as nginx's: what gets past nginx fits these too.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Headers from nginx are believed by the app itself (TRUSTED_PROXIES=1, TRUSTED_PROXY_ADDRESSES),
# not by gunicorn: gunicorn passes them on untouched.
forwarded_allow_ips = ""


def on_starting(server):
    """Files the app creates (SQLite, exports, logs) are its owner's only, whatever the service's umask.

    gunicorn's own `umask` setting covers its sockets, not the app: the workers inherit this one.
    """
    os.umask(0o077)


# The heartbeat files of the workers in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No access log here: nginx keeps one without addresses (deploy/nginx.conf). Errors go to stderr,
# which systemd's journal keeps.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "survey_app"

# No control socket (gunicornc): systemd starts, reloads and stops the service, and two servers
# on one machine would otherwise share the default socket path.
control_socket_disable = True
