"""The ontology (OWL), the SHACL shapes, and the mapping from RDF to the property graph."""
