"""Fixtures for browser tests: a Solara server subprocess and Debian's headless Chromium.

Only tests under tests/browser/ see these fixtures, so the rest of the test suite
never imports Playwright. Before running them once on a machine:

    scripts/prepare-viz .venv/bin/python   # chromium + Solara's offline CDN cache

Fixtures (see docs/offline-viz.md):

* ``solara_server(app, *, production=True, offline=True, env=None, timeout=60.0)``
  -- session-scoped factory: starts ``python -m solara run APP`` on 127.0.0.1 at a
  free port, waits until it answers and returns a ``SolaraServer`` (``.url``,
  ``.log_text()``, ``.start_seconds``). The same arguments give the same running
  server for the whole session; every server is stopped at session end, also when
  tests fail. ``offline=True`` points Solara's CDN at a dead loopback port so a
  cache miss can never leave the machine (it shows as a 404 instead).
* ``page`` -- pytest-playwright's page, with ``page_problems`` recording attached and
  a screenshot saved to runs/browser-artifacts/<test name>.png at teardown.
* ``page_problems`` -- the ``PageProblems`` recorder of this test's page:
  ``.assert_none(ignore=(regex, ...))``.
* ``open_solara(url, *, ready_button="Step", timeout=30.0)`` -- goto + wait until the
  Solara page has rendered; returns the seconds it took.
* ``save_screenshot(suffix="")`` -- save a screenshot now (``<test name><suffix>.png``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "runs" / "browser-artifacts"
BROWSER_DIR = Path(__file__).resolve().parent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# loopback port 9 ("discard"): nothing listens, so a proxy-cache miss fails at once
DEAD_CDN = "http://127.0.0.1:9/npm/"
PAGE_TIMEOUT_MS = 15_000
LOCAL_URL = re.compile(
    r"^(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?/|^(?:data|blob|about):"
)

try:  # the browser tests need the test extra; without it they are skipped, not errors
    import playwright  # noqa: F401
    import pytest_playwright  # noqa: F401

    _MISSING_PLAYWRIGHT = ""
except ImportError as exc:  # pragma: no cover - depends on the environment
    _MISSING_PLAYWRIGHT = (
        f"playwright/pytest-playwright not installed ({exc}); pip install -e '.[test]'"
    )


def _missing_browser_reason() -> str:
    if _MISSING_PLAYWRIGHT:
        return _MISSING_PLAYWRIGHT
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} missing: run scripts/prepare-viz"
    return ""


def pytest_configure(config: pytest.Config) -> None:
    # pytest-base-url (pulled in by pytest-playwright) trips a pytest 9 deprecation
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark everything under tests/browser as ``browser``; skip it when the browser
    stack is missing -- except under CI (CI=true), where that is an error."""
    reason = _missing_browser_reason()
    for item in items:
        if BROWSER_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        # under CI a missing browser stack must fail loudly, so only skip elsewhere
        if reason and os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
            item.add_marker(pytest.mark.skip(reason=reason))


# --------------------------------------------------------------------------- server


@dataclass
class SolaraServer:
    """A ``solara run`` subprocess bound to 127.0.0.1."""

    app: str
    port: int
    process: subprocess.Popen
    log_path: Path
    start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        # the server runs in its own process group (start_new_session): end that group
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(5)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CDN_URL = re.compile(r"""(/_solara/cdn/[^"'\s<>?#]+)""")


def _check_cdn_cache(server: SolaraServer, html: str, timeout: float) -> None:
    """GET every /_solara/cdn/ asset the page HTML names; a miss means the proxy
    cache is not filled (with offline=True the server cannot fetch it)."""
    for path in sorted(set(CDN_URL.findall(html))):
        url = server.url.rstrip("/") + path
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                ok = resp.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        if not ok:
            raise RuntimeError(
                f"{path} is not in Solara's CDN proxy cache: "
                f"run scripts/prepare-viz {sys.executable}"
                " (and re-check its package list after a solara upgrade)"
            )


