"""Error pages: a refused request leaves the connection fit for the next one."""

import socket

import pytest

from bench.servers import Gunicorn, server_environment


def _exchange(sock, request: bytes) -> bytes:
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head


def _oversized_post(size: int) -> bytes:
    body = b"x" * size
    return (b"POST /api/responses HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % size + body)


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn gthread as the README runs it, on an empty SQLite file (nothing here reads it)."""
    folder = tmp_path_factory.mktemp("gunicorn")
    env = server_environment(f"sqlite:///{folder / 'survey.sqlite3'}", synchronous="full")
    with Gunicorn("survey_app:create_app()", env=env, workers=1, worker_class="gthread", threads=4,
                  log=folder / "gunicorn.log") as server:
        yield server


def test_after_a_413_the_kept_alive_connection_serves_the_next_request(production_server):
    host, port = production_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = _exchange(sock, _oversized_post(300_000))
        assert head.startswith(b"HTTP/1.1 413")
        again = _exchange(sock, b"GET /api/csrf HTTP/1.1\r\nHost: t\r\n\r\n")
        assert again.startswith(b"HTTP/1.1 200"), again


def test_a_413_far_too_large_to_read_closes_the_connection_and_says_so(app):
    client = app.test_client()
    response = client.post("/api/responses", data=b"x" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.headers["Connection"] == "close"
    small = client.post("/api/responses", data=b"x" * 300_000, content_type="application/json")
    assert small.status_code == 413 and "Connection" not in small.headers
