"""`python -m bench`: measure the suite's cost against local targets; print a table, write JSON.

    python -m bench                       # 3 runs each, reference endpoint and moto
    python -m bench --runs 5 --json reports/out/bench.json
    python -m bench --no-moto             # the reference endpoint only

For each of the reference endpoint and a moto server, both started here once, the suite
(`pytest conformance --target-url ...`) and a bare botocore loop (in a process of its own) talk
to the same server, and the suite's run minus its start-up (`--collect-only`) is divided by the
loop's time for the same number of requests. The floor beside it (as many empty pytest tests,
plus a replay of the suite's requests) is what no pytest + Hypothesis suite can go below. The
reference endpoint moves a run one state per poll (`--stage-seconds 0`, as the suite sets moto's
state manager), so no target makes the suite wait; the comparison is repeated with its answers
delayed (`--latency-ms`), as a target across a network answers. Then the default run against
embedded moto (started by the suite), with -n 0 and -n 2, and the rates of the validator and
the strategies. The exit status is 0 when every target the issue set is met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from bench import measure

# What the issue asks of the suite; the bench reports each as met or not.
MAX_MARGINAL_RATIO = 1.3
MAX_STARTUP_S = 2.5
MAX_MOTO_2_CORES_S = 60.0
MAX_LATENCY_WHOLE_RATIO = 0.5  # the whole run over a bare loop of its requests, 20 ms an answer
TWO_RUN_LIVES_S = 4.0  # what a life-cycle stage of 1 s may add: the runs live about 2 s each


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--json", type=Path, default=Path("reports/out/bench.json"))
    parser.add_argument("--no-moto", action="store_true", help="skip the embedded moto runs")
    parser.add_argument(
        "--stage-seconds",
        type=float,
        default=0.0,
        help="the reference endpoint's life-cycle stage (0: one state per poll, as moto's "
        "state manager is set: the target never makes the suite wait)",
    )
    parser.add_argument("--profile", default="glue-ci", help="Hypothesis profile of the suite runs")
    parser.add_argument("--rate-seconds", type=float, default=1.0)
    parser.add_argument(
        "--latency-ms",
        default="20",
        help="comma-separated answer delays to add to the reference endpoint for the same "
        "comparison (a target across a network); '' for none",
    )
    return parser


def compare(
    url: str, recorder: measure.Recorder, runs: int, *args: str, floor: bool = True
) -> dict[str, Any]:
    """The suite and the bare botocore loop against one endpoint, for the same request count:
    start-up, the suite's run, and the marginal ratio (run minus start-up, over the loop); the
    replay of the suite's own requests, the target's time for exactly that work; and with
    `floor`, that replay plus what pytest and Hypothesis cost for the same number of tests and
    examples doing nothing: the least any pytest + Hypothesis suite could take for this run."""
    with recorder.recording() as recorded:
        measure.run_suite("--target-url", url, *args)  # a warm-up whose requests are kept
    startup = measure.startup(runs, "--target-url", url, *args)
    suite = measure.median_run(runs, "--target-url", url, *args)
    bare = measure.bare_botocore_loop(url, suite["requests"], runs)
    marginal = suite["wall_s"] - startup["wall_s"]
    requests = max(suite["requests"], 1)
    result = {
        "startup": startup,
        "suite": suite,
        "bare_botocore": bare,
        "marginal": {
            "suite_minus_startup_s": round(marginal, 3),
            "bare_botocore_s": bare["wall_s"],
            "ratio": round(marginal / bare["wall_s"], 2) if bare["wall_s"] else None,
            "per_request_ms_suite": round(1000 * marginal / requests, 3),
            "per_request_ms_bare": round(1000 * bare["wall_s"] / requests, 3),
        },
    }
    again = measure.replay(url, recorded, runs)
    result["replay"] = again
    result["marginal"]["replay_s"] = again["wall_s"]
    result["marginal"]["ratio_to_replay"] = round(marginal / again["wall_s"], 2)
    if floor:
        items = sum(suite["counts"].values())
        empty = measure.pytest_hypothesis_floor(items, measure.PROPERTY_TESTS, runs, *args)
        least = empty["wall_s"] + again["wall_s"]
        result["floor"] = {
            "pytest_hypothesis": empty,
            "with_replay_s": round(least, 3),
            "ratio": round(least / bare["wall_s"], 2) if bare["wall_s"] else None,
        }
    return result


def with_latency(latency_s: float, runs: int, stage_seconds: float, *args: str) -> dict[str, Any]:
    """The same comparison with every answer of the reference endpoint `latency_s` later."""
    with measure.reference_server(stage_seconds, latency_s) as (url, recorder):
        result = compare(url, recorder, runs, *args, floor=False)
    result["latency_ms"] = round(1000 * latency_s, 3)
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    profile = ("--hypothesis-profile", args.profile)
    results: dict[str, Any] = {}
    with measure.reference_server(args.stage_seconds) as (url, recorder):
        results["reference"] = compare(url, recorder, args.runs, *profile)
        results["reference_n2"] = measure.median_run(
            args.runs, "--target-url", url, *profile, "-n", "2"
        )
    latencies = [float(ms) for ms in args.latency_ms.split(",") if ms.strip()]
    results["latency"] = [
        with_latency(ms / 1000, args.runs, args.stage_seconds, *profile) for ms in latencies
    ]
    with measure.reference_server(1.0) as (url, _):
        results["reference_stage_1"] = measure.median_run(args.runs, "--target-url", url, *profile)
    if not args.no_moto:
        with measure.moto_server() as (url, recorder):
            baseline = (
                "--glue-baseline",
                str(measure.ROOT / "reports" / "baselines" / "moto.json"),
            )
            results["moto"] = compare(url, recorder, args.runs, *profile, *baseline)
        results["moto_embedded_n0"] = measure.median_run(args.runs, *profile)
        results["moto_embedded_n2"] = measure.median_run(args.runs, *profile, "-n", "2")
        results["compare_moto"] = measure.median_compare(args.runs, "--glue-target", "moto")
    results["schema_validations_per_s"] = round(
        measure.schema_validations_per_s(args.rate_seconds), 1
    )
    results["strategy_examples_per_s"] = measure.strategy_examples_per_s(args.rate_seconds)
    results["criteria"] = _criteria(results)
    return results


def _criteria(results: dict[str, Any]) -> dict[str, bool]:
    ratio = results["reference"]["marginal"]["ratio"]
    criteria = {
        "marginal_ratio<=1.3": ratio is not None and ratio <= MAX_MARGINAL_RATIO,
        "startup<2.5s": results["reference"]["startup"]["wall_s"] < MAX_STARTUP_S,
    }
    if "moto_embedded_n2" in results:
        wall = results["moto_embedded_n2"]["wall_s"]
        criteria["moto_n2<60s"] = wall < MAX_MOTO_2_CORES_S
    if "compare_moto" in results:  # issue 27: at most twice the default run
        default = results["moto_embedded_n0"]["wall_s"]
        criteria["compare_moto<=2x_default"] = results["compare_moto"]["wall_s"] <= 2 * default
    for c in results.get("latency", []):
        if c["latency_ms"] == 20:
            whole = c["suite"]["wall_s"] / c["bare_botocore"]["wall_s"]
            criteria["20ms:whole/bare<=0.5"] = whole <= MAX_LATENCY_WHOLE_RATIO
    if "reference_stage_1" in results:
        extra = results["reference_stage_1"]["wall_s"] - results["reference"]["suite"]["wall_s"]
        criteria["stage1<=stage0+4s"] = extra <= TWO_RUN_LIVES_S
    return criteria


def table(results: dict[str, Any]) -> str:
    rows = [("measurement", "median", "requests", "detail")]

    def suite_row(label: str, r: dict[str, Any]) -> None:
        counts = ", ".join(f"{n} {w}" for w, n in r["counts"].items())
        rows.append((label, f"{r['wall_s']:.2f} s", str(r["requests"]), counts))

    for name in ("reference", "moto"):
        if name not in results:
            continue
        c = results[name]
        suite_row(f"{name}: start-up (--collect-only)", c["startup"])
        suite_row(f"{name}: suite, -n 0", c["suite"])
        bare = c["bare_botocore"]
        rows.append(
            (f"{name}: bare botocore loop", f"{bare['wall_s']:.2f} s", str(bare["requests"]), "")
        )
        m = c["marginal"]
        rows.append(
            (
                f"{name}: (suite - start-up) / bare",
                f"{m['ratio']}x",
                "",
                f"{m['suite_minus_startup_s']:.2f} s vs {m['bare_botocore_s']:.2f} s "
                f"({m['per_request_ms_suite']} vs {m['per_request_ms_bare']} ms/request)",
            )
        )
        if "replay" in c:
            again = c["replay"]
            rows.append(
                (
                    f"{name}: replay of the suite's requests",
                    f"{again['wall_s']:.2f} s",
                    str(again["requests"]),
                    f"(suite - start-up) / replay: {m['ratio_to_replay']}x",
                )
            )
        if "floor" in c:
            least = c["floor"]
            empty = least["pytest_hypothesis"]
            rows.append(
                (
                    f"{name}: floor (empty tests + replay) / bare",
                    f"{least['ratio']}x",
                    "",
                    f"{empty['wall_s']:.2f} s for {empty['items']} empty tests "
                    f"({empty['properties']} of them Hypothesis) + {m['replay_s']:.2f} s replay",
                )
            )
    for c in results.get("latency", []):
        m = c["marginal"]
        ms = f"reference + {c['latency_ms']:g} ms a request"
        suite_row(f"{ms}: suite, -n 0", c["suite"])
        bare = c["bare_botocore"]
        rows.append(
            (f"{ms}: bare botocore loop", f"{bare['wall_s']:.2f} s", str(bare["requests"]), "")
        )
        rows.append(
            (
                f"{ms}: whole run / bare",
                f"{c['suite']['wall_s'] / bare['wall_s']:.2f}x",
                "",
                f"(suite - start-up) / bare: {m['ratio']}x",
            )
        )
    for label, key in (
        ("reference, stage 1 s (a run lives about 2 s): suite, -n 0", "reference_stage_1"),
        ("reference: suite, -n 2", "reference_n2"),
        ("embedded moto (started by the suite), -n 0", "moto_embedded_n0"),
        ("embedded moto (started by the suite), -n 2", "moto_embedded_n2"),
    ):
        if key in results:
            suite_row(label, results[key])
    if "compare_moto" in results:
        c = results["compare_moto"]
        default = results["moto_embedded_n0"]["wall_s"]
        rows.append(
            (
                "compare: shipped record vs embedded moto",
                f"{c['wall_s']:.2f} s",
                "",
                f"{c['wall_s'] / default:.2f}x the default run (at most 2x)",
            )
        )
    rate = results["schema_validations_per_s"]
    rows.append(("schema validations (full JobRun)", f"{rate:.0f}/s", "", ""))
    for name, value in results["strategy_examples_per_s"].items():
        rows.append((f"strategy {name}", f"{value:.0f}/s", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    verdicts = ", ".join(
        f"{name}: {'met' if met else 'NOT met'}" for name, met in results["criteria"].items()
    )
    return "\n".join(lines) + f"\n\n{verdicts}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.time()
    results = run(args)
    document = {
        "format": "glue-conformance/bench@1",
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "runs": args.runs,
        "profile": args.profile,
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nJSON: {args.json}")
    return 0 if all(results["criteria"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
