"""Name, address and identifier matching for screening: normalisation, comparison, index."""
