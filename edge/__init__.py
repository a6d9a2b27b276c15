"""The HTTP edge: GraphQL over HTTP, authentication, error shaping, health."""
