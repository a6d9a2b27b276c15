"""Every use of a library's private API, each behind one small accessor.

tests/test_internals.py pins the behaviour each accessor relies on, so that an upgrade that
changes it fails there, by name, instead of somewhere downstream. (edge/protocol.py subclasses
uvicorn's httptools protocol; the same test file pins the hooks it overrides.)
"""

import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLSchema
from sqlalchemy.sql.compiler import SQLCompiler
from strawberry import Schema


def graphql_schema(schema: Schema) -> GraphQLSchema:
    """The graphql-core schema Strawberry builds and executes with (`Schema._schema`)."""
    built: GraphQLSchema = schema._schema
    return built


def bind_processors(compiled: SQLCompiler) -> dict[str, Callable[[Any], Any] | Any]:
    """How each bind parameter's type converts a value for the driver
    (`SQLCompiler._bind_processors`): what a statement run outside SQLAlchemy must apply."""
    processors: dict[str, Any] = dict(compiled._bind_processors)
    return processors


def skip_caller_lookup() -> None:
    """Log records without the caller's file, line and function (`logging._srcfile = None`),
    as the logging HOWTO's "Optimization" section advises where no line shows them."""
    logging._srcfile = None
