"""Incidents (seizures, stopped shipments, diversions, laboratories, equipment, losses),
sanitised industry alerts and sightings."""
