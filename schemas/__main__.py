"""`python -m glue_conformance.schemas`: regenerate the committed schemas from the installed
botocore model.

`--check` writes nothing and exits 1 when the committed files differ from what the model makes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from glue_conformance.schemas import OPERATIONS, SCHEMA_DIR
from glue_conformance.schemas.generator import operation_schemas
from glue_conformance.schemas.model import botocore_version, load


def render(schema: dict[str, Any]) -> str:
    """Stable text: sorted by construction, ASCII-only (astral characters as JSON escapes)."""
    return json.dumps(schema, indent=2, ensure_ascii=True) + "\n"


def expected_files() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for service, operation in OPERATIONS:
        for name, schema in operation_schemas(load(service), operation).items():
            Draft202012Validator.check_schema(schema)
            files[SCHEMA_DIR / service / name] = render(schema)
    return files


def _in_checkout() -> bool:
    """The committed files live in a checkout; an installed copy is not where they are kept."""
    return not {"site-packages", "dist-packages"} & set(SCHEMA_DIR.resolve().parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glue_conformance.schemas", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if committed files drift")
    args = parser.parse_args(argv)
    if not args.check and not _in_checkout():
        parser.error(
            f"{SCHEMA_DIR} is an installed copy: regenerate in a checkout (--check works anywhere)"
        )
    drifted = []
    for file, text in expected_files().items():
        current = file.read_text(encoding="utf-8") if file.exists() else None
        if current == text:
            print(f"ok       {file.relative_to(SCHEMA_DIR.parent)}")
            continue
        drifted.append(file)
        if args.check:
            print(f"DRIFT    {file.relative_to(SCHEMA_DIR.parent)}")
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
            print(f"written  {file.relative_to(SCHEMA_DIR.parent)}")
    verb = "drifted" if args.check else "changed"
    print(f"botocore {botocore_version()}: {len(drifted)} file(s) {verb}")
    if args.check and drifted:
        print(
            "regenerate with `python -m glue_conformance.schemas` (or install the pinned botocore)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
