"""The public face of the kwaliteit domain."""
