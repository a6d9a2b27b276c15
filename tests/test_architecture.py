"""The code's shape, checked: imports run one way (README, "Architecture"), and the planner's
table of compiled fields matches the schema it compiles for."""

import ast
from pathlib import Path

import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_named_type,
    is_leaf_type,
)

from infra.internals import graphql_schema
from planner.compiler import Compiler
from planner.fields import FIELDS, NODE_TYPES, Object, Scalar
from tests.graphql import SCHEMA

PROJECT_DIR = Path(__file__).resolve().parent.parent
# What each part of the application may import of the others: downward only.
#   server.py -> cli/, edge/ -> planner/, schema/ -> resolvers/ -> services/ -> models/
#   limits/ (documents, prices, budgets) and infra/ (database, transactions, migrations,
#   driver) serve the layers above them; models/ and settings.py import nothing of ours.
MAY_IMPORT = {
    "server": {"cli", "edge", "schema", "limits", "infra", "settings"},
    "cli": {"edge", "schema", "services", "models", "infra", "settings"},
    "edge": {"planner", "schema", "resolvers", "limits", "services", "models", "infra", "settings"},
    "planner": {"limits", "services", "models", "infra"},
    "schema": {"resolvers", "limits", "services", "models", "infra", "settings"},
    "resolvers": {"services", "models", "infra"},
    "limits": {"services", "models", "infra"},
    "services": {"models", "infra"},
    "infra": {"models", "settings"},
    # services: pure calculations only (0004 dates terms with services/terms.py).
    "migrations": {"models", "services", "infra", "settings"},
    "models": set(),
    "settings": set(),
}


def _project_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(MAY_IMPORT)


def _sources() -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for part in MAY_IMPORT:
        module = PROJECT_DIR / f"{part}.py"
        files = [module] if module.exists() else sorted((PROJECT_DIR / part).rglob("*.py"))
        found.extend((part, path) for path in files)
    return found


def test_every_part_of_the_application_is_in_the_map() -> None:
    tops = {p.stem for p in PROJECT_DIR.glob("*.py")} | {
        p.parent.name for p in PROJECT_DIR.glob("*/__init__.py")
    }
    assert tops - {"tests", "bench"} == set(MAY_IMPORT)


@pytest.mark.parametrize(("part", "path"), _sources(), ids=lambda v: str(v))
def test_imports_run_one_way(part: str, path: Path) -> None:
    against = _project_imports(path) - MAY_IMPORT[part] - {part}
    assert not against, f"{path.relative_to(PROJECT_DIR)} imports {sorted(against)}"


def test_the_compiled_field_table_matches_the_schema() -> None:
    schema = graphql_schema(SCHEMA)
    for type_name, fields in FIELDS.items():
        parent = schema.get_type(type_name)
        assert isinstance(parent, GraphQLObjectType), type_name
        for name, spec in fields.items():
            field = parent.fields.get(name)
            assert field is not None, f"{type_name}.{name} is not in the schema"
            target = get_named_type(field.type)
            if isinstance(spec, Scalar):
                assert is_leaf_type(target), f"{type_name}.{name} is not a scalar"
                continue
            assert target.name == spec.type, f"{type_name}.{name} is {target.name}"
            assert isinstance(target, GraphQLObjectType | GraphQLInterfaceType)
            assert spec.arguments <= set(field.args), f"{type_name}.{name} arguments"
            assert callable(getattr(Compiler, spec.build, None)), f"no Compiler.{spec.build}"
            assert spec.type == "Node" or spec.type in FIELDS, f"{spec.type} is not compiled"
    node = schema.get_type("Node")
    assert isinstance(node, GraphQLInterfaceType)
    assert {t.name for t in schema.get_possible_types(node)} >= set(NODE_TYPES)


def test_a_field_the_table_lacks_is_not_compiled() -> None:
    assert isinstance(FIELDS["CustomerSubscription"]["offer"], Object)
    assert "canManage" not in FIELDS["CustomerSubscription"]  # ordinary execution answers it
