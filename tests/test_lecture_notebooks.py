"""The lecture sources and ``nnscratch lectures``: two languages, one code, notebooks a learner keeps.

The docs build in ``test_docs.py`` executes each lecture's code once: its cache is keyed on the
code cells, and the Korean cells are the English ones, so the Korean pages show that run's
outputs. The Korean notebooks themselves run here, top to bottom in a Jupyter kernel, as a
learner opens them.
"""

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nnscratch.cli.main import main
from nnscratch.lectures import notebooks

ROOT = Path(__file__).resolve().parents[1]
LECTURE_NAMES = [source.name for source in notebooks.lecture_sources("en")]
SEED_TERMS = ("퍼셉트론", "활성화 함수", "손실 함수", "수치 미분", "오차역전파", "기울기")


def cells(lang, name):
    source = next(s for s in notebooks.lecture_sources(lang) if s.name == name)
    return notebooks.parse_percent(source.read_text(encoding="utf-8"))


def test_ten_lectures_in_the_issue_order_in_both_languages():
    ko = [source.name for source in notebooks.lecture_sources("ko")]
    assert ko == LECTURE_NAMES
    topics = ["perceptron", "activation", "numerical", "backprop", "layers", "two_layer", "spiral", "iris"]
    topics += ["training_well", "hyperparameter"]
    assert len(LECTURE_NAMES) == 10
    for number, (name, topic) in enumerate(zip(LECTURE_NAMES, topics, strict=True), start=1):
        assert name.startswith(f"{number:02d}_") and topic in name


@pytest.mark.parametrize("name", LECTURE_NAMES)
def test_korean_and_english_code_cells_are_identical(name):
    ko = [(c.source, c.tags) for c in cells("ko", name) if c.kind == "code"]
    en = [(c.source, c.tags) for c in cells("en", name) if c.kind == "code"]
    assert ko == en
    assert [c.kind for c in cells("ko", name)] == [c.kind for c in cells("en", name)]


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("name", LECTURE_NAMES)
def test_each_lecture_ends_with_exercises_and_one_check_yourself_cell(lang, name):
    lecture = cells(lang, name)
    tagged = [i for i, c in enumerate(lecture) if "check-yourself" in c.tags]
    assert tagged == [len(lecture) - 1], "one check-yourself cell, the last one"
    assert lecture[-1].kind == "code" and "nnscratch.check(" in lecture[-1].source
    assert "assert report.passed" in lecture[-1].source
    headings = {"ko": ("## 연습 문제", "## 스스로 확인하기"), "en": ("## Exercises", "## Check yourself")}[lang]
    closing = "\n".join(c.source for c in lecture[-3:] if c.kind == "markdown")
    assert all(heading in closing for heading in headings)
    assert lecture[0].kind == "markdown" and lecture[0].source.startswith("# ")


# (lecture, a line of the learner's code in its check-yourself cell, the classic mistake its prose suggests)
MISTAKES = [
    ("01_perceptrons.py", "(np.asarray(x) > 0)", "(np.asarray(x) < 0)", "step_function"),
    ("02_activations.py", "np.exp(x - x.max(axis=-1, keepdims=True))", "np.exp(x)", "softmax"),
    ("03_numerical_gradients.py", "(f(x + h) - f(x - h)) / (2 * h)", "(f(x + h) - f(x)) / h", "numerical_diff"),
    ("07_spiral.py", "np.ravel(t)] + 1e-7)", "np.ravel(t)])", "cross_entropy_error"),
    ("08_iris.py", "params[key] -= self.lr", "params[key] += self.lr", "SGD"),
    ("10_hyperparameter_search.py", "h *= self.decay_rate", "h *= 1.0", "RMSprop"),
]


@pytest.mark.parametrize(("name", "right", "wrong", "culprit"), MISTAKES)
def test_check_yourself_cell_passes_the_lectures_code_and_stops_on_the_classic_mistake(name, right, wrong, culprit):
    """The cell runs ``nnscratch.check`` on the learner's code: it passes as written, and stops at the mistake."""
    import numpy as np

    import nnscratch

    source = cells("en", name)[-1].source
    assert right in source
    exec(source, {"np": np, "nnscratch": nnscratch})
    with pytest.raises(AssertionError, match=f"^{culprit}.* failed a check"):
        exec(source.replace(right, wrong), {"np": np, "nnscratch": nnscratch})


