"""The app layer: what the product does (build, ask, find, path, export, release), as plain functions returning
plain results. Every surface (CLI, background engine, web explorer, SPARQL endpoint, MCP server, notebooks) calls
these; none holds its own Cypher or business rules."""
