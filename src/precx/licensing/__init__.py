"""Licensing: the licence register, annual legitimate requirements and counterparty verification."""
