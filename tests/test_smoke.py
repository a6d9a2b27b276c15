from infra.database import Database
from tests.factories import World
from tests.graphql import data


async def test_partner_admin_lists_own_customers(database: Database, world: World) -> None:
    result = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        "{ customers { totalCount nodes { companyName } } }",
    )
    assert result["customers"] == {
        "totalCount": 3,
        "nodes": [
            {"companyName": "Created Co"},
            {"companyName": "Independent Co"},
            {"companyName": "Shared Co"},
        ],
    }
