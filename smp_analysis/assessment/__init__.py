"""assessment subpackage."""
