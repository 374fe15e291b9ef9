"""The MCP surface: `soyaku mcp` serves the graph's questions to AI assistants (soyaku.mcp.server)."""
