"""Kwaliteitsmeting: surveys, figures, dashboards and reports, from the entrepreneur's side."""
