"""modgraph: the linked-data catalogue of Dutch social-work modules (AMW and BMW)."""

__version__ = "0.1.0"
