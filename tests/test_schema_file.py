from pathlib import Path

from schema.build import build_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    """Integrations read schema.graphql; regenerate with `python server.py export-schema`."""
    assert SCHEMA_FILE.read_text() == build_schema().as_str() + "\n"


def test_schema_keeps_the_contract_names() -> None:
    sdl = SCHEMA_FILE.read_text()
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
