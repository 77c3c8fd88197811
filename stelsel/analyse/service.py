"""The public face of the analyse domain."""
