"""Reference numbers from independent sources, each with its provenance."""
