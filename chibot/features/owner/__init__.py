"""Bot owners ("PSY"): act on any server, the bot-wide blacklist, the audit trail."""
