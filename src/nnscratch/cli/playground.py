"""``nnscratch playground``: serve the page, open the browser, train until Ctrl+C."""

import argparse
import webbrowser

from nnscratch.validation import Interval

PORTS = Interval(0, 65535)
SEEDS = Interval(0, 2**32 - 1)  # what the page's configuration accepts


def playground(args):
    """Start the server, print its URL, open the default browser unless ``--no-browser``; Ctrl+C stops all."""
    try:
        from nnscratch.playground.server import PlaygroundServer
    except ModuleNotFoundError as error:
        if error.name != "websockets":
            raise
        raise RuntimeError("the playground needs websockets: pip install 'nnscratch[playground]'") from None
    server = PlaygroundServer(args.host, args.port, seed=args.seed)
    print(f"nnscratch playground: {server.url}  (Ctrl+C stops it)", flush=True)
    if not args.no_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("nnscratch playground: stopped", flush=True)
    finally:
        server.shutdown()
    return 0


def port_number(text):
    """argparse type: a TCP port, 0 to 65535 (0 picks a free one)."""
    return _integer_in(text, PORTS, "a port number")


def seed_number(text):
    """argparse type: a seed, 0 to 2**32 - 1."""
    return _integer_in(text, SEEDS, "a seed")


def _integer_in(text, interval, what):
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value not in interval:
        raise argparse.ArgumentTypeError(f"expected {what} from {interval.low} to {interval.high}, got {text!r}")
    return value


HELP = "TensorFlow Playground in the browser, trained by nnscratch's own layers"


def playground_options(sub):
    """The options of ``nnscratch playground``."""
    sub.add_argument("--seed", type=seed_number, default=0, help="seed of the first data set and network (default: 0)")
    sub.add_argument("--port", type=port_number, default=8765, help="(default: 8765; 0 picks a free port)")
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    sub.add_argument("--no-browser", action="store_true", help="print the URL without opening a browser")
