"""The documentation site: built with warnings as errors, every lecture executed, pages seen in Chromium.

The build runs each lecture in both languages top to bottom (myst-nb, ``NNSCRATCH_QUICK=1``), so a
failing cell fails this module; it is the only place the lectures run, so CI runs them once.
CI (``CI`` set) installs everything this needs; elsewhere a missing tool skips the test.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnscratch.lectures import notebooks

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "_build" / "screenshots"
LECTURE_NAMES = [Path(source.name).stem for source in notebooks.lecture_sources("en")]


def need(condition, what):
    """Skip without ``what``, except in CI, where it must be there."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide {what} (see .ci/run and pyproject's test extra)")
    pytest.skip(f"needs {what}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site into a fresh folder (no cached lecture outputs); return its HTML folder."""
    for module in ("sphinx", "myst_nb", "jupytext", "ipykernel"):
        need(shutil.which("true") and _importable(module), f"the Python package {module}")
    need(Path("/usr/share/javascript/mathjax/MathJax.js").is_file(), "Debian's libjs-mathjax")
    build = tmp_path_factory.mktemp("docs")
    env = {**os.environ, "NNSCRATCH_QUICK": "1", "NNSCRATCH_DOCS_BUILD": str(build)}
    env.pop("MPLBACKEND", None)  # the kernel's inline backend is what puts the plots on the pages
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-d", build / "doctrees"]
    start = time.perf_counter()
    run = subprocess.run([*command, ROOT / "docs", build / "html"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "timing.json").write_text(json.dumps({"docs_build_seconds": round(seconds, 1)}))
    assert run.returncode == 0, f"docs build failed:\n{run.stdout[-4000:]}\n{run.stderr[-6000:]}"
    return build / "html", run


def _importable(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


# A kernel's teardown race, not the build's: while nbclient shuts a lecture's kernel down, the
# kernel's event loop may still poll a ZMQ socket that was just closed, and tornado logs the
# ENOTSOCK error it gets (ipykernel fixed the same race on the IOPub path, ipython/ipykernel#1518).
# Only this exact block is set aside; the build itself has already exited 0 under -W.
KERNEL_TEARDOWN_RACE = re.compile(
    r"^ERROR:tornado\.general:Uncaught exception in ZMQStream callback\n"
    r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*"
    r"zmq\.error\.ZMQError: Socket operation on non-socket$",
    re.M,
)


def build_warnings(stderr):
    """The lines of a docs build's standard error that report a WARNING or an ERROR.

    The kernels' own notices (``[IPKernelApp] WARNING``) and their teardown race are not the build's.
    """
    stderr = KERNEL_TEARDOWN_RACE.sub("", stderr)
    warnings = [line for line in stderr.splitlines() if re.search(r"\b(WARNING|ERROR)\b", line)]
    return [line for line in warnings if "IPKernelApp" not in line]


def test_build_warnings_set_aside_only_the_kernel_teardown_race():
    race = (
        "ERROR:tornado.general:Uncaught exception in ZMQStream callback\n"
        "Traceback (most recent call last):\n"
        '  File "zmq/eventloop/zmqstream.py", line 609, in _handle_events\n'
        "    self._rebuild_io_state()\n"
        '  File "_zmq.py", line 190, in zmq.backend.cython._zmq._check_rc\n'
        "zmq.error.ZMQError: Socket operation on non-socket\n"
    )
    sphinx = "docs/api.md:3: WARNING: undefined label\n"
    other = "ERROR:tornado.general:Uncaught exception in ZMQStream callback\nValueError: something else\n"
    kernel = "[IPKernelApp] WARNING | Kernel is running over TCP without encryption.\n"
    assert build_warnings(kernel + race + kernel) == []
    assert build_warnings(race + sphinx) == [sphinx.strip()]
    assert build_warnings(other) == [other.splitlines()[0]]


def test_build_is_clean(site):
    html, run = site
    assert build_warnings(run.stderr) == []
    for page in ("index", "getting-started", "guide/training", "guide/sweeps", "api", "benchmarks", "contributing"):
        assert (html / f"{page}.html").is_file(), page
    api = (html / "api.html").read_text(encoding="utf-8")
    assert "TwoLayerNet" in api and "Parameters" in api and "write_lectures" in api


def expected_figures(lang, name):
    """Top-level lines that show a figure (``plt.show()`` or lecture 9's ``plot_curves(``)."""
    source = next(s for s in notebooks.lecture_sources(lang) if s.name == f"{name}.py").read_text(encoding="utf-8")
    return len(re.findall(r"(?m)^(plt\.show\(\)|plot_curves\()", source))


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("name", LECTURE_NAMES)
def test_every_lecture_ran_with_its_outputs_and_plots(site, lang, name):
    html, _ = site
    page = (html / "lectures" / lang / f"{name}.html").read_text(encoding="utf-8")
    assert "Traceback" not in page and "output traceback" not in page
    assert page.count('class="cell_output') >= 5, "the code cells' outputs are on the page"
    figures = len(re.findall(r'<img [^>]*src="[^"]*_images/', page))
    assert figures >= expected_figures(lang, name)
    assert "check-yourself" in page  # the tagged cell, ready to be swapped for nnscratch.check
    if lang == "ko":
        assert len(re.findall(r"[\uac00-\ud7a3]", page)) > 200


@pytest.fixture(scope="module")
def browser():
    need(_importable("playwright"), "Playwright for Python")
    need(CHROMIUM.is_file(), "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser, path):
    """Load ``path``; return the page and what went wrong (console errors, failures, remote loads)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("request", lambda r: r.url.startswith(("file:", "data:")) or problems.append(f"remote: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


def test_index_and_a_korean_lecture_render_offline_in_chromium(site, browser):
    html, _ = site
    page, problems = open_page(browser, html / "index.html")
    assert "nnscratch" in page.title()
    page.screenshot(path=SCREENSHOTS / "index.png", full_page=True)
    page.close()

    page, problems_lecture = open_page(browser, html / "lectures" / "ko" / "07_spiral.html")
    # The formulas, typeset by the site's own MathJax.
    page.wait_for_selector(".MathJax_SVG svg", state="attached", timeout=60_000)
    images = page.eval_on_selector_all(".cell_output img", "els => els.map(e => e.complete && e.naturalWidth)")
    assert len(images) >= expected_figures("ko", "07_spiral") and all(width > 0 for width in images)
    assert "나선형 데이터" in page.inner_text("h1")
    page.screenshot(path=SCREENSHOTS / "lecture-ko-07_spiral.png", full_page=False)
    page.locator(".cell_output img").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "lecture-ko-07_spiral-plots.png")
    page.close()
    assert problems + problems_lecture == []
