"""orgnet's shells: the command line, the HTTP API and the graph explorer."""
