import strawberry


@strawberry.interface
class Node:
    """An object with a global id, fetchable with `node(id:)`."""

    id: strawberry.ID
