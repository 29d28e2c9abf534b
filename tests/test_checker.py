"""`nnscratch check` and `nnscratch.check`: the command's formats and exit codes, the
Report's API, and the messages in both languages."""

import json
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import nnscratch
from nnscratch.checker import messages, messages_en, messages_ko
from nnscratch.cli.main import main
from test_checker_corpus import MISTAKE_IDS

CORPUS = Path(__file__).parent / "checker_corpus"
BOOK = str(CORPUS / "correct" / "book_style.py")
WRONG_DB = str(CORPUS / "wrong" / "bias-grad-not-summed.py")
SUMMARY = re.compile(r"^\d+ passed, \d+ failed(, \d+ warned)?$")


def run(capsys, *argv):
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_one_document_with_the_contract_schema(capsys):
    code, out, _ = run(capsys, WRONG_DB, "--format", "json", "--lang", "en")
    document = json.loads(out)
    assert code == 1
    assert set(document) == {"objects", "summary"}
    assert set(document["summary"]) == {"passed", "failed", "warned", "errors"}
    (affine,) = document["objects"]
    assert set(affine) == {"name", "kind", "checks"} and (affine["name"], affine["kind"]) == ("Affine", "layer")
    for check in affine["checks"]:
        assert set(check) == {"check", "status", "mistake", "message"}
        assert check["status"] in {"pass", "warn", "fail", "error"} and check["message"]
    db = next(c for c in affine["checks"] if c["check"] == "backward-db")
    assert db["status"] == "fail" and db["mistake"] == "bias-grad-not-summed"
    statuses = [c["status"] for c in affine["checks"]]
    assert document["summary"]["failed"] == statuses.count("fail") >= 1
    assert document["summary"]["passed"] == statuses.count("pass")


def test_table_ends_with_the_summary_line_and_exit_code_0(capsys):
    code, out, _ = run(capsys, BOOK, "--only", "Affine,softmax,Adam", "--lang", "en")
    assert code == 0
    assert (
        out.strip().splitlines()[-1] == "20 passed, 0 failed"
    )  # 10 checks of a layer, 6 of softmax, 4 of an optimizer
    assert "Affine (layer)" in out and "softmax (function)" in out and "Adam (optimizer)" in out
    assert "TwoLayerNet" not in out


def test_a_warning_fails_only_with_strict(capsys):
    code, out, _ = run(capsys, BOOK, "--only", "Relu", "--lang", "en")
    assert code == 0 and SUMMARY.match(out.strip().splitlines()[-1]) and out.rstrip().endswith(", 1 warned")
    code, _, _ = run(capsys, BOOK, "--only", "Relu", "--lang", "en", "--strict")
    assert code == 1


def test_korean_messages(capsys):
    code, out, _ = run(capsys, WRONG_DB, "--lang", "ko")
    assert code == 1
    assert "관찰: db에 배치 축이 남아 있습니다" in out and "편향" in out
    assert SUMMARY.match(out.strip().splitlines()[-1])


def test_language_defaults_to_the_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert messages.default_language() == "ko"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert messages.default_language() == "en"


def test_junit_xml_for_an_instructors_ci(capsys):
    code, out, _ = run(capsys, WRONG_DB, "--format", "junit", "--lang", "en")
    root = ET.fromstring(out)
    (suite,) = root.findall("testsuite")
    failures = suite.findall("testcase/failure")
    assert code == 1 and suite.get("name") == "Affine"
    assert int(root.get("failures")) == len(failures) >= 1
    assert "bias-grad-not-summed" in {f.get("type") for f in failures}


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([str(CORPUS / "special" / "nothing_to_check.py")], "recognised names: Affine"),
        ([str(CORPUS / "special" / "raises_at_import.py")], "cannot load"),
        ([BOOK, "--only", "Linear"], "does not know"),
        (["no_such_file.py"], "no such file"),
    ],
)
def test_exit_code_2_when_nothing_can_be_checked(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and says in err


def test_a_module_name_is_accepted(capsys, tmp_path, monkeypatch):
    (tmp_path / "homework").mkdir()
    (tmp_path / "homework" / "__init__.py").write_text("")
    (tmp_path / "homework" / "layers.py").write_text(
        "import numpy as np\n\ndef relu(x):\n    return np.maximum(0, x)\n"
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "homework.layers", "--lang", "en")
    assert code == 0 and "relu (function)" in out


def test_python_api_on_an_object():
    def softmax(x):
        e = x - x.max(axis=-1, keepdims=True)
        return e / e.sum(axis=-1, keepdims=True)  # exp forgotten

    report = nnscratch.check(softmax, lang="en")
    assert not report.passed and report.exit_code() == 1
    document = report.to_dict()
    assert document["objects"][0]["name"] == "softmax" and document["summary"]["failed"] >= 1
    assert "<table>" in report._repr_html_() and "FAIL" in report._repr_html_()
    assert str(report).splitlines()[-1] == report.summary_line()
    with pytest.raises(ValueError, match="recognised names"):
        nnscratch.check(len)


def test_both_languages_have_every_message_with_the_same_placeholders():
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for table in ("PASSES", "PROBLEMS", "MISTAKES"):
        english, korean = getattr(messages_en, table), getattr(messages_ko, table)
        assert english.keys() == korean.keys()
        for key, text in english.items():
            parts_en = (text,) if isinstance(text, str) else text
            parts_ko = (korean[key],) if isinstance(korean[key], str) else korean[key]
            assert len(parts_en) == len(parts_ko) == (1 if table == "PASSES" else 3)
            assert set().union(*map(fields, parts_en)) == set().union(*map(fields, parts_ko)), key
    assert set(messages_en.MISTAKES) == set(MISTAKE_IDS)


def numerical_gradient(f, x):
    """The book's version, which writes x + h back into x whatever its dtype."""
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


def test_a_failure_no_mistake_id_fits_says_what_was_expected_and_what_came():
    report = nnscratch.check(numerical_gradient, lang="en")
    failed = [c for c in report.objects["numerical_gradient"] if c["status"] != "pass"]
    assert [(c["check"], c["mistake"], c["key"]) for c in failed] == [("integer-input", None, "integer-truncated")]
    message = report.to_dict()["objects"][0]["checks"][3]["message"]
    assert "we expected 8 and received" in message and "int array" in message


def test_the_learners_prints_do_not_mix_with_the_json(capsys, tmp_path):
    noisy = tmp_path / "noisy.py"
    source = (
        'import numpy as np\n\nprint("loading")\n\n\ndef relu(x):\n    print("relu")\n    return np.maximum(0, x)\n'
    )
    noisy.write_text(source)
    code, out, _ = run(capsys, str(noisy), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["failed"] == 0
