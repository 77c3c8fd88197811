"""Tables of the analyse domain."""
