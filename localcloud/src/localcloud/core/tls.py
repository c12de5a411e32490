"""The local cloud's certificate authority: TLS endpoints that clients verify, as they verify AWS's.

ElastiCache presents certificates from a public CA, so a client that checks the server (hostname and
chain) connects to AWS with its default trust store. Locally the caches present a certificate for
127.0.0.1 issued by this authority, created once per local cloud under its state directory, and the
local cloud's functions trust it next to the system's CAs (`SSL_CERT_FILE` points at the bundle), so the
same verifying client code works in both places. Clients on the host fetch the authority's certificate
from `GET /_localcloud/tls/ca.pem`.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

DAYS = "30"


@dataclass(frozen=True)
class ServerCertificate:
    certificate: Path
    key: Path


class CertificateAuthority:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.certificate = directory / "ca.crt"
        self._key = directory / "ca.key"
        self.trust_bundle = directory / "trust.pem"
        self._lock = threading.Lock()

    def _openssl(self, *arguments: str) -> None:
        done = subprocess.run(["openssl", *arguments], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"openssl {arguments[0]} failed: {done.stderr.strip()[-1000:]}")

    def ensure(self) -> Path:
        """Create the authority and the trust bundle once; the bundle's path."""
        with self._lock:
            if self.trust_bundle.exists():
                return self.trust_bundle
            self.directory.mkdir(parents=True, exist_ok=True)
            self._openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                DAYS,
                "-subj",
                "/CN=localcloud certificate authority",
                "-keyout",
                str(self._key),
                "-out",
                str(self.certificate),
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            )
            self._key.chmod(0o600)
            system = Path(ssl.get_default_verify_paths().openssl_cafile)
            system_cas = system.read_text() if system.is_file() else ""
            bundle = self.trust_bundle.with_suffix(".tmp")
            bundle.write_text(system_cas.rstrip("\n") + "\n" + self.certificate.read_text())
            bundle.rename(self.trust_bundle)
            return self.trust_bundle

    def issue(
        self, name: str, addresses: tuple[str, ...] = ("127.0.0.1",), dns_names: tuple[str, ...] = ()
    ) -> ServerCertificate:
        """A server certificate for `addresses`, localhost and `dns_names` (issued once per name)."""
        self.ensure()
        issued = ServerCertificate(self.directory / f"{name}.crt", self.directory / f"{name}.key")
        with self._lock:
            if issued.certificate.exists():
                return issued
            request = self.directory / f"{name}.csr"
            extensions = self.directory / f"{name}.ext"
            names = ",".join(
                [f"IP:{address}" for address in addresses] + [f"DNS:{dns}" for dns in ("localhost", *dns_names)]
            )
            extensions.write_text(
                f"subjectAltName={names}\nextendedKeyUsage=serverAuth\n"
                "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,"
                "keyEncipherment\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
            )
            self._openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                f"/CN={addresses[0]}",
                "-keyout",
                str(issued.key),
                "-out",
                str(request),
            )
            self._openssl(
                "x509",
                "-req",
                "-in",
                str(request),
                "-CA",
                str(self.certificate),
                "-CAkey",
                str(self._key),
                "-CAcreateserial",
                "-days",
                DAYS,
                "-extfile",
                str(extensions),
                "-out",
                str(issued.certificate),
            )
            issued.key.chmod(0o600)
            request.unlink()
            extensions.unlink()
            return issued
