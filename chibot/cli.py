"""`chibot run | play | db upgrade | export | import | backup | restore | import-legacy |
bench chat | leaderboard | commands | startup | legacy | judge`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from rich.console import Console
from rich.logging import RichHandler

from chibot.config import Settings
from chibot.core.errors import ContentError

NO_TOKEN = """\
[bold red]No DISCORD_TOKEN is set.[/]

To run chibot on Discord:
  1. Create an application at https://discord.com/developers/applications
  2. Under [bold]Bot[/], reset and copy the token; switch on the
     [bold]Server Members[/] and [bold]Message Content[/] privileged intents.
  3. Put it in the environment or in a [bold].env[/] file beside the Makefile:
       DISCORD_TOKEN=your-token-here
  4. Run [bold]make run[/] again. The README explains how to invite the bot.

To try the bot without Discord, run [bold]make play[/]: an offline sandbox
with two servers and several members, in your terminal."""


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(name)s: %(message)s",
        handlers=[RichHandler(console=Console(stderr=True), rich_tracebacks=True, show_path=False)],
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


async def _run(settings: Settings) -> int:
    import aiohttp
    import discord

    from chibot.app import build_app
    from chibot.discord.bot import ChiBot

    app = build_app(settings)
    await app.db.upgrade()
    bot = ChiBot(app)
    console = Console(stderr=True)
    try:
        async with bot:
            await bot.start(settings.discord_token or "")
    except discord.LoginFailure:
        console.print(
            "[red]Discord refused the token.[/] Reset it in the Developer Portal (Bot → Reset Token) and update DISCORD_TOKEN."
        )
        return 2
    except discord.PrivilegedIntentsRequired:
        console.print(
            "[red]The bot needs two privileged intents.[/] In the Developer Portal, under Bot, switch on "
            "[bold]Server Members[/] and [bold]Message Content[/], then run it again."
        )
        return 2
    except aiohttp.ClientConnectorError as error:
        console.print(f"[red]Cannot reach Discord:[/] {error}. Check the network and try again.")
        return 2
    finally:
        await app.close()
    return 0


async def _upgrade(settings: Settings) -> int:
    from chibot.core.db import Database

    db = Database(settings.database_url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()
    Console().print(f"[green]Database is up to date[/] ({settings.database_url})")
    return 0


async def _revision(settings: Settings, message: str) -> int:
    from chibot.core.db import Database
    from chibot.migrations import make_revision

    db = Database(settings.database_url)
    try:
        await db.upgrade()
        await make_revision(db.engine, message)
    finally:
        await db.dispose()
    return 0


async def _transfer(settings: Settings, args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from rich.markup import escape
    from sqlalchemy.exc import DBAPIError

    from chibot.core import export
    from chibot.core.db import Database
    from chibot.core.errors import UserError

    console = Console(stderr=True)
    db = Database(settings.database_url)
    try:
        await db.upgrade()
        if args.command == "export":
            text = export.dumps(await export.export_guild(db, args.guild))
            if args.out:
                Path(args.out).write_text(text, encoding="utf-8")
                console.print(f"[green]Exported server {args.guild}[/] to {args.out}")
            else:
                sys.stdout.write(text)
        elif args.command == "backup":
            document = await export.backup(db)
            Path(args.out).write_text(export.dumps(document), encoding="utf-8")
            console.print(f"[green]Backed up {len(document['guilds'])} servers[/] to {args.out}")
        else:
            try:
                document = json.loads(Path(args.file).read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError) as error:  # not UTF-8, not JSON
                console.print(
                    f"[red]Cannot read {escape(args.file)}:[/] {escape(str(error)[:200])}"
                )
                return 2
            if args.command == "import":
                result = await export.import_guild(db, document, args.guild)
                counts = result.counts
                console.print(
                    f"[green]Imported[/] {sum(counts.values()):,} rows: "
                    + ", ".join(f"{k} {v}" for k, v in counts.items() if v)
                )
                for note in result.notes:
                    console.print(f"[yellow]Note:[/] {escape(note)}")
            else:
                servers = await export.restore(db, document)
                console.print(
                    f"[green]Restored {servers} servers[/], the bot-wide records and the "
                    "servers' lifecycle state."
                )
    except UserError as error:
        console.print(f"[red]Refused, nothing was written:[/] {escape(str(error))}")
        return 2
    except DBAPIError as error:  # a check the import does not know yet: still no traceback
        console.print(
            f"[red]The database refused the document; nothing was written:[/] {escape(str(error.orig)[:200])}"
        )
        return 2
    finally:
        await db.dispose()
    return 0


def _import_legacy(settings: Settings, args: argparse.Namespace) -> int:
    """`chibot import-legacy DIR [--guild ID] [--dry-run]`: the report goes to stdout, progress
    bars to stderr; ends with the elapsed time and the peak memory of the process."""
    import resource
    import time

    from chibot.core.catalog import load_catalog
    from chibot.core.db import Database
    from chibot.core.errors import UserError
    from chibot.core.registry import default_registry
    from chibot.legacy import (
        LegacyImportError,
        LegacyReport,
        LegacySource,
        RichLegacyProgress,
        read_legacy_dir,
        run_legacy_import,
    )

    started = time.perf_counter()
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the report is the output
    out = Console() if sys.stdout.isatty() else Console(width=160)
    err = Console(stderr=True)
    importers = default_registry().legacy_importers  # every installed system's
    catalog = load_catalog()

    async def run(source: LegacySource) -> LegacyReport:
        db = Database(args.database_url or settings.database_url)
        try:
            await db.upgrade()
            return await run_legacy_import(
                db,
                catalog,
                source,
                importers,
                guild_id=args.guild,
                dry_run=args.dry_run,
                progress=progress,
            )
        finally:
            await db.dispose()

    def finish(report: LegacyReport | None) -> None:
        if report is not None:
            report.elapsed = time.perf_counter() - started
            report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            report.render(out)

    try:
        with RichLegacyProgress(err) as progress:
            source = read_legacy_dir(args.dir, progress)
            report = asyncio.run(run(source))
    except LegacyImportError as error:
        finish(error.report)
        err.print(f"[red]Refused:[/] {error}")
        return 2
    except UserError as error:  # e.g. a setting the settings model refuses: rolled back
        err.print(f"[red]Refused, nothing was written:[/] {error}")
        return 2
    finish(report)
    verdict = (
        "Dry run: nothing was written."
        if args.dry_run
        else f"Imported into server {report.guild_id}."
    )
    err.print(f"[green]{verdict}[/]")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chibot", description="A multi-server Discord game bot.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)")
    play = sub.add_parser("play", help="offline sandbox: several servers and members, no token")
    play.add_argument("--database-url", help="keep the sandbox's data (default: a temporary file)")
    play.add_argument("--seed", type=int, default=None, help="seed of the random source")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations")
    revision = db_sub.add_parser("revision", help="autogenerate a migration (developers)")
    revision.add_argument("-m", "--message", required=True)
    export = sub.add_parser("export", help="one server's data as a versioned JSON document")
    export.add_argument("--guild", type=int, required=True)
    export.add_argument("--out", help="file to write (default: stdout)")
    imp = sub.add_parser("import", help="restore a server from an export (replaces its data)")
    imp.add_argument("file")
    imp.add_argument("--guild", type=int, help="import under another server id")
    back = sub.add_parser("backup", help="every server and the bot-wide records, as one file")
    back.add_argument("--out", required=True)
    rest = sub.add_parser("restore", help="replace EVERYTHING with a backup")
    rest.add_argument("file")
    legacy = sub.add_parser(
        "import-legacy", help="import the old single-server bot's JSON files into one server"
    )
    legacy.add_argument("dir", help="directory holding chi_data.json and the other old files")
    legacy.add_argument(
        "--guild", type=int, help="target server id (default: the one found in the files)"
    )
    legacy.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    legacy.add_argument("--database-url", help="database to import into (default: DATABASE_URL)")
    bench = sub.add_parser("bench", help="measure throughput (prints figures)")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    chat = bench_sub.add_parser("chat", help="chat-chi messages per second vs a bare UPDATE")
    chat.add_argument("--database-url", action="append", help="database(s) to measure (repeatable)")
    chat.add_argument("--guilds", type=int, default=1000)
    chat.add_argument("--members", type=int, default=100)
    chat.add_argument("--messages", type=int, default=20_000)
    chat.add_argument("--concurrency", type=int, default=32)
    bench_legacy = bench_sub.add_parser(
        "legacy", help="import-legacy: peak memory and time beside the input size"
    )
    bench_legacy.add_argument(
        "--members", type=int, action="append", help="members of a generated set (repeatable)"
    )
    bench_legacy.add_argument("--seed", type=int, default=1)
    judge = bench_sub.add_parser("judge", help="chat judge vs labelled lines, and per message")
    judge.add_argument("--lines", help="labelled lines (default: chibot/content/chat_lines.toml)")
    judge.add_argument("--rounds", type=int, default=20, help="timing rounds over the lines")
    judge.add_argument("--show-misses", action="store_true", help="list the lines judged wrong")
    from chibot.bench_commands import add_parsers

    add_parsers(bench_sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        settings = Settings()
    except Exception as error:  # a malformed environment variable
        console.print(f"[red]Invalid settings:[/] {error}")
        return 2
    _setup_logging(settings.log_level)
    try:
        if args.command == "run":
            if not settings.discord_token:
                console.print(NO_TOKEN)
                return 2
            return asyncio.run(_run(settings))
        if args.command == "db":
            if args.db_command == "upgrade":
                return asyncio.run(_upgrade(settings))
            return asyncio.run(_revision(settings, args.message))
        if args.command == "play":
            from chibot.discord.play import play

            return play(settings, args.database_url, args.seed)
        if args.command in ("export", "import", "backup", "restore"):
            return asyncio.run(_transfer(settings, args))
        if args.command == "import-legacy":
            return _import_legacy(settings, args)
        if args.command == "bench" and args.bench_command == "legacy":
            from chibot.legacy.bench import bench_legacy_main

            return bench_legacy_main(args.members or [10_000, 100_000], args.seed)
        if args.command == "bench" and args.bench_command == "judge":
            from chibot.bench_judge import bench_judge_main

            return bench_judge_main(args)
        if args.command == "bench":
            if args.bench_command != "chat":
                from chibot.bench_commands import bench_commands_dispatch

                return asyncio.run(bench_commands_dispatch(args))
            from chibot.bench import bench_chat_main

            return asyncio.run(bench_chat_main(settings, args))
    except ContentError as error:
        console.print(f"[red]Invalid game content, not starting:[/]\n{error}")
        return 3
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
