"""Order screening: watchlists, name matching, red-flag rules and explainable decisions.

`from precx.screening import Screener` gives the engine; it is imported on first use so that
loading the tables (migrations, the CLI) does not load the matching libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from precx.screening.screener import Decision, DecisionThresholds, Screener, ScreeningResult

__all__ = ["Decision", "DecisionThresholds", "Screener", "ScreeningResult"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from precx.screening import screener

        return getattr(screener, name)
    raise AttributeError(name)
