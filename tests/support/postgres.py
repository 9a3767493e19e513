"""A throwaway PostgreSQL database for the test session.

Where the server comes from (first that works wins, see ``provision_postgres``):

1. ``CHIBOT_TEST_PG=0``          -> disabled on purpose, nothing is tried.
2. ``CHIBOT_TEST_PG_URL=<url>``  -> that server and only that one (e.g.
   ``postgresql://user:pw@host:5432/postgres``; the database part is the one used
   for administration, default ``postgres``).
3. a server on 127.0.0.1:5432    -> user ``postgres``, trust auth, database ``postgres``.
4. a temporary cluster           -> ``initdb`` + ``pg_ctl`` (PATH, else the highest
   ``/usr/lib/postgresql/*/bin``) in a temp dir, on a free port of 127.0.0.1;
   stopped and deleted at the end. As root it runs as the ``postgres`` user.

On that server a database ``chibot_test_<pid>_<hex>`` is created (UTF8, C collation)
and dropped ``WITH (FORCE)`` at the end.

Other ``CHIBOT_TEST_PG`` values: ``cluster`` = skip 2 and 3 and always use a temporary
cluster; ``1``/``required`` = like the default, but the conftest fails PostgreSQL
tests instead of skipping them when no database can be provisioned.

Everything here is synchronous; the asyncpg calls run on a private event loop in a
worker thread, so this is safe to call from inside pytest-asyncio tests too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

ENV_MODE = "CHIBOT_TEST_PG"
ENV_URL = "CHIBOT_TEST_PG_URL"
LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
CLUSTER_USER = "postgres"
PROBE_TIMEOUT = 2.0  # seconds, for the 127.0.0.1:5432 probe
CONNECT_TIMEOUT = 10.0  # seconds, for servers we expect to work

_OFF = {"0", "off", "false", "no"}
_AUTO = {"", "auto", "1", "on", "true", "yes", "required"}
_REQUIRED = {"1", "on", "true", "yes", "required"}
_CLUSTER = {"cluster"}


class Unavailable(Exception):
    """PostgreSQL cannot be provisioned; ``str(exc)`` is the human-readable reason."""


@dataclass(frozen=True)
class TempCluster:
    base_dir: str  # temp dir: data/, postgres.log and the unix socket live here
    port: int
    host: str = "127.0.0.1"

    @property
    def data_dir(self) -> str:
        return os.path.join(self.base_dir, "data")

    @property
    def log_file(self) -> str:
        return os.path.join(self.base_dir, "postgres.log")

    @property
    def server_url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/postgres"


@dataclass(frozen=True)
class PostgresProvision:
    url: str | None  # postgresql+asyncpg://... of the throwaway database, or None
    reason: str | None = None  # why url is None
    source: str | None = None  # where the server came from (human readable)
    cluster: TempCluster | None = None  # set when a temporary cluster was started

    @property
    def available(self) -> bool:
        return self.url is not None


def mode_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Normalised CHIBOT_TEST_PG value; raises ValueError for unknown values."""
    raw = (os.environ if environ is None else environ).get(ENV_MODE, "").strip().lower()
    if raw not in _OFF | _AUTO | _CLUSTER:
        raise ValueError(
            f"{ENV_MODE}={raw!r} is not understood; use 0 (off), 1/required, cluster, or unset"
        )
    return raw


def is_required(environ: Mapping[str, str] | None = None) -> bool:
    return mode_from_env(environ) in _REQUIRED


