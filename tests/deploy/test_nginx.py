"""The shipped deploy/nginx.conf in front of a gunicorn run with deploy/gunicorn.conf.py.

Only the addresses, ports, certificate and log paths of the file are replaced (each must be in
it as shipped). Skipped where nginx is not installed (.ci/run installs it).
"""

import contextlib
import datetime
import gzip
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.servers import find_free_port, server_environment

from ..conftest import ROOT, prepare_for_servers

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")

SITE = ROOT / "deploy" / "nginx.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"
THREADS = 2 * 4  # workers x threads in deploy/gunicorn.conf.py


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Return a certificate and key for 127.0.0.1, made here."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "enquete.genk.be")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256())
    )
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert, private


def site_for_test(*, upstream: int, http_port: int, https_port: int, cert: Path, key: Path, log: Path) -> str:
    """Return deploy/nginx.conf with only its addresses and paths replaced."""
    text = SITE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server {HOST}:{upstream};",
        "listen 80;": f"listen {HOST}:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen {HOST}:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/enquete.genk.be/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/enquete.genk.be/privkey.pem": str(key),
        "/var/log/nginx/survey_app.access.log": str(log),
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def started(command: list[str], *, env: dict, log: Path, ready):
    """Run command in its own process group until the block ends; wait until ready() is true."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not ready():
            assert process.poll() is None, f"{command[0]} exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"{command[0]} did not start:\n{log.read_text()[-3000:]}"
            time.sleep(0.2)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def listening(port: int):
    def ready() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex((HOST, port)) == 0
    return ready


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """gunicorn (the shipped settings) and nginx (the shipped site) on loopback; yields their ports."""
    folder = tmp_path_factory.mktemp("stack")
    url = f"sqlite:///{folder / 'survey.sqlite3'}"
    prepare_for_servers(url)
    upstream, http_port, https_port = find_free_port(), find_free_port(), find_free_port()
    env = server_environment(url, synchronous="normal") | {
        "GUNICORN_BIND": f"{HOST}:{upstream}",
        "TRUSTED_PROXIES": "1",
        "SESSION_COOKIE_SECURE": "true",
    }
    cert, key = self_signed(folder)
    (folder / "site.conf").write_text(
        site_for_test(upstream=upstream, http_port=http_port, https_port=https_port, cert=cert, key=key, log=folder / "access.log")
    )
    temp = folder / "temp"
    temp.mkdir()
    (folder / "nginx.conf").write_text(f"""
        daemon off;
        master_process on;
        worker_processes 1;
        user root;
        pid {folder / 'nginx.pid'};
        error_log {folder / 'error.log'} warn;
        events {{ worker_connections 256; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            client_body_temp_path {temp / 'body'};
            proxy_temp_path {temp / 'proxy'};
            fastcgi_temp_path {temp / 'fastcgi'};
            uwsgi_temp_path {temp / 'uwsgi'};
            scgi_temp_path {temp / 'scgi'};
            include {folder / 'site.conf'};
        }}
    """)
    check = subprocess.run([NGINX, "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "survey_app:create_app()"]
    with started(gunicorn, env=env, log=folder / "gunicorn.log", ready=listening(upstream)), \
         started([NGINX, "-c", str(folder / "nginx.conf")], env=env, log=folder / "nginx.out", ready=listening(https_port)):
        status, _, _ = https({"https": https_port}, "GET", "/", timeout=60)  # the first request loads the catalogs
        assert status == 200
        yield {"upstream": upstream, "http": http_port, "https": https_port, "folder": folder, "env": env}


def https(stack, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None, timeout: float = 10):
    """Return (status, headers, body) of one request through nginx over TLS."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection(HOST, stack["https"], context=context, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        connection.close()


