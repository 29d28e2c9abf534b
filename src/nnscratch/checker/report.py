"""The Report a check returns: a table, a dict for JSON, JUnit XML, HTML for Jupyter."""

import html
import xml.etree.ElementTree as ET

from nnscratch.checker.compare import ERROR, FAIL, PASS, WARN
from nnscratch.checker.messages import CATALOGS, parts, render
from nnscratch.checker.names import KINDS

SAME_CAUSE = {"en": "(the same cause as above)", "ko": "(위와 같은 원인입니다)"}
ERRORS_LINE = {
    "en": "Errors counted among the failures: {n} (the code raised, hung or crashed).",
    "ko": "실패에 포함된 오류: {n}개 (코드가 예외를 일으켰거나, 끝나지 않았거나, 프로세스가 종료되었습니다).",
}


class Report:
    """What ``nnscratch.check`` found, object by object and check by check.

    Parameters
    ----------
    objects : dict[str, list of dict]
        The results of each object's checks, as the runner returns them.
    lang : {"en", "ko"}

    Attributes
    ----------
    passed : bool
        True when no check failed or errored (warnings allowed).
    """

    def __init__(self, objects, lang="en"):
        self.objects = objects
        self.lang = lang

    def statuses(self):
        return [r["status"] for results in self.objects.values() for r in results]

    @property
    def passed(self):
        return not any(s in (FAIL, ERROR) for s in self.statuses())

    def summary(self):
        """``{"passed", "failed", "warned", "errors"}``: how many checks ended each way."""
        statuses = self.statuses()
        return {
            key: statuses.count(status)
            for key, status in (("passed", PASS), ("failed", FAIL), ("warned", WARN), ("errors", ERROR))
        }

    def exit_code(self, strict=False):
        """0 when nothing failed (and, if ``strict``, nothing warned), else 1."""
        return 0 if self.passed and not (strict and self.summary()["warned"]) else 1

    def to_dict(self):
        """The JSON document of ``nnscratch check --format json``."""
        return {
            "objects": [
                {
                    "name": name,
                    "kind": KINDS[name],
                    "checks": [
                        {
                            "check": r["check"],
                            "status": r["status"],
                            "mistake": r["mistake"],
                            "message": render(r, self.lang),
                        }
                        for r in results
                    ],
                }
                for name, results in self.objects.items()
            ],
            "summary": self.summary(),
        }

    def summary_line(self):
        counts = self.summary()
        line = f"{counts['passed']} passed, {counts['failed'] + counts['errors']} failed"
        return line + (f", {counts['warned']} warned" if counts["warned"] else "")

    def _object_lines(self, name, results):
        lines = [f"{name} ({KINDS[name]})"]
        width = max(len(r["check"]) for r in results) if results else 0
        seen = set()
        for r in results:
            head = f"  {r['status'].upper():5} {r['check']:{width}}"
            pieces = parts(r, self.lang)
            if len(pieces) == 1:
                lines.append(f"{head}  {pieces[0]}")
                continue
            lines.append(f"{head}  {r['mistake'] or ''}".rstrip())
            if pieces in seen:
                lines.append(f"        {SAME_CAUSE[self.lang]}")
                continue
            seen.add(pieces)
            lines += [
                f"        {label}: {piece}" for label, piece in zip(CATALOGS[self.lang].LABELS, pieces, strict=True)
            ]
        return lines

    def __str__(self):
        lines = []
        for name, results in self.objects.items():
            lines += self._object_lines(name, results) + [""]
        errors = self.summary()["errors"]
        if errors:
            lines.append(ERRORS_LINE[self.lang].format(n=errors))
        lines.append(self.summary_line())
        return "\n".join(lines)

    def __repr__(self):
        return f"<Report {self.summary_line()}>"

    def _repr_html_(self):
        colours = {PASS: "#1a7f37", WARN: "#9a6700", FAIL: "#cf222e", ERROR: "#8250df"}
        rows = []
        for name, results in self.objects.items():
            for r in results:
                rows.append(
                    f"<tr><td>{html.escape(name)}</td><td>{html.escape(r['check'])}</td>"
                    f"<td style='color:{colours[r['status']]};font-weight:bold'>{r['status'].upper()}</td>"
                    f"<td>{html.escape(r['mistake'] or '')}</td>"
                    f"<td>{'<br>'.join(html.escape(p) for p in parts(r, self.lang))}</td></tr>"
                )
        head = "<tr><th>object</th><th>check</th><th>status</th><th>mistake</th><th>message</th></tr>"
        return f"<table>{head}{''.join(rows)}</table><p>{html.escape(self.summary_line())}</p>"

    def to_junit(self):
        """JUnit XML: a testsuite per object, a testcase per check; warnings pass with a note."""
        counts = self.summary()
        root = ET.Element(
            "testsuites",
            name="nnscratch check",
            tests=str(sum(counts.values())),
            failures=str(counts["failed"]),
            errors=str(counts["errors"]),
        )
        for name, results in self.objects.items():
            statuses = [r["status"] for r in results]
            suite = ET.SubElement(
                root,
                "testsuite",
                name=name,
                tests=str(len(results)),
                failures=str(statuses.count(FAIL)),
                errors=str(statuses.count(ERROR)),
                skipped="0",
            )
            for r in results:
                case = ET.SubElement(suite, "testcase", classname=f"{KINDS[name]}.{name}", name=r["check"])
                message = render(r, self.lang)
                if r["status"] in (FAIL, ERROR):
                    tag = "failure" if r["status"] == FAIL else "error"
                    ET.SubElement(case, tag, message=message, type=r["mistake"] or r["key"]).text = message
                elif r["status"] == WARN:
                    ET.SubElement(case, "system-out").text = f"warning: {message}"
        return ET.tostring(root, encoding="unicode", xml_declaration=True)
