"""Compiled read paths: a hot query becomes one SQL statement that builds its JSON answer.

graphql-core resolves field by field (microseconds each, thousands per customer list); for
the documents this package understands, a plan is compiled once per document and runs as a
single statement, with visibility from services.access, the one place it is defined.
Anything else, and any argument out of range, runs through ordinary execution, so errors
have one source. `Settings.verify_plans` runs both and compares (the test suite does).
"""
