"""The lecture notebooks: jupytext "percent" sources in the package, written out as ``.ipynb``.

The sources live in ``nnscratch/lectures/ko/`` and ``nnscratch/lectures/en/`` (one file per
lecture, the same file names in both). A percent file is plain Python: ``# %%`` starts a
code cell, ``# %% [markdown]`` a Markdown cell whose lines are commented out, and
``key=value`` after the marker is cell metadata (``tags=["check-yourself"]``). Reading it
here needs no Jupyter package, so ``nnscratch lectures`` works on a bare install.

Each written notebook records a hash of its cells' sources in its metadata. A notebook
whose sources still match its hash has not been edited and may be replaced by a newer
version of the lecture; one that does not match holds the learner's work and is kept.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nnscratch import io

LANGUAGES = ("ko", "en")
_CELL_MARKER = re.compile(r"^# %%(?: \[(?P<kind>markdown|md)\])?(?P<meta>.*)$")
_KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Cell:
    """One notebook cell: ``kind`` is "code" or "markdown"; ``tags`` from the cell marker."""

    kind: str
    source: str
    tags: tuple = ()


def lecture_sources(lang):
    """The lecture source files for ``lang``, in lecture order.

    Parameters
    ----------
    lang : {"ko", "en"}

    Returns
    -------
    list of importlib.resources.abc.Traversable
        ``01_perceptrons.py``, ``02_activations.py``, ...
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    folder = resources.files("nnscratch.lectures").joinpath(lang)
    return sorted((f for f in folder.iterdir() if re.fullmatch(r"\d\d_\w+\.py", f.name)), key=lambda f: f.name)


def parse_percent(text):
    """Split a percent-format script into cells (the ``# ---`` header is skipped).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Cell
    """
    lines = _without_header(text.splitlines())
    cells, kind, tags, body = [], None, (), []
    for line in lines + ["# %%"]:  # a final marker closes the last cell
        match = _CELL_MARKER.match(line)
        if not match:
            body.append(line)
            continue
        if kind is not None:
            cells.append(_make_cell(kind, tags, body))
        kind = "markdown" if match["kind"] else "code"
        tags, body = _tags(match["meta"]), []
    return [cell for cell in cells if cell.source]


def _without_header(lines):
    if lines and lines[0] == "# ---":
        if "# ---" not in lines[1:]:
            raise ValueError("the jupytext header opened with '# ---' on the first line is never closed")
        end = lines.index("# ---", 1)  # the header's closing line
        return lines[end + 1 :]
    return lines


def _tags(meta):
    found = re.search(r"tags=(\[.*?\])", meta)
    return tuple(json.loads(found.group(1))) if found else ()


def _make_cell(kind, tags, body):
    if kind == "markdown":
        body = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in body]
    return Cell(kind, "\n".join(body).strip("\n"), tags)


def source_hash(cells):
    """sha256 of the cells' kinds and sources: what a learner edits, not outputs."""
    payload = json.dumps([[cell.kind, cell.source] for cell in cells], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def to_notebook(cells, lecture, lang):
    """An nbformat 4.5 notebook (a JSON-able dict) holding ``cells``, no outputs."""
    notebook_cells = []
    for index, cell in enumerate(cells):
        entry = {
            "cell_type": cell.kind,
            "id": f"{lecture[:2]}-{index:03d}",
            "metadata": {"tags": list(cell.tags)} if cell.tags else {},
            "source": cell.source,
        }
        if cell.kind == "code":
            entry.update(execution_count=None, outputs=[])
        notebook_cells.append(entry)
    metadata = {
        "kernelspec": _KERNELSPEC,
        "language_info": {"name": "python"},
        "nnscratch": {"lecture": lecture, "lang": lang, "source_sha256": source_hash(cells)},
    }
    return {"cells": notebook_cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def cells_of_notebook(notebook):
    """The cells of an ``.ipynb`` dict, sources joined as nbformat allows lists of lines."""
    cells = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        cells.append(Cell(cell.get("cell_type", ""), "".join(source) if isinstance(source, list) else source))
    return cells


def is_edited(path):
    """True when the notebook at ``path`` is not a lecture exactly as this package wrote it.

    A notebook without our hash (written by someone else, or not JSON) counts as
    edited: it is not ours to replace.
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        recorded = notebook["metadata"]["nnscratch"]["source_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return True
    return recorded != source_hash(cells_of_notebook(notebook))


def write_lectures(directory, lang="ko", force=False):
    """Write every lecture of ``lang`` into ``directory`` as ``.ipynb``.

    Parameters
    ----------
    directory : path
        Created if missing.
    lang : {"ko", "en"}, default="ko"
    force : bool, default=False
        Replace notebooks the learner has edited. Without it nothing is written
        while any of them exists.

    Returns
    -------
    list of pathlib.Path
        The notebooks written, in lecture order.

    Raises
    ------
    FileExistsError
        Naming the edited notebooks, when ``force`` is False.
    """
    directory = Path(directory)
    sources = lecture_sources(lang)
    targets = [directory / (Path(source.name).stem + ".ipynb") for source in sources]
    edited = [path for path in targets if path.exists() and is_edited(path)]
    if edited and not force:
        names = ", ".join(path.name for path in edited)
        raise FileExistsError(
            f"{directory} holds edited notebooks ({names}); pass --force to replace them, or choose another folder"
        )
    for source, target in zip(sources, targets, strict=True):
        cells = parse_percent(source.read_text(encoding="utf-8"))
        notebook = to_notebook(cells, target.stem, lang)
        io.write_text(target, json.dumps(notebook, ensure_ascii=False, indent=1) + "\n")
    return targets
