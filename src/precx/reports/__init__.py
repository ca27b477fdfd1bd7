"""Suspicious transaction and loss/theft reports: filed by industry, triaged by authorities."""
