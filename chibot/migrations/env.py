"""Alembic environment: uses the connection given by `chibot.migrations` (never a URL here)."""

from alembic import context

from chibot.core.registry import default_registry
from chibot.core.tables import metadata

default_registry()  # imports every system's manifest: their tables join the metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `chibot db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
