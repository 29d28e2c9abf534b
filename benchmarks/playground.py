"""Frames per second and server CPU share of ``nnscratch playground``, driven by headless Chromium.

The server runs as ``nnscratch playground --no-browser --port 0`` in a process of its own, so
its CPU time (user + system, from /proc) is the server's alone; Chromium (Debian's, through
Playwright) loads the page with a configuration in the URL, presses play, and the frames are
counted as the binary websocket messages the page receives (the server sends the next one
only after the page has drawn the last). Each configuration is measured ``--reps`` times,
the configurations taking turns, and the median is printed.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/playground.py --seconds 10 --reps 3
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

# name: (the URL's configuration, whether to press play)
CONFIGS = {
    "default (2 -> 4 -> 2 -> 2, circles)": ("", True),
    "6 x 16 (2 -> 16 x 6 -> 2, circles)": ("?hidden=16,16,16,16,16,16", True),
    "default, paused": ("", False),
}
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start_server():
    """The command as a user runs it; returns the process and the URL it prints."""
    server = subprocess.Popen(
        [sys.executable, "-m", "nnscratch", "playground", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = re.search(r"http://\S+/", server.stdout.readline()).group(0)
    return server, url


def measure(browser, url, pid, seconds, play=True):
    """(frames per second, server CPU seconds per second, epochs per second) over ``seconds``."""
    page = browser.new_page(viewport={"width": 1300, "height": 950})
    frames = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(isinstance(data, bytes))))
    page.goto(url)
    page.get_by_test_id("neuron-0-0").wait_for()
    if play:
        page.get_by_test_id("play").click()
    page.wait_for_timeout(1000)  # let it settle into its pace (and Playwright deliver its events: no time.sleep)
    count, cpu, start = sum(frames), cpu_seconds(pid), time.monotonic()
    page.wait_for_timeout(1000 * seconds)
    wall = time.monotonic() - start
    result = (sum(frames) - count) / wall, (cpu_seconds(pid) - cpu) / wall
    epochs = int(page.get_by_test_id("epoch").inner_text())
    page.close()
    return (*result, epochs / (seconds + 1.0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of play per measurement (default: 10)")
    parser.add_argument("--reps", type=int, default=3, help="measurements per configuration (default: 3)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    server, url = start_server()
    results = {name: [] for name in CONFIGS}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for _ in range(args.reps):
                for name, (query, play) in CONFIGS.items():
                    results[name].append(measure(browser, url + query, server.pid, args.seconds, play))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{os.cpu_count()} CPUs; medians of {args.reps} runs of {args.seconds:g} s of play each")
    print("| network | frames/s | server CPU (of one core) | server CPU (of the machine) | epochs/s |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        fps = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        epochs = statistics.median(r[2] for r in runs)
        print(f"| {name} | {fps:.1f} | {100 * cpu:.0f}% | {100 * cpu / os.cpu_count():.0f}% | {epochs:.0f} |")


if __name__ == "__main__":
    main()
