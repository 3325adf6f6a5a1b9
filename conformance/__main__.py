"""`python -m glue_conformance`: the `glue-conformance` command (glue_conformance.cli)."""

import sys

from glue_conformance.cli import main

sys.exit(main())
