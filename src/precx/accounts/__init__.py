"""Organisations, users, roles, login, API tokens and two-factor authentication."""
