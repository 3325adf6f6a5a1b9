"""A spec-faithful Glue endpoint with switchable seeded faults and tolerated variants.

It proves the suite both ways: clean, every strict check passes; with a fault, the check that
should notice does; with a variant of real AWS behaviour, nothing fails. See `catalogue.py`.
"""

from glue_conformance.reference.catalogue import FAULTS, VARIANTS, Fault, Variant
from glue_conformance.reference.server import ReferenceServer

__all__ = ["FAULTS", "VARIANTS", "Fault", "ReferenceServer", "Variant"]
