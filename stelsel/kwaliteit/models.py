"""Tables of the kwaliteit domain."""
