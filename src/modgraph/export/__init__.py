"""Exports of the catalogue for other registries: the core graph in standard RDF formats, and profiles
(mappings of the core graph to a standard's vocabulary: CPSV-AP, schema.org, SKOS/NL-SBB, DCAT-AP, ...)."""
