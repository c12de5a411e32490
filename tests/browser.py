"""A real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium) for the front-end
patterns' proofs: it opens the local edge over TLS, trusting exactly the local cloud's authority, runs the
page's JavaScript, and keeps what the page logged. Each step's screenshot is kept under build/browser/."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import socket
import ssl
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness import ROOT, certificate_authority

SCREENSHOTS = ROOT / "build" / "browser"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"


def spki_hash(certificate: x509.Certificate) -> str:
    """Base64 SHA-256 of a certificate's public key: what Chromium's --ignore-certificate-errors-spki-list names."""
    der = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def edge_keys(cloud: Any) -> list[str]:
    """The keys Chromium may accept without a public authority: the local cloud's authority and the edge
    certificate it issued, once verified against that authority here."""
    authority = certificate_authority(cloud)
    url = urllib.parse.urlsplit(
        json.loads(urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/cloudfront/edge").read())["https"]
    )
    context = ssl.create_default_context(cadata=authority)
    context.check_hostname = False  # verified against the authority; the name is the edge's, not an IP
    with socket.create_connection((str(url.hostname), int(url.port or 443)), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="edge.cloudfront.localhost") as tls:
            served = tls.getpeercert(binary_form=True)
    return [
        spki_hash(x509.load_pem_x509_certificate(authority.encode())),
        spki_hash(x509.load_der_x509_certificate(served)),
    ]


def distribution_page(cloud: Any, distribution_id: str, path: str = "/") -> str:
    """Where a browser opens a distribution on the local edge (`localcloud url`), with a path."""
    from localcloud.cli import distribution_url

    base = distribution_url(cloud, distribution_id)
    if base is None:
        raise AssertionError(f"no distribution {distribution_id} on the local edge")
    return base.rstrip("/") + path


class Browser:
    def __init__(self, driver: Any, folder: Path) -> None:
        self.driver = driver
        self.folder = folder
        self.steps = 0

    def open(self, url: str) -> None:
        self.driver.get(url)

    def step(self, name: str) -> None:
        """A screenshot of the page as it is now, numbered in the order the test took them."""
        self.steps += 1
        self.driver.save_screenshot(
            str(self.folder / f"{self.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png")
        )

    def text(self, css: str) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.CSS_SELECTOR, css).text)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(lambda _: condition())
        except TimeoutException:
            self.step(f"timed out {what}")
            raise AssertionError(
                f"the page did not show {what} within {timeout} s; screenshots in {self.folder}"
            ) from None

    def console(self) -> list[dict[str, Any]]:
        """What the page logged (console messages, failed loads, CSP violations) since the last call."""
        return list(self.driver.get_log("browser"))

    def errors(self) -> list[str]:
        return [entry["message"] for entry in self.console() if entry.get("level") == "SEVERE"]


@contextmanager
def chromium(cloud: Any, name: str) -> Iterator[Browser]:
    """A headless Chromium that trusts the local cloud's authority and no other unknown one."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = next((path for path in CHROMIUM if Path(path).exists()), None)
    if binary is None or not Path(CHROMEDRIVER).exists():
        raise RuntimeError("Chromium is missing: `make install` installs Debian's chromium and chromium-driver")
    folder = SCREENSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the suite may run as root, where Chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--window-size=1024,768",
        f"--user-data-dir={profile}",
        f"--ignore-certificate-errors-spki-list={','.join(edge_keys(cloud))}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)  # a stalled edge fails the test in a minute, not WebDriver's five
    try:
        yield Browser(driver, folder)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
