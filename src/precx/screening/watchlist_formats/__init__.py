"""Readers of watchlist files: our CSV layout, OFAC's SDN CSV set, FollowTheMoney JSON lines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from precx.screening.watchlist_formats.csv_list import read_csv_list
from precx.screening.watchlist_formats.ftm import read_ftm
from precx.screening.watchlist_formats.ofac_sdn import read_ofac_sdn
from precx.screening.watchlist_formats.records import ListedEntity, WatchlistFileError

READERS: dict[str, Callable[[Path], Iterator[ListedEntity]]] = {
    "csv": read_csv_list,
    "ofac-sdn": read_ofac_sdn,
    "ftm": read_ftm,
}

__all__ = ["READERS", "ListedEntity", "WatchlistFileError", "read_watchlist"]


def read_watchlist(path: Path, format: str) -> Iterator[ListedEntity]:
    """The entities of a watchlist file in the given format ("csv", "ofac-sdn" or "ftm")."""
    reader = READERS.get(format)
    if reader is None:
        raise ValueError(f"unknown watchlist format {format!r}; use one of {', '.join(READERS)}")
    return reader(path)
