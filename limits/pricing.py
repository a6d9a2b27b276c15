"""What a request costs and whether the key's budget pays for it: one place for both paths
(ordinary execution's extension and compiled plans at the edge)."""

from typing import Any

from graphql import GraphQLError

from limits.budgets import Buckets, Budget, Decision
from services.viewer import Viewer


class Pricing:
    def __init__(self, max_cost: int, buckets: Buckets | None, budget: Budget) -> None:
        self.max_cost = max_cost
        self.buckets = buckets
        self.budget = budget

    def too_costly(self, cost: int) -> GraphQLError | None:
        if cost <= self.max_cost:
            return None
        return GraphQLError(
            f"the query costs {cost}; at most {self.max_cost} is allowed per request",
            extensions={"code": "QUERY_TOO_COSTLY"},
        )

    async def charge(self, viewer: Viewer, cost: int) -> Decision | None:
        """None when rate limiting is off."""
        if self.buckets is None:
            return None
        return await self.buckets.take(viewer.key_id or f"principal:{viewer.principal_id}", cost)

    @staticmethod
    def refusal(decision: Decision) -> GraphQLError:
        return GraphQLError(
            f"rate limit exceeded: retry in {decision.retry_after_s} s",
            extensions={"code": "RATE_LIMITED"},
        )

    def report(self, cost: int, throttle: Decision | None) -> dict[str, Any]:
        """`extensions.cost` of a response."""
        cost_report: dict[str, Any] = {
            "requestedQueryCost": cost,
            "maximumQueryCost": self.max_cost,
        }
        if throttle is not None:
            cost_report["throttleStatus"] = {
                "maximumAvailable": self.budget.capacity,
                "currentlyAvailable": throttle.remaining,
                "restoreRate": self.budget.refill_per_second,
            }
        return {"cost": cost_report}
