"""The HTTP client's TLS context reads the system trust store late, never verifies less."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmtpl.errors import NetworkError
from crmtpl.http import HttpClient, HttpRequest, HttpSettings
from crmtpl.tlscontext import system_trust_context


def test_it_is_create_default_context_with_the_store_read_on_first_use() -> None:
    deferred = system_trust_context()
    eager = ssl.create_default_context()
    for name in ("protocol", "verify_mode", "check_hostname", "options", "verify_flags"):
        assert getattr(deferred, name) == getattr(eager, name), name
    assert deferred.minimum_version == eager.minimum_version
    assert deferred.maximum_version == eager.maximum_version
    assert deferred.get_ciphers() == eager.get_ciphers()
    assert deferred.cert_store_stats()["x509_ca"] == 0  # nothing read yet
    deferred._load_trust()  # type: ignore[attr-defined]
    assert deferred.cert_store_stats() == eager.cert_store_stats()
    assert deferred.get_ca_certs() == eager.get_ca_certs()


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTPS server on 127.0.0.1 with a self-signed certificate (its PEM file)."""
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is part of the test machine (Debian's openssl)"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/", cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_untrusted_certificate_is_refused_with_the_deferred_store(
    tls_server: tuple[str, Path],
) -> None:
    url, _ = tls_server
    with HttpClient(HttpSettings()) as http, pytest.raises(NetworkError) as caught:
        http.send(HttpRequest("GET", url))
    assert "certificate" in str(caught.value).lower()


def test_a_ca_bundle_still_trusts_its_certificate(tls_server: tuple[str, Path]) -> None:
    url, cert = tls_server
    with HttpClient(HttpSettings(ca_bundle=cert)) as http:
        assert http.send(HttpRequest("GET", url)).text == "ok"
