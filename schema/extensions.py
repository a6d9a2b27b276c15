from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from limits.documents import Documents


class PreparedDocuments(SchemaExtension):
    """Parse and validate through the process's cache of accepted documents (schema/documents)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.accepted = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        entry = self.documents.cached(query)
        self.accepted = entry is not None
        document = entry.document if entry is not None else self.documents.parse(query)
        context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            # Set here, so that Strawberry's own validation does not run a second time.
            context.pre_execution_errors = (
                [] if self.accepted else self.documents.validate(document)
            )
        yield
        if document is not None and not self.accepted and not context.pre_execution_errors:
            self.documents.remember(context.query or "", document)
