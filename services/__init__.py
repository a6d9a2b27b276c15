"""Business rules and permissions. Services flush but never commit, and never import strawberry."""
