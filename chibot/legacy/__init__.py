"""Migration of the old single-server bot's JSON files into one server (`chibot import-legacy`).

Modules: `framework` (reading the files, planning, the context importers run in, the one
transaction and its totals check), `files` (the old bot's file names and the member file),
`normalise` (pure normalisers of the old values), `report` (the report and progress bars),
`pending` (what the files hold that no system of this release imports, and why), `fixtures`
(a generator of old-format data sets: `python -m chibot.legacy.fixtures`), and `installed`
(the importers of this release's systems, until the system registry collects them).

The framework imports no game system: each system defines its `IMPORTERS` in its own
`chibot/features/<system>/legacy.py`, and the caller passes them to `run_legacy_import`.
"""

from chibot.legacy.files import LEGACY_FILES, MEMBER_FILE
from chibot.legacy.framework import (
    IMPORT_ACTOR,
    LegacyAborted,
    LegacyContext,
    LegacyImporter,
    LegacyImportError,
    LegacyMember,
    LegacySource,
    LegacyTotalsMismatch,
    plan_import,
    read_legacy_dir,
    run_legacy_import,
    source_from_files,
)
from chibot.legacy.report import LegacyProgress, LegacyReport, RichLegacyProgress

__all__ = [
    "IMPORT_ACTOR",
    "LEGACY_FILES",
    "MEMBER_FILE",
    "LegacyAborted",
    "LegacyContext",
    "LegacyImportError",
    "LegacyImporter",
    "LegacyMember",
    "LegacyProgress",
    "LegacyReport",
    "LegacySource",
    "LegacyTotalsMismatch",
    "RichLegacyProgress",
    "plan_import",
    "read_legacy_dir",
    "run_legacy_import",
    "source_from_files",
]
