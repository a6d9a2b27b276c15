"""Per-request DataLoaders: each batch opens its own short session and answers in key order."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

import models
from services import (
    activity,
    customers,
    offers,
    partners,
    prices,
    seats,
    subscription_rules,
    subscriptions,
    webhooks,
)
from services.pagination import Page, PageArgs
from services.subscriptions import SubscriptionFilter
from services.viewer import Viewer

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
G = TypeVar("G", bound=Hashable)


class OwnedKey(Protocol, Hashable):
    @property
    def owner_id(self) -> int: ...


KO = TypeVar("KO", bound=OwnedKey)


@dataclass(frozen=True)
class PageKey:
    """Which page of an owner's list: the owner (customer or subscription), arguments, filter."""

    owner_id: int
    args: PageArgs
    filter: SubscriptionFilter = SubscriptionFilter()


@dataclass(frozen=True)
class CountKey:
    owner_id: int
    filter: SubscriptionFilter = SubscriptionFilter()


Fetch = Callable[[AsyncSession, Sequence[K]], Awaitable[dict[K, V]]]


class Loaders:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], viewer: Viewer, now: datetime
    ) -> None:
        self._sessions = sessions
        self._viewer = viewer
        v = viewer
        by_customer = models.Subscription.customer_id
        by_parent = models.Subscription.parent_subscription_id
        self.customer_by_id = self._by_key(lambda s, ids: customers.customers_by_ids(s, v, ids))
        self.subscription_by_id = self._by_key(
            lambda s, ids: subscriptions.subscriptions_by_ids(s, v, ids)
        )
        # Only asked about visible subscriptions: a missing one fails loudly, never "may".
        self.not_manageable_reason_by_subscription_id = self._required(
            lambda s, ids: subscriptions.not_manageable_reasons_by_ids(s, v, ids)
        )
        self.actions_by_subscription_id = self._required(
            lambda s, ids: subscription_rules.actions_by_ids(s, v, ids, now)
        )
        self.open_batches_by_subscription_id = self._required(
            lambda s, ids: seats.open_batches_by_subscription_ids(s, ids, now)
        )
        self.activity_by_id = self._by_key(lambda s, ids: activity.activities_by_ids(s, v, ids))
        self.offer_by_id = self._by_key(offers.offers_by_ids)
        self.terms_by_offer_id = self._required(lambda s, ids: prices.terms_by_offer_ids(s, v, ids))
        self.partner_by_id = self._by_key(lambda s, ids: partners.partners_by_ids(s, v, ids))
        self.prerequisites_by_offer_id = self._required(offers.prerequisites_by_offer_ids)
        self.subscription_page_by_customer = self._pages(
            lambda s, ids, key: subscriptions.subscription_pages(
                s, v, by_customer, ids, key.args, key.filter
            )
        )
        self.subscription_count_by_customer: DataLoader[CountKey, int] = self._grouped(
            lambda key: key.filter,
            lambda s, ids, flt: subscriptions.subscription_counts(s, v, by_customer, ids, flt),
        )
        self.add_on_page_by_subscription = self._pages(
            lambda s, ids, key: subscriptions.subscription_pages(
                s, v, by_parent, ids, key.args, key.filter
            )
        )
        self.add_on_count_by_subscription: DataLoader[CountKey, int] = self._grouped(
            lambda key: key.filter,
            lambda s, ids, flt: subscriptions.subscription_counts(s, v, by_parent, ids, flt),
        )
        self.activity_page_by_subscription = self._pages(
            lambda s, ids, key: activity.activity_pages(
                s, v, models.Activity.subscription_id, ids, key.args
            )
        )
        self.activity_page_by_customer = self._pages(
            lambda s, ids, key: activity.activity_pages(
                s, v, models.Activity.customer_id, ids, key.args
            )
        )
        self.activity_count_by_subscription = self._counts(models.Activity.subscription_id)
        self.activity_count_by_customer = self._counts(models.Activity.customer_id)
        self.webhook_endpoint_by_id = self._by_key(
            lambda s, ids: webhooks.endpoints_by_ids(s, v, ids)
        )
        self.webhook_delivery_by_id = self._by_key(
            lambda s, ids: webhooks.deliveries_by_ids(s, v, ids)
        )
        self.delivery_page_by_endpoint = self._pages(
            lambda s, ids, key: webhooks.delivery_pages(s, v, ids, key.args)
        )
        self.delivery_count_by_endpoint = self._required(
            lambda s, ids: webhooks.delivery_counts(s, v, ids)
        )

    def _by_key(self, fetch: Fetch[K, V]) -> DataLoader[K, V | None]:
        async def load(keys: list[K]) -> list[V | None]:
            async with self._sessions() as session:
                found = await fetch(session, keys)
            return [found.get(key) for key in keys]

        return DataLoader(load_fn=load)

    def _required(self, fetch: Fetch[K, V]) -> DataLoader[K, V]:
        async def load(keys: list[K]) -> list[V]:
            async with self._sessions() as session:
                found = await fetch(session, keys)
            return [found[key] for key in keys]

        return DataLoader(load_fn=load)

    def _grouped(
        self,
        group_of: Callable[[KO], G],
        fetch: Callable[[AsyncSession, list[int], G], Awaitable[dict[int, V]]],
    ) -> DataLoader[KO, V]:
        """Keys that share arguments are fetched together: one statement per distinct group."""

        async def load(keys: list[KO]) -> list[V]:
            groups: dict[G, list[KO]] = defaultdict(list)
            for key in keys:
                groups[group_of(key)].append(key)
            found: dict[KO, V] = {}
            async with self._sessions() as session:
                for group, members in groups.items():
                    values = await fetch(session, sorted({key.owner_id for key in members}), group)
                    found.update({key: values[key.owner_id] for key in members})
            return [found[key] for key in keys]

        return DataLoader(load_fn=load)

    def _counts(self, owner: subscriptions.Owner) -> DataLoader[int, int]:
        v = self._viewer
        return self._required(lambda s, ids: activity.activity_counts(s, v, owner, ids))

    def _pages(
        self,
        fetch: Callable[[AsyncSession, list[int], PageKey], Awaitable[dict[int, Page[V]]]],
    ) -> DataLoader[PageKey, Page[V]]:
        return self._grouped(
            lambda key: PageKey(0, key.args, key.filter),
            fetch,
        )
