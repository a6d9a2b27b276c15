from collections.abc import Iterator
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLSchema,
    Node,
    TypeDefinitionNode,
    TypeExtensionNode,
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


# API.md version 2's names that new commerce covers ("Prices, terms and the order preview",
# "Subscriptions under new commerce", "New mutations", and from "Activity and events" all but
# the Subscription root type), transcribed: every one must be in the schema, with its type.
CONTRACT_V2 = """
scalar Decimal
type Money { amount: Decimal!  currencyCode: String! }
enum TermDuration { P1M P1Y P3Y }
type OfferTerm { termDuration: TermDuration!  billingCycle: BillingCycle!  unitPrice: Money! }
extend type Offer { terms: [OfferTerm!]!  seatLimitPerCustomer: Int }
type ChargePreview {
  amount: Money!  unitPrice: Money!  quantity: Int!  termDuration: TermDuration!
  billingCycle: BillingCycle!  commitmentEndDate: Date!  cancellationAllowedUntil: DateTime
}
extend input AddSubscriptionInput { termDuration: TermDuration  validateOnly: Boolean }
extend input ChangeQuantityInput { validateOnly: Boolean }
extend input ChangeStatusInput { validateOnly: Boolean }
extend type ChangeQuantityPayload { preview: ChargePreview }
extend type ChangeStatusPayload { preview: ChargePreview }
extend type AddSubscriptionPayload { preview: ChargePreview }
enum SubscriptionStatus { ACTIVE SUSPENDED CANCELLED EXPIRED DISABLED DELETED }
enum SubscriptionAction {
  INCREASE_QUANTITY DECREASE_QUANTITY SUSPEND REACTIVATE CANCEL CHANGE_RENEWAL RENAME
}
enum NotManageableReason { DIRECT_PURCHASE SOLD_BY_PARTNER PARTNER_CREATED_ACCOUNT ROLE_READ_ONLY }
type RefundableBatch { quantity: Int!  allowedUntil: DateTime! }
type RefundableQuantity { totalQuantity: Int!  details: [RefundableBatch!]! }
type NextTerm { quantity: Int!  termDuration: TermDuration!  billingCycle: BillingCycle! }
extend type CustomerSubscription {
  termDuration: TermDuration!  commitmentEndDate: Date!  cancellationAllowedUntil: DateTime
  refundableQuantity: RefundableQuantity!  nextTerm: NextTerm  unitPrice: Money!
  actions: [SubscriptionAction!]!  notManageableReason: NotManageableReason
  addOns(first: Int, after: String): CustomerSubscriptionConnection!
}
type Mutation {
  createCustomer(input: CreateCustomerInput!): CreateCustomerPayload!
  changeRenewal(input: ChangeRenewalInput!): ChangeRenewalPayload!
  renameSubscription(input: RenameSubscriptionInput!): RenameSubscriptionPayload!
}
input CreateCustomerInput {
  companyName: String!  domainPrefix: String!  country: String!  adminName: String!
  adminEmail: String!  idempotencyKey: String  validateOnly: Boolean  clientMutationId: String
}
type CreateCustomerPayload {
  customer: Customer  userErrors: [UserError!]!  clientMutationId: String
}
input ChangeRenewalInput {
  subscriptionId: ID!  autoRenew: Boolean  nextTerm: NextTermInput  clearNextTerm: Boolean
  expectedVersion: Int  validateOnly: Boolean  clientMutationId: String
}
input NextTermInput { quantity: Int!  termDuration: TermDuration!  billingCycle: BillingCycle! }
input RenameSubscriptionInput {
  subscriptionId: ID!  friendlyName: String!  expectedVersion: Int  validateOnly: Boolean
  clientMutationId: String
}
type ChangeRenewalPayload {
  subscription: CustomerSubscription  userErrors: [UserError!]!  clientMutationId: String
  preview: ChargePreview
}
type RenameSubscriptionPayload {
  subscription: CustomerSubscription  userErrors: [UserError!]!  clientMutationId: String
  preview: ChargePreview
}
enum UserErrorCode {
  DOMAIN_TAKEN INVALID_COUNTRY QUANTITY_DECREASE_NOT_ALLOWED CANCELLATION_WINDOW_PASSED
  SEAT_LIMIT_EXCEEDED PARENT_NOT_ACTIVE TERM_NOT_AVAILABLE
}
type Activity implements Node {
  id: ID!  operation: ActivityOperation!  occurredAt: DateTime!  version: Int  before: JSON
  after: JSON!  actor: String!  actorKind: ActorKind!  subscription: CustomerSubscription
  customer: Customer!
}
enum ActivityOperation {
  ADD_SUBSCRIPTION CHANGE_QUANTITY CHANGE_STATUS CHANGE_RENEWAL RENAME_SUBSCRIPTION RENEW
  EXPIRE DISABLE DELETE CREATE_CUSTOMER
}
enum ActorKind { PARTNER_USER CUSTOMER_USER SYSTEM }
input ActivityFilter {
  customerId: ID  subscriptionId: ID  operations: [ActivityOperation!]  occurredAfter: DateTime
  occurredBefore: DateTime
}
extend type Query {
  activity(first: Int, after: String, filter: ActivityFilter): ActivityConnection!
}
"""


def _contract_names(sdl: str) -> Iterator[tuple[str, str]]:
    """(a name, its type or "") for each type, field, argument, input field and enum value."""
    for definition in parse(sdl).definitions:
        assert isinstance(definition, TypeDefinitionNode | TypeExtensionNode)
        name = definition.name.value
        yield name, ""
        for value in getattr(definition, "values", None) or ():
            yield f"{name}.{value.name.value}", ""
        for field in getattr(definition, "fields", None) or ():
            yield f"{name}.{field.name.value}", print_ast(field.type)
            for arg in getattr(field, "arguments", None) or ():
                yield f"{name}.{field.name.value}({arg.name.value})", print_ast(arg.type)


def _schema_names(schema: GraphQLSchema) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, type_ in schema.type_map.items():
        found[name] = ""
        if isinstance(type_, GraphQLEnumType):
            found.update((f"{name}.{v}", "") for v in type_.values)
            continue
        for field_name, field in getattr(type_, "fields", {}).items():
            found[f"{name}.{field_name}"] = str(field.type)
            for arg_name, arg in getattr(field, "args", {}).items():
                found[f"{name}.{field_name}({arg_name})"] = str(arg.type)
    return found


def test_schema_carries_the_new_commerce_names_of_the_contract() -> None:
    ours = _schema_names(graphql_schema(build_schema()))
    wanted = dict(_contract_names(CONTRACT_V2))
    assert {name: ours.get(name) for name in wanted} == wanted
