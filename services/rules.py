"""Rules as SQL conditions, each with the refusal it causes: one list serves three purposes.

A change's statement applies only where every rule holds (a guard in its WHERE); when it
changed nothing, the same rules, evaluated as columns of one SELECT, say which one failed and
why (the diagnosis); and a UI's `actions` can be read from them without restating any.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Label, Select, and_, true
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from infra.transactions import RetryableConflict
from services.errors import DomainError

AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Rule:
    code: str
    holds: ColumnElement[bool]
    message: Callable[[Row[Any]], str]  # worded from the diagnosis row's columns
    field: tuple[str, ...]
    # Labelled columns the message reads, evaluated with the rule.
    facts: tuple[Label[Any], ...] = ()


def guard(rules: Sequence[Rule]) -> ColumnElement[bool]:
    return and_(true(), *(rule.holds for rule in rules))


async def evaluate(
    session: AsyncSession,
    rules: Sequence[Rule],
    target: AnySelect,
    parameters: dict[str, Any],
    missing: DomainError,
    lock: Any = None,
) -> Row[Any]:
    """The row `target` selects, with every rule evaluated on it in the same statement (and the
    row locked FOR UPDATE OF `lock`, if given); raises `missing` when there is no such row, or
    the refusal of the first rule that does not hold."""
    facts = {fact.name: fact for rule in rules for fact in rule.facts}
    stmt = target.add_columns(
        *(rule.holds.label(f"rule_{i}") for i, rule in enumerate(rules)), *facts.values()
    )
    if lock is not None:
        stmt = stmt.with_for_update(of=lock)
    found = (await session.execute(stmt, parameters)).one_or_none()
    if found is None:
        raise missing
    for i, rule in enumerate(rules):
        if not getattr(found, f"rule_{i}"):
            raise DomainError(rule.code, rule.message(found), rule.field)
    return found


async def diagnose(
    session: AsyncSession,
    rules: Sequence[Rule],
    target: AnySelect,
    parameters: dict[str, Any],
    missing: DomainError,
) -> DomainError:
    """Why a guarded statement changed nothing. If every rule holds now, a concurrent change
    made it miss: the transaction is run again."""
    try:
        await evaluate(session, rules, target, parameters, missing)
    except DomainError as refusal:
        return refusal
    raise RetryableConflict
