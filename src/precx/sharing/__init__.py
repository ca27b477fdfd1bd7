"""Who may see a shared record: distribution levels, TLP markings, sharing groups, routed readers."""
