"""The quality figures, each defined once. Pure: no ORM, no web."""
