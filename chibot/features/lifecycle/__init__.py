"""Server lifecycle: joining, leaving (data kept 30 days), reconciling, purging."""
