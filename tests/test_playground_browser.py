"""The playground's page in a real headless browser: Debian's chromium driven by Playwright.

No browser is downloaded: Playwright starts /usr/bin/chromium (``apt-get install chromium``).
Without it or Playwright these tests skip, unless NNSCRATCH_REQUIRE_BROWSER is set (CI sets
it), where they fail instead.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = bool(os.environ.get("NNSCRATCH_REQUIRE_BROWSER"))

if not CHROMIUM.exists() or not __import__("importlib").util.find_spec("playwright"):
    if REQUIRED:
        raise RuntimeError("NNSCRATCH_REQUIRE_BROWSER is set but /usr/bin/chromium or playwright is missing")
    pytest.skip("needs Debian's chromium and playwright (pip install '.[test]')", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from nnscratch.playground.server import PlaygroundServer  # noqa: E402

TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server():
    running = PlaygroundServer(port=0).start()
    yield running
    running.shutdown()


@pytest.fixture
def open_page(browser, server):
    """``open_page(query)`` loads the page; at the end, no console error may have happened."""
    context = browser.new_context(viewport={"width": 1300, "height": 950}, accept_downloads=True)
    errors = []

    def load(query=""):
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url + query)
        expect(page.get_by_test_id("loss-train")).to_have_text(re.compile(r"^\d"))  # the first frame is drawn
        return page

    yield load
    context.close()
    assert errors == []


def number(page, testid):
    return float(page.get_by_test_id(testid).inner_text())


def wait_until(condition, timeout=TIMEOUT_MS / 1000):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def settled(page):
    """Epoch and train loss once the last frame after a pause is drawn (the epoch holds still)."""
    shown = None
    while True:
        time.sleep(0.3)
        now = (page.get_by_test_id("epoch").inner_text(), page.get_by_test_id("loss-train").inner_text())
        if now == shown:
            return now
        shown = now


def boundary_pixels(page):
    return page.evaluate(
        "() => { const c = document.querySelector('[data-testid=boundary]');"
        " const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " return Array.from(data.filter((_, i) => i % 7 === 0)); }"
    )


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_play_trains_halves_the_loss_and_redraws_the_boundary(open_page, dataset):
    page = open_page(f"?dataset={dataset}&optimizer=adam&lr=0.03&hidden=6,4")
    start, pixels = number(page, "loss-train"), boundary_pixels(page)
    assert number(page, "epoch") == 0
    page.get_by_test_id("play").click()
    wait_until(lambda: number(page, "loss-train") <= start / 2)
    page.get_by_test_id("pause").click()
    assert number(page, "epoch") > 0
    assert boundary_pixels(page) != pixels


def test_learning_rate_zero_keeps_the_loss_flat(open_page):
    page = open_page()
    page.get_by_test_id("learning-rate").select_option("0")
    expect(page).to_have_url(re.compile("lr=0&"))
    start = page.get_by_test_id("loss-train").inner_text()
    page.get_by_test_id("play").click()
    wait_until(lambda: number(page, "epoch") >= 50)
    assert page.get_by_test_id("loss-train").inner_text() == start


def test_adding_a_neuron_and_a_layer_adds_their_canvases(open_page):
    page = open_page()
    expect(page.get_by_test_id("neuron-0-3")).to_be_visible()
    expect(page.get_by_test_id("neuron-0-4")).to_have_count(0)
    page.get_by_test_id("add-neuron-0").click()
    expect(page.get_by_test_id("neuron-0-4")).to_be_visible()
    page.get_by_test_id("add-layer").click()
    expect(page.get_by_test_id("neuron-2-1")).to_be_visible()
    page.get_by_test_id("remove-layer").click()
    expect(page.get_by_test_id("neuron-2-0")).to_have_count(0)


def test_gradient_check_passes_and_a_layer_shows_its_code(open_page):
    page = open_page("?activation=sigmoid&hidden=5")
    page.get_by_test_id("gradcheck").click()
    expect(page.get_by_test_id("gradcheck-result")).to_contain_text("Gradient check: pass")
    expect(page.get_by_test_id("gradcheck-result")).to_contain_text("layers.2.W")
    page.get_by_text("layer 1", exact=True).click()
    expect(page.get_by_test_id("code")).to_contain_text("dout * self.out * (1.0 - self.out)")
    expect(page.get_by_test_id("code")).to_contain_text("W [2,5]")


def test_step_mode_walks_one_update_for_a_clicked_point(open_page):
    page = open_page("?hidden=3")
    page.get_by_test_id("step-mode").check()
    page.get_by_test_id("boundary").click(position={"x": 160, "y": 160})
    text = page.get_by_test_id("trace-text")
    expect(text).to_contain_text("0: Affine(in_features=2, out_features=3)  [1,2] -> [1,3]")
    for stage in ("loss = -log softmax[t]", "dW [3,2]", "layers.0.W [2,3]"):
        page.get_by_test_id("trace-next").click()
        expect(text).to_contain_text(stage)


def test_export_script_reaches_the_pages_loss(open_page, tmp_path):
    page = open_page("?dataset=moons&hidden=5,3&activation=relu&optimizer=adam&lr=0.01&dropout=0.1&seed=3")
    page.get_by_test_id("play").click()
    wait_until(lambda: number(page, "epoch") >= 30)
    page.get_by_test_id("pause").click()
    epoch, loss = settled(page)
    page.get_by_test_id("export").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-script").click()
    script = tmp_path / download.value.suggested_filename
    download.value.save_as(script)
    result = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    reached = re.search(r"epoch (\d+): train loss (\S+)", result.stdout)
    assert reached.group(1) == epoch and f"{float(reached.group(2)):.4f}" == loss
    assert (tmp_path / "playground_weights.npz").exists()


def test_a_link_restores_its_configuration_and_a_screenshot_is_saved(open_page, tmp_path):
    query = "?dataset=spiral&classes=3&noise=20&features=x1,x2,sin%20x1&hidden=8,8,6"
    query += "&activation=relu&optimizer=adam&lr=0.01"
    page = open_page(query)
    expect(page.get_by_test_id("dataset")).to_have_value("spiral")
    expect(page.get_by_test_id("classes")).to_have_value("3")
    expect(page.get_by_test_id("optimizer")).to_have_value("adam")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.01")
    expect(page.get_by_test_id("neuron-2-5")).to_be_visible()
    expect(page).to_have_url(re.compile(r"features=x1%2Cx2%2Csin\+x1&hidden=8%2C8%2C6"))
    page.get_by_test_id("play").click()
    wait_until(lambda: number(page, "epoch") >= 200)
    path = Path(os.environ.get("NNSCRATCH_SCREENSHOT", tmp_path / "playground.png"))
    page.screenshot(path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_a_diverging_run_pauses_and_says_why(open_page):
    page = open_page("?dataset=xor&features=x1%5E2,x2%5E2&hidden=8,8&activation=linear&lr=10")
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("error")).to_contain_text("The loss diverged")
    expect(page.get_by_test_id("loss-train")).to_have_text("NaN")


def users_points(page):
    """The user's points as the URL holds them: [(x1, x2, class), ...]."""
    value = page.evaluate("new URLSearchParams(location.search).get('points')")
    return [tuple(float(v) for v in point.split("_")) for point in value.split("~") if point]


def test_clicks_add_points_and_shift_clicks_the_next_class(open_page):
    page = open_page("?dataset=gaussians")
    page.get_by_test_id("boundary").click(position={"x": 80, "y": 80})  # a quarter in from the top left: (-3, 3)
    wait_until(lambda: len(users_points(page)) == 1)
    page.get_by_test_id("boundary").click(position={"x": 240, "y": 240}, modifiers=["Shift"])
    wait_until(lambda: len(users_points(page)) == 2)
    (a1, a2, a_class), (b1, b2, b_class) = users_points(page)
    assert (a1, a2, b1, b2) == pytest.approx((-3, 3, 3, -3), abs=0.1) and (a_class, b_class) == (0, 1)
    page.get_by_test_id("clear-points").click()
    wait_until(lambda: users_points(page) == [])
