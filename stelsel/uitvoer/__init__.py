"""Shared output plumbing below the domains: SVG charts and maps, CSV/Excel/PDF exports. Pure.

- `svg`: bar, line and heatmap charts, each with its data table, and `figuur` to show both;
- `kaart`: a choropleth of the Netherlands by gemeente or any grouping of gemeenten;
- `tabel`: `Tabel` and its HTML, CSV and Excel forms (formula injection neutralised);
- `pdf` / `htmlrapport`: the same report as a PDF or as one HTML file.

Plain values in, `str`/`bytes` out: no database, ORM, web framework or domain (see
docs/uitvoer.md).
"""
