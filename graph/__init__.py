"""orgnet's graph core: settings, the Neo4j seam, the local server, the model and the analysis."""
