"""`chibot bench legacy --members N`: the peak memory and time of `import-legacy` beside the
size of its input (the floor a whole-file parse could not go below).

A data set of N members is generated (`chibot.legacy.fixtures`) in a temporary directory and
imported into a fresh SQLite database by a separate process, so that its peak resident memory
(`ru_maxrss` of the child) is the import's alone.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from chibot.legacy.fixtures import generate

_CHILD = (
    "import resource, sys; from chibot.cli import main; "
    "code = main(['import-legacy', sys.argv[1], '--database-url', sys.argv[2]]); "
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def bench_legacy_main(members: list[int], seed: int = 1) -> int:
    console = Console()
    for count in members:
        with tempfile.TemporaryDirectory(prefix="chibot-bench-legacy-") as tmp:
            data = Path(tmp) / "legacy"
            generate(data, members=count, seed=seed)
            size = sum(p.stat().st_size for p in data.glob("*.json"))
            member_file = (data / "chi_data.json").stat().st_size
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(data), url],
                capture_output=True,
                text=True,
                check=False,
            )
            elapsed = time.perf_counter() - started
            peak = next(
                (
                    int(line.split()[1])
                    for line in done.stderr.splitlines()
                    if line.startswith("MAXRSS")
                ),
                0,
            )  # KB (Linux)
            if done.returncode != 0:
                console.print(f"[red]import-legacy failed ({done.returncode}):[/]")
                console.print(done.stderr[-2000:], markup=False)
                return 1
            console.print(
                f"{count:>9,} members: input {size / 2**20:7.1f} MB "
                f"(member file {member_file / 2**20:.1f} MB), "
                f"peak memory {peak / 1024:7.1f} MB (max RSS of the import), "
                f"time {elapsed:6.2f} s"
            )
    return 0
