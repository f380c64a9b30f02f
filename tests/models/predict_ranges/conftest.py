"""The app client of the service tests, for the page and API tests of the ranges."""

from service.conftest import client, sqlite_url, store  # noqa: F401