def test_every_answer_comes_over_tls_with_the_security_headers(stack):
    plain = http.client.HTTPConnection(HOST, stack["http"], timeout=10)
    plain.request("GET", "/s/samenleven?x=1", headers={"Host": "enquete.genk.be"})
    moved = plain.getresponse()
    plain.close()
    assert moved.status == 301 and moved.headers["Location"] == "https://enquete.genk.be/s/samenleven?x=1"
    status, headers, _ = https(stack, "GET", "/")
    assert status == 200
    assert headers.get_all("Strict-Transport-Security") == ["max-age=63072000"]
    assert headers["Server"] == "nginx"  # no version
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Cache-Control"] == "no-store"
    # The app knows the request came over https (TRUSTED_PROXIES=1 behind this nginx): secure cookies.
    status, headers, _ = https(stack, "GET", "/staff/login")
    assert status == 200 and "Secure" in headers["Set-Cookie"]
    # nginx's own answers carry HSTS too; a body over MAX_CONTENT_LENGTH never reaches gunicorn.
    # (Announced, not sent: nginx answers at the headers.)
    with tls_socket(stack["https"]) as sock:
        sock.sendall(b"POST /api/responses HTTP/1.1\r\nHost: enquete.genk.be\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 300000\r\n\r\n")
        answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413 ") and "Strict-Transport-Security: max-age=63072000" in answer


def test_static_files_are_compressed_and_pages_are_not(stack):
    status, headers, body = https(stack, "GET", "/static/survey.css", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (ROOT / "survey_app" / "static" / "survey.css").read_bytes()
    status, headers, _ = https(stack, "GET", "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "Content-Encoding" not in headers  # BREACH: pages hold CSRF tokens


def tls_socket(port: int) -> ssl.SSLSocket:
    """Return a TLS connection to nginx (its certificate is our own, not checked)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context.wrap_socket(socket.create_connection((HOST, port), timeout=10))


def slow_clients(port: int, count: int, *, tls: bool, in_body: int = 0) -> list[socket.socket]:
    """Open count connections that send the start of a request and then nothing (in_body of them
    send whole headers and stall in the body they announced)."""
    opened = []
    for n in range(count):
        sock = tls_socket(port) if tls else socket.create_connection((HOST, port), timeout=10)
        if n >= in_body:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: enquete.genk.be\r\nX-Slow: ")
        else:
            # A form: the app reads the whole body (for its CSRF token) before it can answer.
            sock.sendall(b"POST /language HTTP/1.1\r\nHost: enquete.genk.be\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nlanguage=")
        opened.append(sock)
    return opened


def test_slow_clients_stall_gunicorn_alone_but_not_behind_nginx(stack):
    # The attack of issue 13: connections that send slowly take every gunicorn thread. With two
    # workers, which one takes a connection is the kernel's choice, so the attack is shown on one
    # worker of the same settings (GUNICORN_WORKERS=1): eight slow clients, and a resident waits.
    alone = find_free_port()
    env = stack["env"] | {"GUNICORN_WORKERS": "1", "GUNICORN_BIND": f"{HOST}:{alone}"}
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "survey_app:create_app()"]
    with started(gunicorn, env=env, log=stack["folder"] / "gunicorn-alone.log", ready=listening(alone)):
        urllib.request.urlopen(f"http://{HOST}:{alone}/", timeout=60).read()
        stalled = slow_clients(alone, THREADS, tls=False)
        try:
            time.sleep(1)
            with pytest.raises(OSError):  # a timeout: nobody is left to answer
                urllib.request.urlopen(f"http://{HOST}:{alone}/", timeout=5).read()
        finally:
            for sock in stalled:
                sock.close()
    # Behind nginx, 24 slow clients (16 of them stalled in a form's body, which nginx must buffer
    # too) are held by nginx, and residents are served.
    stalled = slow_clients(stack["https"], 3 * THREADS, tls=True, in_body=2 * THREADS)
    try:
        time.sleep(1)
        for _ in range(5):
            # Stalled, a request waits until nginx drops the slow clients (client_body_timeout,
            # 10 s): a timeout here. Served, it takes well under a second; the margin is for a
            # machine busy with the rest of the suite.
            begun = time.monotonic()
            status, _, _ = https(stack, "GET", "/", timeout=6)
            assert status == 200 and time.monotonic() - begun < 5
    finally:
        for sock in stalled:
            sock.close()


def test_the_access_log_holds_no_address_and_no_query(stack):
    https(stack, "GET", "/?secret=yes", headers={"User-Agent": "Tablet-77"})
    time.sleep(0.2)
    log = (stack["folder"] / "access.log").read_text()
    assert "GET / 200" in log
    assert HOST not in log and "secret" not in log and "Tablet-77" not in log
