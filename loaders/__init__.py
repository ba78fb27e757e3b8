"""orgnet's loaders: read a county's ledgers (CSV or Excel), validate them, write them to Neo4j."""
