"""Botocore shapes -> JSON Schema (Draft 2020-12), with AWS JSON 1.1 wire semantics.

Generic over shape kinds so any operation of any `json`-protocol service can be generated; only
Glue's GetJobRun is committed. Wire rules (see shared evidence, section 3 and 4):
timestamps travel as JSON numbers (epoch seconds, fractions allowed); `integer`/`long` as JSON
integers within their Java range; `float`/`double` as numbers; enums are closed. Input objects
list their members (`additionalProperties: false`): the model says what a well-formed request
holds. Output and error objects stay open because AWS adds members and clients ignore them.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Mapping
from typing import Any

from glue_conformance.schemas import java_regex
from glue_conformance.schemas.model import ServiceModel, botocore_version

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_ROOT = "urn:glue-conformance:schema"
LENGTH_NOTE = (
    "minLength/maxLength count Unicode code points, as the smithy length trait does. Whether "
    "Glue's validator counts code points or UTF-16 code units is unconfirmed; the two differ "
    "only for supplementary characters."
)
_INT_RANGES = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(documentation: str) -> str:
    """The model's HTML documentation as one line of plain text."""
    parser = _TextOnly()
    parser.feed(documentation)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


class SchemaBuilder:
    """Builds one schema document; shapes become `$defs` entries referenced by name."""

    def __init__(self, model: ServiceModel, *, closed_objects: bool) -> None:
        self.model = model
        self.closed_objects = closed_objects
        self.defs: dict[str, dict[str, Any]] = {}

    def ref(self, shape_name: str) -> dict[str, Any]:
        if shape_name not in self.defs:
            self.defs[shape_name] = {}  # placeholder first: recursive shapes terminate
            self.defs[shape_name] = self.shape(shape_name)
        return {"$ref": f"#/$defs/{shape_name}"}

    def member(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        schema = self.ref(spec["shape"])
        if spec.get("documentation"):
            schema["description"] = plain_text(spec["documentation"])
        if spec.get("deprecated"):
            schema["deprecated"] = True
        return schema

    def shape(self, name: str) -> dict[str, Any]:
        shape = self.model.shape(name)
        kind = shape["type"]
        schema: dict[str, Any] = {"title": name}
        if shape.get("documentation"):
            schema["description"] = plain_text(shape["documentation"])
        if kind == "structure":
            schema.update(self.structure(shape))
        elif kind == "list":
            schema.update({"type": "array", "items": self.ref(shape["member"]["shape"])})
            schema.update(_bounds(shape, "minItems", "maxItems"))
        elif kind == "map":
            schema.update(
                {
                    "type": "object",
                    "propertyNames": self.ref(shape["key"]["shape"]),
                    "additionalProperties": self.ref(shape["value"]["shape"]),
                }
            )
            schema.update(_bounds(shape, "minProperties", "maxProperties"))
        elif kind == "string":
            schema.update(string_schema(shape))
        elif kind == "boolean":
            schema["type"] = "boolean"
        elif kind in _INT_RANGES:
            low, high = _INT_RANGES[kind]
            schema.update(
                {
                    "type": "integer",
                    "minimum": max(low, shape.get("min", low)),
                    "maximum": min(high, shape.get("max", high)),
                }
            )
        elif kind in ("double", "float"):
            schema["type"] = "number"
            schema.update(_bounds(shape, "minimum", "maximum"))
        elif kind == "timestamp":
            schema.update(timestamp_schema(shape))
        elif kind == "blob":
            schema.update({"type": "string", "contentEncoding": "base64"})
        else:
            raise ValueError(f"shape {name!r}: unsupported type {kind!r}")
        return schema

    def structure(self, shape: Mapping[str, Any]) -> dict[str, Any]:
        members = shape.get("members", {})
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {key: self.member(spec) for key, spec in members.items()},
        }
        if shape.get("required"):
            schema["required"] = list(shape["required"])
        if self.closed_objects:
            schema["additionalProperties"] = False
        return schema


