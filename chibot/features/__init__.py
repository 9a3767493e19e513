"""Game systems, one folder each. Importing this package registers every system's tables."""

from chibot.features.economy import store as _economy_store  # noqa: F401
from chibot.features.lifecycle import service as _lifecycle_service  # noqa: F401  (job handlers)
from chibot.features.progress import content as _progress_content  # noqa: F401
from chibot.features.progress import store as _progress_store  # noqa: F401
