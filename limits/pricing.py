"""What a request costs and whether the key's budget pays for it: priced and charged once, at
the edge, before either path runs (so that a compiled plan and ordinary execution cost alike).
"""

import json
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from limits.budgets import Buckets, Budget, Decision
from limits.cost import MINIMUM_COST, ConnectionCheck, Pricer, cost_variables
from limits.documents import Entry
from services.viewer import Viewer

_KEY = json.JSONEncoder(sort_keys=True, default=str)
MAX_PRICES_PER_DOCUMENT = 64


@dataclass(slots=True)  # not frozen: built on every request, and frozen costs 5x to build
class Charge:
    cost: int
    decision: Decision | None  # None: rate limiting is off

    @property
    def allowed(self) -> bool:
        return self.decision is None or self.decision.allowed


class Pricing:
    def __init__(
        self, pricer: Pricer, max_cost: int, buckets: Buckets | None, budget: Budget
    ) -> None:
        self.pricer = pricer
        self.max_cost = max_cost
        self.buckets = buckets
        self.budget = budget

    def price(
        self,
        entry: Entry | None,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        check_connection: ConnectionCheck | None = None,
    ) -> int:
        """The price of the operation, remembered with the document by the values of the
        variables a price (or `check_connection`) reads. A refused document (None) costs the
        minimum."""
        if entry is None:
            return MINIMUM_COST
        if entry.cost_variables is None:
            entry.cost_variables = tuple(sorted(cost_variables(entry.document)))
        given = variables or {}
        read = entry.cost_variables
        key = (operation_name, _KEY.encode([given.get(name) for name in read]) if read else "")
        cost = entry.costs.get(key)
        if cost is None:
            cost = self.pricer.cost(entry.document, operation_name, given, check_connection)
            if len(entry.costs) >= MAX_PRICES_PER_DOCUMENT:
                entry.costs.pop(next(iter(entry.costs)))
            entry.costs[key] = cost
        return cost

    def too_costly(self, cost: int) -> GraphQLError | None:
        if cost <= self.max_cost:
            return None
        return GraphQLError(
            f"the query costs {cost}; at most {self.max_cost} is allowed per request",
            extensions={"code": "QUERY_TOO_COSTLY"},
        )

    async def charge(self, viewer: Viewer, cost: int) -> Charge:
        if self.buckets is None:
            return Charge(cost, None)
        key = viewer.key_id or f"principal:{viewer.principal_id}"
        return Charge(cost, await self.buckets.take(key, cost))

    @staticmethod
    def refusal(charge: Charge) -> GraphQLError:
        retry = 0 if charge.decision is None else charge.decision.retry_after_s
        return GraphQLError(
            f"rate limit exceeded: retry in {retry} s", extensions={"code": "RATE_LIMITED"}
        )

    def report_json(self, charge: Charge) -> bytes:
        """`report` as JSON text, formatted directly: it goes into every compiled answer."""
        if charge.decision is None:
            return b'{"cost":{"requestedQueryCost":%d,"maximumQueryCost":%d}}' % (
                charge.cost,
                self.max_cost,
            )
        return (
            b'{"cost":{"requestedQueryCost":%d,"maximumQueryCost":%d,"throttleStatus":'
            b'{"maximumAvailable":%d,"currentlyAvailable":%d,"restoreRate":%s}}}'
            % (
                charge.cost,
                self.max_cost,
                self.budget.capacity,
                charge.decision.remaining,
                _KEY.encode(self.budget.refill_per_second).encode(),
            )
        )

    def report(self, charge: Charge) -> dict[str, Any]:
        """`extensions.cost` of a response."""
        cost_report: dict[str, Any] = {
            "requestedQueryCost": charge.cost,
            "maximumQueryCost": self.max_cost,
        }
        if charge.decision is not None:
            cost_report["throttleStatus"] = {
                "maximumAvailable": self.budget.capacity,
                "currentlyAvailable": charge.decision.remaining,
                "restoreRate": self.budget.refill_per_second,
            }
        return {"cost": cost_report}
