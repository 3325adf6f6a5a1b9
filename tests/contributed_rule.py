"""A new strict rule as a contributor adds it, in CONTRIBUTING's three places, for
tests/test_contributing.py to show that nothing else is needed: imported in a process of its own
(it registers into the suite's registries), never by the project's test session.

1. the rule (as an entry of conformance/rules.py would be);
2. its check, its faithful and deviating cases on its decorator (conformance/checks/<group>.py);
3. its seeded fault: the catalogue's entry (conformance/reference/catalogue.py) and the one branch
   that bends the honest answer (conformance/reference/server.py), here wrapped around the
   server's GetJobRun instead of written into it.
"""

from __future__ import annotations

from typing import Any

import glue_conformance.checks.examples as ex
from glue_conformance.checks.base import Context
from glue_conformance.checks.registry import check, expect
from glue_conformance.checks.subjects import Observation
from glue_conformance.reference import catalogue, server
from glue_conformance.reference.catalogue import FAULTS, Fault
from glue_conformance.reference.probes import Client, run_of_meaning_job
from glue_conformance.rules import RULES, Group, Rule

RULE_ID = "response.contributed.absent"
MEMBER = "ContributedMember"

# 1. the rule
RULES[RULE_ID] = Rule(
    RULE_ID,
    Group.RESPONSE,
    f"A JobRun carries no member named {MEMBER} (a rule made up by tests/contributed_rule.py).",
    (RULES["response.schema"].evidence[0],),
)


# 2. the check and its two unit cases
@check(
    RULE_ID,
    judges="jobrun",
    faithful=lambda: (ex.seen(),),
    deviating=lambda: (ex.seen(ex.ok(**{MEMBER: True})),),
)
def check_no_contributed_member(obs: Observation, ctx: Context) -> None:
    expect(MEMBER not in obs.run, f"{obs.call}: {MEMBER} present", obs.exchange)


# 3. the fault: its entry ...
CONTRIBUTED_MEMBER = "contributed-member"


def _carries_member(c: Client) -> bool:
    return MEMBER in run_of_meaning_job(c)


FAULTS[CONTRIBUTED_MEMBER] = Fault(
    CONTRIBUTED_MEMBER,
    f"Every GetJobRun answer's JobRun carries {MEMBER}.",
    (RULE_ID,),
    probe=catalogue.Probe(_carries_member, False, True),
)

# ... and its branch in the server
_honest = server.Glue.get_job_run


def _get_job_run(self: server.Glue, request: dict[str, Any]) -> dict[str, Any]:
    answer = _honest(self, request)
    if CONTRIBUTED_MEMBER in self.faults:
        answer["JobRun"][MEMBER] = True
    return answer


server.Glue.get_job_run = _get_job_run  # type: ignore[method-assign]