def test_korean_lectures_are_written_in_korean_with_the_seeds_terms():
    prose = {name: [c.source for c in cells("ko", name) if c.kind == "markdown"] for name in LECTURE_NAMES}
    for name, markdown in prose.items():
        for text in markdown:
            hangul = len(re.findall(r"[\uac00-\ud7a3]", text))
            latin = len(re.findall(r"[A-Za-z]", re.sub(r"\$[^$]*\$|`[^`]*`", "", text)))
            assert hangul > latin / 3, f"{name}: a Markdown cell reads as English: {text[:80]!r}"
    everything = "\n".join("\n".join(markdown) for markdown in prose.values())
    assert [term for term in SEED_TERMS if term not in everything] == []


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
def test_parse_percent_agrees_with_jupytext(lang):
    jupytext = pytest.importorskip("jupytext")
    for source in notebooks.lecture_sources(lang):
        text = source.read_text(encoding="utf-8")
        ours = [(c.kind, c.source, c.tags) for c in notebooks.parse_percent(text)]
        parsed = jupytext.reads(text, "py:percent").cells
        theirs = [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in parsed]
        assert ours == theirs, source.name


def test_lectures_command_writes_valid_notebooks_and_says_how_to_open_them(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["lectures", "--lang", "en"]) == 0
    written = sorted((tmp_path / "nnscratch-lectures").glob("*.ipynb"))
    assert [p.stem + ".py" for p in written] == LECTURE_NAMES
    out = capsys.readouterr().out
    assert "jupyter lab nnscratch-lectures" in out and "nnscratch[lectures]" in out
    notebook = json.loads(written[2].read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert [c["source"] for c in notebook["cells"]] == [c.source for c in cells("en", LECTURE_NAMES[2])]
    assert all(c["outputs"] == [] for c in notebook["cells"] if c["cell_type"] == "code")
    nbformat = pytest.importorskip("nbformat")
    for path in written:
        nbformat.validate(nbformat.read(path, as_version=4))


def test_lectures_command_keeps_an_edited_notebook_unless_forced(tmp_path, capsys):
    target = tmp_path / "mine"
    assert main(["lectures", str(target)]) == 0
    first = target / "01_perceptrons.ipynb"
    assert "퍼셉트론" in first.read_text(encoding="utf-8")
    notebook = json.loads(first.read_text(encoding="utf-8"))
    notebook["cells"][2]["source"] += "\nprint('my own line')"
    notebook["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    first.write_text(json.dumps(notebook), encoding="utf-8")
    untouched = target / "02_activations.ipynb"
    executed = untouched.read_text(encoding="utf-8").replace('"execution_count": null', '"execution_count": 3')
    untouched.write_text(executed, encoding="utf-8")

    assert main(["lectures", str(target), "--lang", "en"]) == 1
    assert "01_perceptrons.ipynb" in capsys.readouterr().err
    assert "my own line" in first.read_text(encoding="utf-8")
    assert "퍼셉트론" in untouched.read_text(encoding="utf-8"), "nothing is written while an edited notebook is there"

    assert main(["lectures", str(target), "--lang", "en", "--force"]) == 0
    assert "my own line" not in first.read_text(encoding="utf-8")
    assert "Perceptrons" in first.read_text(encoding="utf-8")


def test_an_executed_but_unedited_notebook_may_be_replaced(tmp_path):
    assert main(["lectures", str(tmp_path)]) == 0
    path = tmp_path / "04_backprop_by_hand.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "715\n"}]
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert not notebooks.is_edited(path)
    assert main(["lectures", str(tmp_path), "--lang", "en"]) == 0
    (tmp_path / "05_layers.ipynb").write_text("not a notebook")
    assert notebooks.is_edited(tmp_path / "05_layers.ipynb")


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match=r"lang must be one of \['ko', 'en'\], got 'fr'"):
        notebooks.lecture_sources("fr")


@pytest.mark.slow
def test_lectures_ship_in_the_wheel_and_work_from_a_fresh_install(tmp_path):
    """Build the wheel, install it into a new environment, and run the command outside the checkout."""
    wheels = tmp_path / "wheels"
    # The installed setuptools builds the wheel when it can (offline, fast); an older one lacks bdist_wheel.
    isolation = [] if importlib.util.find_spec("setuptools.command.bdist_wheel") else ["--use-pep517"]
    no_isolation = ["--no-build-isolation"] if not isolation else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *no_isolation, *isolation, "-q", "-w", wheels, ROOT],
        check=True,
    )
    wheel = next(wheels.glob("nnscratch-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for lang in notebooks.LANGUAGES:
        assert all(f"nnscratch/lectures/{lang}/{name}" in names for name in LECTURE_NAMES)
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", env], check=True)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True)
    run = subprocess.run(
        [python, "-m", "nnscratch", "lectures", "--lang", "ko"], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "jupyter lab nnscratch-lectures" in run.stdout
    assert len(list((tmp_path / "nnscratch-lectures").glob("*.ipynb"))) == 10


@pytest.mark.parametrize("name", LECTURE_NAMES)
def test_korean_notebook_runs_top_to_bottom_in_a_kernel(name, tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.from_dict(notebooks.to_notebook(cells("ko", name), name, "ko"))
    monkeypatch.setenv("NNSCRATCH_QUICK", "1")  # the kernel inherits the quick mode
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # a failing cell raises CellExecutionError naming the cell
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")