def start_solara_server(
    app: str | os.PathLike,
    *,
    production: bool = True,
    offline: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    log_dir: Path | None = None,
) -> SolaraServer:
    """Start ``solara run APP`` on 127.0.0.1 and wait (at most ``timeout`` s) until it
    answers; with ``offline`` also check that the page's CDN assets are cached."""
    app = str(app)
    port = _free_port()
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="solara-server-"))
    log_path = log_dir / f"solara-{port}.log"
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-open",
    ]
    if production:
        cmd.append("--production")
    full_env = dict(os.environ)
    full_env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "MPLBACKEND": "Agg",
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no calls home from the server
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO_ROOT), full_env.get("PYTHONPATH", "")) if p
            ),
        }
    )
    if offline:
        full_env["SOLARA_ASSETS_CDN"] = DEAD_CDN
    full_env.update(env or {})
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = SolaraServer(app=app, port=port, process=proc, log_path=log_path)
    deadline = t0 + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"solara server for {app} exited with {proc.returncode}:\n"
                    + server.log_text()[-4000:]
                )
            try:
                with urllib.request.urlopen(server.url, timeout=5) as resp:
                    if resp.status == 200:
                        html = resp.read().decode("utf-8", "replace")
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"solara server for {app} not answering after {timeout:.0f}s:\n"
                    + server.log_text()[-4000:]
                )
            time.sleep(0.1)
        server.start_seconds = time.monotonic() - t0
        if offline:
            _check_cdn_cache(server, html, timeout=max(5.0, deadline - time.monotonic()))
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def solara_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., SolaraServer]]:
    """Factory: ``solara_server(app, **kw) -> SolaraServer``; one server per distinct
    arguments per session, all stopped at session end (also after failures).

    ``app`` is anything ``solara run`` takes: a file path or a module name such as
    ``sandbox.viz.app`` (the repo root is on PYTHONPATH and is the working directory).
    """
    servers: dict[tuple, SolaraServer] = {}
    log_dir = tmp_path_factory.mktemp("solara-logs")

    def start(
        app: str | os.PathLike,
        *,
        production: bool = True,
        offline: bool = True,
        env: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> SolaraServer:
        key = (str(app), production, offline, tuple(sorted((env or {}).items())))
        server = servers.get(key)
        if server is None or server.process.poll() is not None:
            failure = ""
            try:
                server = start_solara_server(
                    app,
                    production=production,
                    offline=offline,
                    env=env,
                    timeout=timeout,
                    log_dir=log_dir,
                )
            except (RuntimeError, TimeoutError) as exc:
                failure = str(exc)
            if failure:
                pytest.fail(failure, pytrace=False)
            servers[key] = server
        return server

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's chromium (Playwright cannot download its own browser here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*CHROMIUM_ARGS, *browser_type_launch_args.get("args", [])],
        "timeout": 30_000,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@dataclass
class PageProblems:
    """What went wrong on a page: JS exceptions, console errors, failed or >=400
    requests, and requests that left the machine."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on(
            "pageerror",
            lambda exc: self.page_errors.append(
                f"{exc}\n{getattr(exc, 'stack', '') or ''}".strip()
            ),
        )
        page.on("console", self._on_console)
        page.on(
            "requestfailed",
            lambda req: self.failed_requests.append(f"{req.method} {req.url}: {req.failure}"),
        )
        page.on("response", self._on_response)
        page.on("request", self._on_request)

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_response(self, resp) -> None:
        if resp.status >= 400:
            self.failed_requests.append(f"{resp.request.method} {resp.url}: HTTP {resp.status}")

    def _on_request(self, req) -> None:
        if not LOCAL_URL.match(req.url):
            self.external_requests.append(f"{req.method} {req.url}")

    def problems(self, ignore: Iterable[str] = ()) -> list[str]:
        pats = [re.compile(p) for p in ignore]
        out = []
        for kind, items in (
            ("page error", self.page_errors),
            ("console error", self.console_errors),
            ("failed request", self.failed_requests),
            ("external request", self.external_requests),
        ):
            out += [f"{kind}: {text}" for text in items if not any(p.search(text) for p in pats)]
        return out

    def assert_none(self, ignore: Iterable[str] = ()) -> None:
        """Fail listing every problem not matched by one of the ``ignore`` regexes."""
        found = self.problems(ignore)
        assert not found, "problems on the page:\n" + "\n".join(found)


_PROBLEMS = pytest.StashKey[PageProblems]()


def _artifact_path(node_name: str, suffix: str = "") -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", node_name + suffix)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR / f"{safe}.png"


@pytest.fixture
def page(page, request: pytest.FixtureRequest):
    """pytest-playwright's page with problem recording and a screenshot at teardown."""
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_default_navigation_timeout(PAGE_TIMEOUT_MS * 2)
    recorder = PageProblems()
    recorder.attach(page)
    request.node.stash[_PROBLEMS] = recorder
    yield page
    try:
        page.screenshot(path=str(_artifact_path(request.node.name)), full_page=True, timeout=10_000)
    except Exception as exc:  # a closed or crashed page must not hide the real failure
        print(f"screenshot of {request.node.name} failed: {exc}", file=sys.stderr)


@pytest.fixture
def page_problems(page, request: pytest.FixtureRequest) -> PageProblems:
    return request.node.stash[_PROBLEMS]


@pytest.fixture
def save_screenshot(page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``save_screenshot(suffix="") -> Path``: runs/browser-artifacts/<test name><suffix>.png."""

    def save(suffix: str = "") -> Path:
        path = _artifact_path(request.node.name, suffix)
        page.screenshot(path=str(path), full_page=True, timeout=10_000)
        return path

    return save


@pytest.fixture
def open_solara(page) -> Callable[..., float]:
    """``open_solara(url, *, ready_button="Step", timeout=30.0) -> seconds``: load a
    Solara page and wait until the button named ``ready_button`` is visible (Mesa's
    SolaraViz has Reset / Step); ``ready_button=None`` waits for the app's root only."""

    def open_(url: str, *, ready_button: str | None = "Step", timeout: float = 30.0) -> float:
        t0 = time.monotonic()
        page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
        if ready_button:
            page.get_by_role("button", name=ready_button).wait_for(
                state="visible", timeout=timeout * 1000
            )
        else:
            page.locator(".v-application").first.wait_for(state="visible", timeout=timeout * 1000)
        return time.monotonic() - t0

    return open_
