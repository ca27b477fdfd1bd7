"""A live server on a free port with the demo data, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("PRECX_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`precx db upgrade`, `precx demo` and `precx serve`, as `make run` does."""
    port = _free_port()
    db = tmp_path_factory.mktemp("live") / "precx.db"
    env = {
        **os.environ,
        "PRECX_DATABASE_URL": f"sqlite:///{db}",
        "PRECX_PORT": str(port),
        "PRECX_DEMO": "true",
        "PRECX_LOG_LEVEL": "warning",
    }
    precx = [sys.executable, "-m", "precx"]
    subprocess.run([*precx, "db", "upgrade"], env=env, check=True, cwd=ROOT)
    subprocess.run([*precx, "catalog", "load"], env=env, check=True, cwd=ROOT)
    subprocess.run([*precx, "demo", "--if-new"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen([*precx, "serve"], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the live server did not start")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()


class Shots:
    """Saves a screenshot of each page a journey visits, named after the test and the step."""

    def __init__(self, page: Page, test_name: str) -> None:
        self.page = page
        self.folder = ARTIFACTS / test_name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(page: Page, request: pytest.FixtureRequest) -> Shots:
    return Shots(page, request.node.name)


DEMO_PASSWORD = "precx-demo-2026"


def log_in(page: Page, base: str, email: str) -> None:
    """Log in as a demo user (anyone logged in before is logged out first)."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
