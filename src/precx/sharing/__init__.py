"""Who may see a shared record: distribution levels, TLP, sharing groups, routed readers."""
