"""The SPARQL store of a build: an Oxigraph database holding the facts with their provenance (the build's Turtle)
and the ontology, each in its named graph; soyaku.queries.sparql opens it read-only. It is written inside the
build directory, so it is swapped in with the other artifacts, whole (loaders/pipeline.py)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

__all__ = ["FACTS_GRAPH", "ONTOLOGY_GRAPH", "STORE_DIR", "write_store"]

#: The store's directory inside the build directory.
STORE_DIR = "sparql"
FACTS_GRAPH = "https://w3id.org/soyaku-kg/graph/facts"
ONTOLOGY_GRAPH = "https://w3id.org/soyaku-kg/graph/ontology"


def write_store(facts_turtle: str, directory: Path) -> int:
    """Load the facts (Turtle) and the shipped ontology into a new store at `directory`; the number of quads."""
    store = ox.Store(str(directory))
    store.bulk_load(facts_turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(FACTS_GRAPH))
    ontology = files("soyaku.ontology").joinpath("soyaku.ttl").read_bytes()
    store.bulk_load(ontology, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    store.optimize()
    count = len(store)
    store.flush()
    del store  # closes the database before the directory is swapped in
    return count
