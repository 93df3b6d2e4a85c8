"""specgen: Swagger 2.0 / OpenAPI 3.0 → typed Python client packages."""

__version__ = "0.1.0"
