from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class CodeValidationErrors(SchemaExtension):
    """Give validation errors the `extensions.code` the contract promises.

    Syntax errors escape before any hook runs after parsing (ParserCache parses in its hook),
    so the HTTP edge codes those by their type.
    """

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or []:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            error.extensions = extensions
