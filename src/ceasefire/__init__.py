"""ceasefire: a shared, tamper-evident record and map for monitoring ceasefires."""
