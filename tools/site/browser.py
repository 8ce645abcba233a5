"""Headless Chromium with the network cut, driven over the DevTools protocol (Playwright).

Debian's ``chromium`` is used (Playwright downloads no browser of its own). The network is cut
where the system allows it (root, or unprivileged user namespaces) by starting Chromium in a
network namespace of its own (``unshare --net``), whose only interface is a loopback that is
down, so no packet can leave. In every case, host names resolve to nothing
(``--host-resolver-rules``) and every connection but one to 127.0.0.1 goes to a proxy on a
closed local port (``--proxy-server``), so an address written as numbers cannot leave either.
Every request a page makes is recorded (``page.requests`` and :attr:`Browser.requests`), so
that a test can show what was asked for, not only that it failed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

#: Phone (an iPhone 12-15 is 390 CSS pixels wide) and desktop viewports for screenshots.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--no-first-run",
    "--disable-quic",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9",  # nothing listens there; loopback addresses bypass proxies
)


def chromium() -> str | None:
    """Path of Debian's Chromium, or ``None`` when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def can_cut_network() -> bool:
    """Whether this machine lets a process start in a network namespace of its own."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@dataclass
class Browser:
    """A running Chromium: its Playwright handle, and every request its pages made."""

    handle: object
    network_namespace: bool
    requests: list[str] = field(default_factory=list)

    def new_page(self, viewport: dict[str, int] | None = None, *, phone: bool = False):
        """A fresh page in a context of its own: its requests are kept in ``.requests`` (and in
        the browser's), its console errors, uncaught exceptions and failed loads in ``.errors``."""
        context = self.handle.new_context(
            viewport=viewport or DESKTOP, is_mobile=phone, has_touch=phone,
            device_scale_factor=1, service_workers="block",
        )  # fmt: skip
        page = context.new_page()
        page.requests, page.errors = [], []
        context.on("request", lambda request: page.requests.append(request.url))
        context.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("requestfailed", lambda r: page.errors.append(f"failed: {r.url} {r.failure}"))
        return page


@contextmanager
def offline_chromium(*, loopback: bool = False) -> Iterator[Browser]:
    """Start Chromium with the network cut; ``loopback=True`` keeps 127.0.0.1 reachable.

    A server on 127.0.0.1 (JupyterLab) cannot be reached from another network namespace, so
    with ``loopback=True`` only the host-name rules and the request record cut the network.
    """
    from playwright.sync_api import sync_playwright

    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed: apt-get install chromium")
    namespace = not loopback and can_cut_network()
    with tempfile.TemporaryDirectory(prefix="chromium-") as tmp:
        executable = binary
        if namespace:
            executable = str(Path(tmp) / "chromium-no-network")
            Path(executable).write_text(
                f'#!/bin/sh\nexec {shutil.which("unshare")} --net {binary} "$@"\n'
            )
            Path(executable).chmod(0o755)
        with sync_playwright() as playwright:
            handle = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
            try:
                yield Browser(handle, namespace)
            finally:
                handle.close()


def screenshots(site: Path, out_dir: Path, notebook: str, chromium: Browser | None = None):
    """PNGs of the home page and of ``notebook``'s page (a stem), at phone and desktop width.

    Each page is shot as a reader first sees it (the top of the page), and the notebook page
    once more scrolled to its first figure, to see how a figure fits a phone. A running
    ``chromium`` may be given; otherwise one is started (with the network cut) and stopped.
    """
    if chromium is None:
        with offline_chromium() as chromium:
            return screenshots(site, out_dir, notebook, chromium)
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {"home": site / "index.html", "notebook": site / "notebooks" / f"{notebook}.html"}
    written: list[Path] = []
    for (name, path), (size, viewport) in product(pages.items(), SIZES.items()):
        page = chromium.new_page(viewport, phone=size == "phone")
        page.goto(path.as_uri(), wait_until="load")
        written.append(out_dir / f"site-{name}-{size}.png")
        page.screenshot(path=written[-1])
        if name == "notebook":
            page.locator(".cell_output img").first.scroll_into_view_if_needed()
            written.append(out_dir / f"site-{name}-figure-{size}.png")
            page.screenshot(path=written[-1])
        page.context.close()
    return written
