"""Shared output plumbing below the domains: SVG charts and maps, CSV/Excel/PDF exports. Pure."""
