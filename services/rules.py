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


def checking(rules: Sequence[Rule], target: AnySelect) -> AnySelect:
    """`target` with every rule evaluated as a column of it, and the facts their messages
    read: built once per rule list where the list is reused (the statement's cache key alone,
    computed per new statement, cost more than running it)."""
    facts = {fact.name: fact for rule in rules for fact in rule.facts}
    return target.add_columns(
        *(rule.holds.label(f"rule_{i}") for i, rule in enumerate(rules)), *facts.values()
    )


async def evaluate(
    session: AsyncSession,
    rules: Sequence[Rule],
    statement: AnySelect,
    parameters: dict[str, Any],
    missing: DomainError,
) -> Row[Any]:
    """The row `statement` (`checking(rules, ...)`) selects; raises `missing` when there is no
    such row, or the refusal of the first rule that does not hold."""
    found = (await session.execute(statement, parameters)).one_or_none()
    if found is None:
        raise missing
    for i, rule in enumerate(rules):
        if not getattr(found, f"rule_{i}"):
            raise DomainError(rule.code, rule.message(found), rule.field)
    return found


async def diagnose(
    session: AsyncSession,
    rules: Sequence[Rule],
    statement: AnySelect,
    parameters: dict[str, Any],
    missing: DomainError,
) -> DomainError:
    """Why a guarded statement changed nothing. If every rule holds now, a concurrent change
    made it miss: the transaction is run again."""
    try:
        await evaluate(session, rules, statement, parameters, missing)
    except DomainError as refusal:
        return refusal
    raise RetryableConflict
