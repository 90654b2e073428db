"""present subpackage."""