def string_schema(shape: Mapping[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if "enum" in shape:
        schema["enum"] = list(shape["enum"])
    schema.update(_bounds(shape, "minLength", "maxLength"))
    if "min" in shape or "max" in shape:
        schema["$comment"] = LENGTH_NOTE
    if "pattern" in shape:
        schema["pattern"] = java_regex.to_portable(shape["pattern"])
        schema["x-java-pattern"] = shape["pattern"]
    return schema


def timestamp_schema(shape: Mapping[str, Any]) -> dict[str, Any]:
    fmt = shape.get("timestampFormat", "unixTimestamp")
    if fmt == "unixTimestamp":
        return {
            "type": "number",
            "$comment": "AWS JSON 1.1 default: epoch seconds as a JSON number, fractions allowed.",
        }
    return {"type": "string", "x-timestamp-format": fmt}


def _bounds(shape: Mapping[str, Any], low_key: str, high_key: str) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if "min" in shape:
        bounds[low_key] = shape["min"]
    if "max" in shape:
        bounds[high_key] = shape["max"]
    return bounds


def _document(
    model: ServiceModel, operation: str, part: str, title: str, body: dict[str, Any]
) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": f"{ID_ROOT}:{model.service}:{model.api_version}:{operation}.{part}",
        "title": title,
        **body,
        "x-source": {
            "botocore": botocore_version(),
            "service": model.service,
            "apiVersion": model.api_version,
            "operation": operation,
            "operationModelSha256": model.operation_digest(operation),
            "generator": "python -m glue_conformance.schemas",
        },
    }


def _root(builder: SchemaBuilder, shape_name: str) -> dict[str, Any]:
    """A document whose root is the shape itself, with the other shapes under `$defs`."""
    root = builder.shape(shape_name)
    root.pop("title", None)
    return {**root, "$defs": dict(sorted(builder.defs.items()))}


def request_schema(model: ServiceModel, operation: str) -> dict[str, Any]:
    builder = SchemaBuilder(model, closed_objects=True)
    body = _root(builder, model.input_shape(operation))
    return _document(model, operation, "request", f"{operation} request body", body)


def response_schema(model: ServiceModel, operation: str) -> dict[str, Any]:
    builder = SchemaBuilder(model, closed_objects=False)
    body = _root(builder, model.output_shape(operation))
    return _document(model, operation, "response", f"{operation} response body (HTTP 200)", body)


def error_schema(model: ServiceModel, operation: str) -> dict[str, Any]:
    """The AWS JSON 1.1 error envelope, plus one `$defs` entry per modelled error of the operation.

    The envelope does not require `__type`: the smithy awsJson1_1 spec lets the type travel in
    the `X-Amzn-Errortype` header or a body `code` member instead. Both `message` (framework
    errors) and `Message` (Glue's modelled errors) occur in real answers.
    """
    builder = SchemaBuilder(model, closed_objects=False)
    errors: dict[str, Any] = {}
    for name in model.error_shapes(operation):
        builder.ref(name)
        shape = model.shape(name)
        errors[name] = {"fault": "server" if shape.get("fault") else "client"}
    for name in errors:
        builder.defs[name].setdefault("properties", {})["__type"] = {"$ref": "#/$defs/ErrorType"}
    builder.defs["ErrorType"] = {
        "title": "ErrorType",
        "description": "Shape name, possibly namespaced (ns#Name) or suffixed (Name:uri).",
        "type": "string",
        "minLength": 1,
    }
    body = {
        "description": "AWS JSON 1.1 error body (smithy awsJson1_1 protocol).",
        "type": "object",
        "properties": {
            "__type": {"$ref": "#/$defs/ErrorType"},
            "code": {"$ref": "#/$defs/ErrorType"},
            "message": {"type": "string"},
            "Message": {"type": "string"},
        },
        "x-modelled-errors": errors,
        "$defs": dict(sorted(builder.defs.items())),
    }
    return _document(model, operation, "error", f"{operation} error body (AWS JSON 1.1)", body)


def operation_schemas(model: ServiceModel, operation: str) -> dict[str, dict[str, Any]]:
    """File name (relative to `schemas/<service>/`) -> schema document."""
    if model.protocol != "json":
        raise ValueError(f"{model.service}: protocol {model.protocol!r} is not AWS JSON")
    return {
        f"{operation}.request.json": request_schema(model, operation),
        f"{operation}.response.json": response_schema(model, operation),
        f"{operation}.error.json": error_schema(model, operation),
    }
