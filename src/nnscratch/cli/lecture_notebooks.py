"""``nnscratch lectures [DIR] [--lang ko|en] [--force]``: the lectures as notebooks to learn with."""

from pathlib import Path

from nnscratch.lectures.notebooks import LANGUAGES, write_lectures

DEFAULT_DIR = Path("nnscratch-lectures")

_HOW_TO_OPEN = {
    "ko": (
        "강의 노트북 {count}개를 {directory}에 저장했습니다.\n"
        "열어 보려면 Jupyter를 설치하고 실행하세요:\n"
        "    python -m pip install 'nnscratch[lectures]'\n"
        "    jupyter lab {directory}\n"
        "1강 {first}부터 시작하세요."
    ),
    "en": (
        "Wrote {count} lecture notebooks to {directory}.\n"
        "To open them, install Jupyter and start it:\n"
        "    python -m pip install 'nnscratch[lectures]'\n"
        "    jupyter lab {directory}\n"
        "Start with lecture 1, {first}."
    ),
}


HELP = "write the lectures (Korean or English) as Jupyter notebooks into a folder"


def lectures_options(sub):
    """The options of ``nnscratch lectures``."""
    sub.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_DIR,
        metavar="DIR",
        help=f"where to write the .ipynb files (default: ./{DEFAULT_DIR})",
    )
    sub.add_argument("--lang", choices=LANGUAGES, default="ko", help="lecture language (default: ko)")
    sub.add_argument("--force", action="store_true", help="replace notebooks you have edited")


def lectures(args):
    """Write the notebooks and say how to open them; keep edited ones unless --force."""
    written = write_lectures(args.directory, lang=args.lang, force=args.force)  # FileExistsError: main says so, exit 1
    print(_HOW_TO_OPEN[args.lang].format(count=len(written), directory=args.directory, first=written[0].name))
    return 0
