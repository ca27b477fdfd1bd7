"""Customer (end-use) declarations: signed here or recorded from paper, checked by code."""
