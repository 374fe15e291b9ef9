"""Loaders: curated facts to RDF, RDF to the property graph, and writers into engines and files."""
