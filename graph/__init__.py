"""Graph engines: the embedded ArcadeDB server and connections to Neo4j over Bolt."""
