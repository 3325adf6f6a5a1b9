"""JUnit XML from results.json, one testcase per check.

pytest's own junit.xml has one testcase per test function, and one property-based test can yield
many checks, so its counts cannot match the reports. This file's can: failures are the failed
checks, and known deviations are skipped with type "known-deviation" (as pytest reports an xfail
as skipped), so CI dashboards neither hide them nor fail on them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from glue_conformance.reports import text
from glue_conformance.reports.results import Results, completeness_line

SUITE_CLASS = "glue-conformance"


def _s(value: object) -> str:
    return text.safe(str(value))


def _details(check: dict[str, Any]) -> str:
    lines = [
        f"{check['id']}: {check['statement']}",
        f"evidence: {check['evidence']}",
        f"strictness: {check['strictness']}",
    ]
    if check["message"]:
        lines.append(f"message: {check['message']}")
    if check["observed"]:
        lines.append(f"observed: {check['observed']}")
    if check["baseline"]:
        lines.append(f"baseline: {check['baseline']['what']} ({check['baseline']['evidence']})")
    if check["request"]:
        lines += ["", "request:", text.request_text(check["request"])]
    if check["response"]:
        lines += ["", "response:", text.response_text(check["response"])]
    if check["reproduction"]:
        for tool in ("curl", "boto3"):
            if check["reproduction"][tool]:
                lines += [f"{tool}:", check["reproduction"][tool]]
    return _s("\n".join(lines))


def junit_from_results(results: Results) -> str:
    """The JUnit XML document (text, with an XML declaration) for a validated results dict."""
    summary = results["summary"]
    skipped = summary["skipped"] + summary["known-deviation"]
    attrs = {
        "name": _s(results["suite"]["name"]),
        "tests": str(summary["total"]),
        "failures": str(summary["failed"]),
        "errors": "0",
        "skipped": str(skipped),
        "time": f"{results['duration_s']:.3f}",
        "timestamp": results["started"].removesuffix("Z"),
    }
    root = ET.Element("testsuites", {k: v for k, v in attrs.items() if k != "timestamp"})
    suite = ET.SubElement(root, "testsuite", attrs)
    properties = ET.SubElement(suite, "properties")
    target, model = results["target"], results["model"]
    for name, value in (
        ("suite.version", results["suite"]["version"]),
        ("target.url", target["url"]),
        ("target.kind", target["kind"]),
        ("target.version", target["version"] or ""),
        ("model.botocore", model["botocore"]),
        ("model.apiVersion", model["apiVersion"]),
        ("model.operationModelSha256", model["operationModelSha256"]),
        ("hypothesis.profile", results["hypothesis"]["profile"] or "default"),
        ("hypothesis.seed", results["hypothesis"]["seed"] or ""),
        ("baseline", (results["baseline"] or {}).get("path", "")),
        ("conformance_pct", f"{summary['conformance_pct']:.1f}"),
        ("completeness", completeness_line(results) or "complete"),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _s(value)})
    for check in results["checks"]:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"{SUITE_CLASS}.{check['group']}",
                "name": _s(check["id"]),
                "time": f"{check['duration_s']:.3f}",
            },
        )
        status = check["status"]
        first_line = text.one_line(check["message"] or check["statement"])
        if status == "failed":
            failure = ET.SubElement(
                case, "failure", {"type": check["rule"], "message": _s(first_line)}
            )
            failure.text = _details(check)
        elif status == "known-deviation":
            what = check["baseline"]["what"] if check["baseline"] else first_line
            skip = ET.SubElement(
                case,
                "skipped",
                {"type": "known-deviation", "message": _s(f"known deviation: {what}")},
            )
            skip.text = _details(check)
        elif status == "skipped":
            ET.SubElement(case, "skipped", {"type": "skipped", "message": _s(first_line)})
        if check["nodeid"] or check["observed"]:
            out = ET.SubElement(case, "system-out")
            out.text = _s(
                "\n".join(
                    line
                    for line in (
                        f"nodeid: {check['nodeid']}" if check["nodeid"] else "",
                        f"observed: {check['observed']}" if check["observed"] else "",
                    )
                    if line
                )
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
