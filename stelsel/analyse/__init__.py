"""Stelselanalyse: consistentietoets, ecosysteemscan and demand versus supply."""
