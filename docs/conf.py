"""Sphinx configuration: myst-nb runs the lectures' jupytext sources; autodoc reads the docstrings.

Build (from the repository root): ``python -m sphinx -W -b html docs docs/_build/html``.
The lectures are executed once and their outputs cached in ``docs/_build/.jupyter_cache``
(``$NNSCRATCH_DOCS_BUILD/.jupyter_cache`` when that is set); ``NNSCRATCH_QUICK=1`` makes them
small enough for CI.
"""

import os
import shutil
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
LECTURES = ROOT / "src" / "nnscratch" / "lectures"
# Where the execution cache and the copied MathJax go; the tests point it at a fresh folder.
BUILD = Path(os.environ.get("NNSCRATCH_DOCS_BUILD", DOCS / "_build"))

project = "nnscratch"
author = "the nnscratch developers"
copyright = "2026, the nnscratch developers"  # noqa: A001 (Sphinx's name)
language = "en"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
exclude_patterns = ["_build", "conf.py", "README.md", "**/.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath", "amsmath"]
# benchmarks/RESULTS.md, included as the benchmark writes it, goes from its title straight to H3.
suppress_warnings = ["myst.header"]

# The lectures: one source of truth in the package, copied here at build time (gitignored).
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
nb_execution_mode = "cache"
nb_execution_cache_path = str(BUILD / ".jupyter_cache")
nb_execution_timeout = 600
nb_execution_raise_on_error = True  # a failing cell fails the build (and CI)
nb_execution_in_temp = True  # lecture 10 writes its sweep into a temporary folder, not into docs/
nb_merge_streams = True


def _copy_lectures():
    """Mirror ``src/nnscratch/lectures/{ko,en}/NN_*.py`` into ``docs/lectures/{ko,en}/``."""
    for lang in ("ko", "en"):
        target = DOCS / "lectures" / lang
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted((LECTURES / lang).glob("[0-9][0-9]_*.py")):
            copy = target / source.name
            if not copy.exists() or copy.read_bytes() != source.read_bytes():
                shutil.copyfile(source, copy)  # only when changed, so Sphinx rebuilds only what changed


_copy_lectures()

# Napoleon reads the numpydoc sections; members are listed in source order, as the modules read.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_mock_imports = ["cupy", "optuna", "sklearn"]

# Offline: MathJax 2 from Debian's libjs-mathjax, copied into the site (SVG output: no web fonts).
MATHJAX_SOURCE = Path(os.environ.get("NNSCRATCH_MATHJAX_DIR", "/usr/share/javascript/mathjax"))
MATHJAX_PARTS = [
    "MathJax.js",
    "config/TeX-AMS_SVG.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/SVG/jax.js",
    "jax/output/SVG/autoload",
    "jax/output/SVG/fonts/TeX",
    "localization/en",
]


def _copy_mathjax():
    """Copy the parts of MathJax that TeX input and SVG output load into ``_build/_mathjax``."""
    if not (MATHJAX_SOURCE / "MathJax.js").is_file():
        raise RuntimeError(
            f"MathJax not found in {MATHJAX_SOURCE}: install Debian's libjs-mathjax or set NNSCRATCH_MATHJAX_DIR"
        )
    static = BUILD / "_mathjax"
    for part in MATHJAX_PARTS:
        source, target = MATHJAX_SOURCE / part, static / "mathjax" / part
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return static


html_static_path = [str(_copy_mathjax())]
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_SVG"
# myst-nb marks notebook pages "mathjax_ignore" and the formulas "math"; tell MathJax 2 (myst writes v3 options).
myst_update_mathjax = False
mathjax2_config = {
    "SVG": {"font": "TeX"},
    "messageStyle": "none",
    "tex2jax": {
        "processClass": "tex2jax_process|mathjax_process|math|output_area",
        "ignoreClass": "tex2jax_ignore|mathjax_ignore",
    },
}

html_theme = "alabaster"
html_theme_options = {"page_width": "1180px", "sidebar_width": "240px", "font_family": "sans-serif"}
html_title = "nnscratch"