def run_async(fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Any:
    """Run ``fn(*args)`` to completion on a fresh event loop in a worker thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(fn(*args))).result()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _mask(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable URL>"


# --------------------------------------------------------------------------- databases


def _admin_dsn(server_url: str) -> str:
    url = make_url(server_url)
    return url.set(drivername="postgresql", database=url.database or "postgres").render_as_string(
        hide_password=False
    )


async def _create_database(server_url: str, name: str, connect_timeout: float) -> None:
    conn = await asyncpg.connect(_admin_dsn(server_url), timeout=connect_timeout)
    try:
        await conn.execute(
            f'CREATE DATABASE "{name}" TEMPLATE template0 '
            "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    finally:
        await conn.close()


async def _drop_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(_admin_dsn(server_url), timeout=CONNECT_TIMEOUT)
    try:
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except asyncpg.PostgresSyntaxError:  # server older than 13
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        await conn.close()


@contextlib.contextmanager
def throwaway_database(server_url: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[str]:
    """Create ``chibot_test_<pid>_<hex>`` on the server; yield its asyncpg SQLAlchemy URL."""
    name = f"chibot_test_{os.getpid()}_{secrets.token_hex(4)}"
    run_async(_create_database, server_url, name, timeout)
    try:
        yield (
            make_url(server_url)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        try:
            run_async(_drop_database, server_url, name)
        except Exception as exc:
            print(
                f"WARNING: could not drop test database {name}: {_describe(exc)}", file=sys.stderr
            )


# --------------------------------------------------------------------- temporary cluster


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_pg_binaries() -> tuple[str, str] | None:
    """(initdb, pg_ctl) from PATH, else from the highest /usr/lib/postgresql/*/bin."""
    initdb = shutil.which("initdb")
    if initdb:
        sibling = os.path.join(os.path.dirname(os.path.realpath(initdb)), "pg_ctl")
        pg_ctl = sibling if os.access(sibling, os.X_OK) else shutil.which("pg_ctl")
        if pg_ctl:
            return initdb, pg_ctl
    for bindir in sorted(glob.glob(PG_BIN_GLOB), key=_version_key, reverse=True):
        initdb, pg_ctl = os.path.join(bindir, "initdb"), os.path.join(bindir, "pg_ctl")
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return initdb, pg_ctl
    return None


def _cluster_user() -> tuple[Callable[[list[str]], list[str]], pwd.struct_passwd | None]:
    """How to run initdb/pg_ctl: unchanged, or (as root, which initdb refuses) as postgres."""
    if os.geteuid() != 0:
        return (lambda argv: argv), None
    try:
        owner = pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        raise Unavailable(
            f"running as root (initdb refuses root) and there is no '{CLUSTER_USER}' "
            "system user to run a temporary cluster as"
        ) from None
    if runuser := shutil.which("runuser"):
        return (lambda argv: [runuser, "-u", CLUSTER_USER, "--", *argv]), owner
    if su := shutil.which("su"):
        return (lambda argv: [su, CLUSTER_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]), owner
    raise Unavailable(
        f"running as root (initdb refuses root) and neither runuser nor su is available "
        f"to switch to '{CLUSTER_USER}'"
    )


def temp_cluster_unavailable_reason() -> str | None:
    """None if a temporary cluster can be attempted here, else why not."""
    if find_pg_binaries() is None:
        return f"initdb/pg_ctl not found on PATH or in {PG_BIN_GLOB}"
    try:
        _cluster_user()
    except Unavailable as exc:
        return str(exc)
    return None


def _run(argv: list[str], cwd: str, what: str, timeout: float = 120) -> None:
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{what} failed: {_describe(exc)}") from exc
    if proc.returncode != 0:
        tail = " | ".join(proc.stdout.strip().splitlines()[-5:])
        raise Unavailable(f"{what} failed (exit {proc.returncode}): {tail}")


def _log_tail(path: str, lines: int = 5) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return " | ".join(fh.read().strip().splitlines()[-lines:])
    except OSError:
        return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _temp_parent(wrap: Callable[[list[str]], list[str]], owner: pwd.struct_passwd | None) -> str:
    parent = tempfile.gettempdir()
    if owner is None or parent == "/tmp":
        return parent
    # As root: the postgres user must be able to reach the temp dir; else use /tmp.
    ok = subprocess.run(wrap(["test", "-x", parent]), cwd="/", capture_output=True)
    return parent if ok.returncode == 0 else "/tmp"


def _stop_cluster(
    wrap: Callable[[list[str]], list[str]], pg_ctl: str, cluster: TempCluster
) -> None:
    for mode in ("fast", "immediate"):
        try:
            _run(
                wrap([pg_ctl, "-D", cluster.data_dir, "-m", mode, "-w", "-t", "30", "stop"]),
                cwd=cluster.base_dir,
                what="pg_ctl stop",
                timeout=60,
            )
            return
        except Unavailable:
            continue
    # Last resort: kill the postmaster directly.
    try:
        with open(os.path.join(cluster.data_dir, "postmaster.pid")) as fh:
            os.kill(int(fh.readline()), 9)
    except (OSError, ValueError) as exc:
        print(
            f"WARNING: could not stop temporary cluster {cluster.base_dir}: {exc}", file=sys.stderr
        )


@contextlib.contextmanager
def temporary_cluster() -> Iterator[TempCluster]:
    """Start a private PostgreSQL cluster on 127.0.0.1:<free port>; stop and delete it after."""
    binaries = find_pg_binaries()
    if binaries is None:
        raise Unavailable(f"initdb/pg_ctl not found on PATH or in {PG_BIN_GLOB}")
    initdb, pg_ctl = binaries
    wrap, owner = _cluster_user()
    base = tempfile.mkdtemp(prefix="chibot-pg-", dir=_temp_parent(wrap, owner))
    cluster: TempCluster | None = None
    try:
        if owner is not None:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        data = os.path.join(base, "data")
        init = [initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        _run(wrap([*init, "--no-locale", "--no-sync"]), cwd=base, what="initdb")
        for attempt in range(3):  # the free port can be taken before the server binds it
            candidate = TempCluster(base_dir=base, port=_free_port())
            opts = (
                f"-p {candidate.port} -k {shlex.quote(base)} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            start = [pg_ctl, "-D", data, "-l", candidate.log_file, "-w", "-t", "60"]
            try:
                _run(wrap([*start, "-o", opts, "start"]), cwd=base, what="pg_ctl start")
            except Unavailable as exc:
                if os.path.exists(os.path.join(data, "postmaster.pid")):  # half-started
                    _stop_cluster(wrap, pg_ctl, candidate)
                if attempt == 2:
                    raise Unavailable(
                        f"{exc}; server log: {_log_tail(candidate.log_file)}"
                    ) from exc
                continue
            cluster = candidate
            break
        assert cluster is not None
        yield cluster
    finally:
        if cluster is not None:
            _stop_cluster(wrap, pg_ctl, cluster)
        shutil.rmtree(base, ignore_errors=True)


# ------------------------------------------------------------------------- entry point


@contextlib.contextmanager
def provision_postgres(
    *,
    strategy: str | None = None,
    server_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Iterator[PostgresProvision]:
    """Yield a PostgresProvision: ``.url`` of a throwaway database, or ``None`` + ``.reason``.

    strategy: "auto" (CHIBOT_TEST_PG_URL, else 127.0.0.1:5432, else a temporary cluster),
    "cluster" (temporary cluster only) or "off"; defaults to CHIBOT_TEST_PG.
    server_url: use this server and nothing else; the environment is then ignored.
    Everything created is removed when the context exits.
    """
    env = os.environ if environ is None else environ
    url_label = "server_url"
    if server_url is not None:
        mode, label = "auto", "server_url"
    elif strategy is not None:
        mode, label = strategy.strip().lower(), f"strategy={strategy!r}"
    else:
        mode, label = mode_from_env(env), f"{ENV_MODE}={env.get(ENV_MODE, '').strip()}"
        if env.get(ENV_URL):
            server_url, url_label = env[ENV_URL], ENV_URL
    with contextlib.ExitStack() as stack:
        try:
            result = _provision(stack, mode, label, server_url, url_label)
        except Unavailable as exc:
            stack.close()
            result = PostgresProvision(url=None, reason=str(exc))
        yield result


def _provision(
    stack: contextlib.ExitStack, mode: str, label: str, server_url: str | None, url_label: str
) -> PostgresProvision:
    if mode in _OFF:
        raise Unavailable(f"disabled by {label}")
    if mode not in _AUTO | _CLUSTER:
        raise ValueError(f"unknown PostgreSQL provisioning mode {label}")

    if server_url and mode not in _CLUSTER:
        try:
            url = stack.enter_context(throwaway_database(server_url))
        except Exception as exc:
            raise Unavailable(
                f"{url_label}={_mask(server_url)} unusable: {_describe(exc)}"
            ) from exc
        return PostgresProvision(url=url, source=f"{url_label} ({_mask(server_url)})")

    problems: list[str] = []
    if mode not in _CLUSTER:
        try:
            url = stack.enter_context(throwaway_database(LOCAL_SERVER_URL, timeout=PROBE_TIMEOUT))
            return PostgresProvision(url=url, source="server on 127.0.0.1:5432")
        except Exception as exc:
            problems.append(f"no usable server on 127.0.0.1:5432 ({_describe(exc)})")

    try:
        started = time.monotonic()
        cluster = stack.enter_context(temporary_cluster())
        elapsed = time.monotonic() - started
        url = stack.enter_context(throwaway_database(cluster.server_url))
    except Unavailable as exc:
        raise Unavailable("; ".join([*problems, str(exc)])) from exc
    except Exception as exc:
        raise Unavailable(
            "; ".join([*problems, f"temporary cluster unusable: {_describe(exc)}"])
        ) from exc
    return PostgresProvision(
        url=url,
        source=f"temporary cluster on 127.0.0.1:{cluster.port} (started in {elapsed:.1f}s)",
        cluster=cluster,
    )


class PostgresSession:
    """Provision lazily, once; ``close()`` tears everything down. Used by tests/conftest.py."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self.result: PostgresProvision | None = None

    def get(self) -> PostgresProvision:
        if self.result is None:
            self.result = self._stack.enter_context(provision_postgres())
        return self.result

    def close(self) -> None:
        self._stack.close()
