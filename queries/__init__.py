"""Named Cypher queries, one file each; the header of each file documents it."""
