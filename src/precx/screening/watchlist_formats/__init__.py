"""Readers of watchlist files: our CSV layout, OFAC's SDN CSV set, FollowTheMoney JSON lines."""
