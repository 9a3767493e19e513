"""Server administration: settings (`config`) and the server's blacklist."""
