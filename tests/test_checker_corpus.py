"""The checker on a corpus of learners' code: right code in several styles passes,
each known mistake is named by its id, and hangs, crashes and broken imports are contained."""

from pathlib import Path

import pytest

import nnscratch
from nnscratch.checker import CheckError

CORPUS = Path(__file__).parent / "checker_corpus"

# The mistake ids of issue 12: a contract, each with a wrong implementation in wrong/.
MISTAKE_IDS = (
    "affine-dx-not-transposed",
    "affine-dw-wrong-orientation",
    "bias-grad-not-summed",
    "bias-grad-averaged",
    "affine-input-not-flattened",
    "mutates-input",
    "backward-accumulates",
    "sigmoid-backward-uses-input",
    "relu-backward-wrong-mask",
    "softmax-no-max-shift",
    "softmax-wrong-axis",
    "cross-entropy-not-averaged",
    "cross-entropy-log-zero",
    "softmaxwithloss-not-divided-by-n",
    "softmaxwithloss-divided-twice",
    "numgrad-forward-difference",
    "numgrad-x-not-restored",
    "optimizer-not-in-place",
    "momentum-wrong-sign",
    "adam-no-bias-correction",
)


def checks(report):
    return [(name, c) for name, results in report.objects.items() for c in results]


@pytest.mark.parametrize("path", sorted((CORPUS / "correct").glob("*.py")), ids=lambda p: p.stem)
def test_correct_implementations_pass(path):
    report = nnscratch.check(path, lang="en")
    not_passed = [(name, c["check"], c["status"], c["key"]) for name, c in checks(report) if c["status"] != "pass"]
    assert report.passed
    assert all(status == "warn" and key == "dout-modified" for _, _, status, key in not_passed), not_passed


def test_correct_corpus_covers_every_recognised_name():
    names = set()
    for path in (CORPUS / "correct").glob("*.py"):
        names |= set(nnscratch.check(path, lang="en").objects)
    assert names == set(nnscratch.checker.RECOGNISED)


def test_every_mistake_id_has_a_wrong_implementation():
    assert {p.stem for p in (CORPUS / "wrong").glob("*.py")} == set(MISTAKE_IDS)


@pytest.mark.parametrize("mistake", MISTAKE_IDS)
def test_wrong_implementation_is_named(mistake):
    report = nnscratch.check(CORPUS / "wrong" / f"{mistake}.py", lang="en")
    failed = [c for _, c in checks(report) if c["status"] == "fail"]
    assert not report.passed
    assert any(c["mistake"] == mistake for c in failed)
    assert {c["mistake"] for _, c in checks(report)} <= {mistake, None}


def test_an_endless_loop_is_an_error_and_the_rest_is_still_checked():
    report = nnscratch.check(CORPUS / "special" / "hang.py", lang="en", timeout=3)
    relu, sigmoid = report.objects["Relu"], report.objects["Sigmoid"]
    assert [(c["check"], c["status"], c["key"]) for c in relu] == [("forward", "error", "timeout")]
    assert sigmoid and all(c["status"] == "pass" for c in sigmoid)
    assert report.summary()["errors"] == 1


def test_a_process_that_exits_is_an_error_and_the_rest_is_still_checked():
    report = nnscratch.check(CORPUS / "special" / "crash.py", lang="en", timeout=5)
    tanh = report.objects["Tanh"]
    assert tanh[-1]["status"] == "error" and tanh[-1]["key"] == "crashed" and tanh[-1]["args"]["code"] == 3
    assert all(c["status"] == "pass" for c in report.objects["relu"])


def test_an_error_at_import_says_where():
    with pytest.raises(CheckError, match=r"cannot load .*ValueError.*raises_at_import.py:6"):
        nnscratch.check(CORPUS / "special" / "raises_at_import.py")


def test_nothing_recognised_lists_the_names():
    with pytest.raises(CheckError, match="recognised names: Affine, Relu"):
        nnscratch.check(CORPUS / "special" / "nothing_to_check.py")
