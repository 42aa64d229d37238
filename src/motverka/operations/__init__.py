"""Operating the installation: backup, restore into an empty database, and proving that a
restore is complete (docs/operations.md)."""
