"""Dienstenregister: aanbieders, diensten, taxonomie, and the CSV/HSDS import and export."""
