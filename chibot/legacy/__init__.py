"""Migration of the old single-server bot's JSON files (`chibot import-legacy`)."""
