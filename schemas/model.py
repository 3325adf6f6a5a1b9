"""The AWS service model that ships inside botocore: the one machine-readable spec we trust.

Pinning botocore (see `constraints.txt`) pins the model; the digest below lets a drift test say
whether a change came from the model or from our generator.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import botocore
import botocore.session

Shape = Mapping[str, Any]


@dataclass(frozen=True)
class ServiceModel:
    """One service's `service-2` model as botocore loads it (shapes by name, operations by name)."""

    service: str
    raw: Mapping[str, Any]

    @property
    def api_version(self) -> str:
        return str(self.raw["metadata"]["apiVersion"])

    @property
    def target_prefix(self) -> str:
        return str(self.raw["metadata"]["targetPrefix"])

    @property
    def protocol(self) -> str:
        return str(self.raw["metadata"]["protocol"])

    @property
    def json_version(self) -> str:
        return str(self.raw["metadata"].get("jsonVersion", ""))

    def operation(self, name: str) -> Mapping[str, Any]:
        operation: Mapping[str, Any] = self.raw["operations"][name]
        return operation

    def shape(self, name: str) -> Shape:
        shape: Shape = self.raw["shapes"][name]
        return shape

    def input_shape(self, operation: str) -> str:
        return str(self.operation(operation)["input"]["shape"])

    def output_shape(self, operation: str) -> str:
        return str(self.operation(operation)["output"]["shape"])

    def error_shapes(self, operation: str) -> list[str]:
        return [str(error["shape"]) for error in self.operation(operation).get("errors", [])]

    def reachable_shapes(self, roots: list[str]) -> Iterator[str]:
        """Every shape name reachable from `roots`, each once, in a stable (depth-first) order."""
        seen: set[str] = set()
        stack = list(reversed(roots))
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            yield name
            shape = self.shape(name)
            children = [m["shape"] for m in shape.get("members", {}).values()]
            children += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
            stack.extend(reversed(children))

    def operation_digest(self, operation: str) -> str:
        """SHA-256 over the operation and every shape it reaches, documentation included."""
        roots = [self.input_shape(operation), self.output_shape(operation)]
        roots += self.error_shapes(operation)
        material = {
            "operation": self.operation(operation),
            "shapes": {
                name: self.shape(name) for name in sorted(set(self.reachable_shapes(roots)))
            },
        }
        canonical = json.dumps(material, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@functools.cache
def loader() -> Any:
    """botocore's data loader, one per process. It keeps what it has parsed, so an SDK client
    made on it later does not parse the same model again."""
    return botocore.session.get_session().get_component("data_loader")


@functools.cache
def load(service: str = "glue") -> ServiceModel:
    """Load a service model from the installed botocore (cached: the files are gzip'd JSON)."""
    return ServiceModel(service, loader().load_service_model(service, "service-2"))


def botocore_version() -> str:
    return str(botocore.__version__)


@functools.cache
def worker_dpu(service: str = "glue") -> dict[str, float]:
    """DPU per worker of each WorkerType, read from the model's own WorkerType text ("For the
    G.2X worker type, each worker maps to 2 DPU"; the R and Z types say "M-DPU"): the number
    follows the model as AWS rewrites it, where a typed table would drift. A type whose text
    gives no number (Standard) is left out."""
    text = str(load(service).shape("JobRun")["members"]["WorkerType"].get("documentation", ""))
    found = re.findall(
        r"<code>([A-Za-z0-9.]+)</code> worker type, each worker maps to ([0-9.]+) (?:M-)?DPU",
        text,
    )
    return {kind: float(dpu) for kind, dpu in found}
