"""What a customer ordered before, so that one order can be judged against the earlier ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from precx.screening.matching.normalize import EntityType, name_key


@dataclass(frozen=True)
class PastOrder:
    """An earlier order of a customer: when, what, how much (in kg where it can be told)."""

    order_id: str
    day: date
    substance_id: str
    quantity_kg: float | None


def customer_key(name: str, country: str) -> str:
    """One customer across spellings: the comparison form of its name and its country."""
    return f"{country.upper()}|{name_key(name, EntityType.other)}"


class CustomerHistory:
    """Earlier orders per customer: from stored screenings and from earlier rows of a file."""

    def __init__(self, loader: Callable[[str], list[PastOrder]] | None = None) -> None:
        # The loader fetches a customer's stored orders the first time the customer comes up,
        # so a file of orders never loads the history of customers it does not mention.
        self._loader = loader
        self._orders: dict[str, list[PastOrder]] = {}

    def orders(self, key: str) -> list[PastOrder]:
        """The customer's earlier orders, oldest first."""
        if key not in self._orders:
            self._orders[key] = self._loader(key) if self._loader else []
        return self._orders[key]

    def add(self, key: str, order: PastOrder) -> None:
        """Remember an order, so that later ones are judged with it."""
        self.orders(key).append(order)

    def __len__(self) -> int:
        return sum(len(v) for v in self._orders.values())
