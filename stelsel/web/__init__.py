"""HTTP mechanics every domain shares: problems, pagination, the request session, the
OpenAPI document, the API app and page rendering. Imports no domain."""
