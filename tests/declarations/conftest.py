"""Fixtures of the declaration tests."""

from tests.declarations.helpers import register

__all__ = ["register"]
