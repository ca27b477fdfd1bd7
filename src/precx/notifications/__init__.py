"""Pre-export notifications between authorities, checked by customs at the border."""
