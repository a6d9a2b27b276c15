from collections.abc import Iterator
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLSchema,
    Node,
    Visitor,
    parse,
    print_ast,
    specified_scalar_types,
    visit,
)

from infra.internals import graphql_schema
from schema.build import build_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    """Integrations read schema.graphql; regenerate with `python server.py export-schema`."""
    assert SCHEMA_FILE.read_text() == build_schema().as_str() + "\n"


class _DropDescriptions(Visitor):
    def enter(self, node: Node, *_: object) -> Node | None:
        if getattr(node, "description", None) is None:
            return None  # unchanged
        # AST nodes are frozen: a copy without it, as graphql-core's own edits make them.
        values = {key: getattr(node, key) for key in node.keys}
        return node.__class__(**values | {"description": None})


def _without_descriptions(sdl: str) -> str:
    """The SDL as the contract writes it: a described argument would break its line."""
    document = parse(sdl)
    return print_ast(visit(document, _DropDescriptions()))


def test_schema_keeps_the_contract_names() -> None:
    sdl = _without_descriptions(SCHEMA_FILE.read_text())
    for name in (
        "interface Node",
        "type Customer implements Node",
        "type CustomerSubscription implements Node",
        "type Offer implements Node",
        "type Partner implements Node",
        "type Viewer",
        "nodes(ids: [ID!]!): [Node]!",
        "changeQuantity(input: ChangeQuantityInput!): ChangeQuantityPayload!",
        "changeStatus(input: ChangeStatusInput!): ChangeStatusPayload!",
        "addSubscription(input: AddSubscriptionInput!): AddSubscriptionPayload!",
        "userErrors: [UserError!]!",
        "totalCount: Int!",
        "canManage: Boolean!",
        "createdByPartner: Boolean!",
        "version: Int!",
    ):
        assert name in sdl, name


def _elements(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """Every type, field, argument, input field and enum value of ours, with its description."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        yield name, type_.description
        if isinstance(type_, GraphQLEnumType):
            yield from ((f"{name}.{v}", value.description) for v, value in type_.values.items())
            continue
        for field_name, field in getattr(type_, "fields", {}).items():
            yield f"{name}.{field_name}", field.description
            for arg_name, arg in getattr(field, "args", {}).items():
                yield f"{name}.{field_name}({arg_name})", arg.description


def test_every_name_of_the_schema_is_described() -> None:
    """GraphiQL's documentation pane and generated clients show these descriptions."""
    elements = dict(_elements(graphql_schema(build_schema())))
    assert len(elements) > 300
    # A type, a field, an argument, an input field, an enum value: the walk reaches every kind.
    kinds = {
        "Node",
        "Node.id",
        "Query.node(id)",
        "ChangeQuantityInput.quantity",
        "Role.SALES_AGENT",
    }
    assert kinds <= elements.keys()
    assert [name for name, description in elements.items() if not description] == []
