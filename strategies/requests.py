"""Whole request bodies for an operation, valid or breaking exactly one thing, from the model.

Generic over the input structure's members: string members use the string builder, booleans
`st.booleans()`. An invalid body keeps every other member valid, so the one error a target should
report is known in advance (member + rule), and a check can assert that the error names it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from glue_conformance.schemas import model
from glue_conformance.strategies.constraints import StringConstraints, Violation
from glue_conformance.strategies.strings import StringStrategies

# A JSON value of the wrong type for each kind of member, named for reports.
WRONG_FOR_STRING: dict[str, st.SearchStrategy[Any]] = {
    "number": st.one_of(
        st.integers(-(2**31), 2**31), st.floats(allow_nan=False, allow_infinity=False)
    ),
    "boolean": st.booleans(),
    "list": st.lists(st.text(max_size=3), max_size=2),
    "object": st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
}
WRONG_FOR_BOOLEAN: dict[str, st.SearchStrategy[Any]] = {
    "string": st.sampled_from(["true", "false", "True", "1", ""]),
    "number": st.sampled_from([0, 1]),
    "list": st.just([True]),
    "object": st.just({"value": True}),
}


@dataclass(frozen=True)
class InvalidRequest:
    """A request body that breaks exactly one rule of one member."""

    body: dict[str, Any]
    member: str
    rule: Violation
    detail: str


class OperationRequests:
    """Request strategies for one operation's input shape."""

    def __init__(self, operation: str, service: str = "glue") -> None:
        service_model = model.load(service)
        shape = service_model.shape(service_model.input_shape(operation))
        self.required: list[str] = list(shape.get("required", []))
        self.strings: dict[str, StringStrategies] = {}
        self.booleans: list[str] = []
        for name, member in shape["members"].items():
            kind = service_model.shape(member["shape"])["type"]
            if kind == "string":
                constraints = StringConstraints.from_model(member["shape"], service)
                self.strings[name] = StringStrategies(constraints)
            elif kind == "boolean":
                self.booleans.append(name)
            else:
                raise NotImplementedError(f"{operation}.{name}: {kind} members are not generated")

    def valid(self) -> st.SearchStrategy[dict[str, Any]]:
        return self._valid

    @functools.cached_property
    def _valid(self) -> st.SearchStrategy[dict[str, Any]]:
        required = {name: self._valid_member(name) for name in self.required}
        optional = {
            name: self._valid_member(name)
            for name in [*self.strings, *self.booleans]
            if name not in self.required
        }
        return st.fixed_dictionaries(required, optional=optional)

    def _valid_member(self, name: str) -> st.SearchStrategy[Any]:
        return self.strings[name].valid() if name in self.strings else st.booleans()

    def invalid(self, *, include_unsettled: bool = False) -> st.SearchStrategy[InvalidRequest]:
        """Bodies breaking one thing. UTF-16-only length values are left out unless asked for:
        a request is meant to be invalid without doubt."""
        branches = []
        for name in self.required:
            branches.append(self._without(name))
            branches.append(self._with(name, st.none(), Violation.REQUIRED, "null"))
        for name, builder in self.strings.items():
            for kind, wrong in WRONG_FOR_STRING.items():
                branches.append(self._with(name, wrong, Violation.TYPE, f"{kind} for a string"))
            labelled = builder.invalid(include_unsettled=include_unsettled)
            branches.append(
                st.tuples(self.valid(), labelled, st.just(name)).map(
                    lambda drawn: InvalidRequest(
                        {**drawn[0], drawn[2]: drawn[1].value},
                        drawn[2],
                        drawn[1].rule,
                        drawn[1].detail,
                    )
                )
            )
        for name in self.booleans:
            for kind, wrong in WRONG_FOR_BOOLEAN.items():
                branches.append(self._with(name, wrong, Violation.TYPE, f"{kind} for a boolean"))
        return st.one_of(branches)

    def _without(self, name: str) -> st.SearchStrategy[InvalidRequest]:
        return self.valid().map(
            lambda body: InvalidRequest(
                {k: v for k, v in body.items() if k != name}, name, Violation.REQUIRED, "missing"
            )
        )

    def _with(
        self, name: str, value: st.SearchStrategy[Any], rule: Violation, detail: str
    ) -> st.SearchStrategy[InvalidRequest]:
        return st.tuples(self.valid(), value).map(
            lambda pair: InvalidRequest({**pair[0], name: pair[1]}, name, rule, detail)
        )
