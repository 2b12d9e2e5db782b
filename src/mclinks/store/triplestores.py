"""Real triple stores on this machine's loopback, each with a throw-away
database: `oxigraph serve` (PyPI package `oxigraph`) and Virtuoso (Debian's
`virtuoso-opensource-7-bin`). The integration tests and `make bench` push
releases to them and compare their answers with the embedded store's.
"""
from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mclinks.loopback import free_port, wait_for

VIRTUOSO_BINARY = "virtuoso-t"
ISQL_BINARY = "isql-vt"


@dataclass(frozen=True)
class RunningStore:
    """Where a started store listens, and who may write to it."""

    name: str
    query_url: str
    graph_store_url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    basic_graph_store_url: str | None = None  # the same Graph Store, accepting HTTP Basic
    sql: Callable[[str], str] | None = field(default=None, repr=False)  # run SQL as dba (Virtuoso)


@contextmanager
def stopped(proc: subprocess.Popen) -> Iterator[None]:  # type: ignore[type-arg]
    """Terminate the server however the block ends."""
    try:
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def oxigraph_command(location: Path, bind: str) -> list[str]:
    """The command line of the README's Oxigraph recipe."""
    return ["oxigraph", "serve", "--location", str(location), "--bind", bind, "--union-default-graph"]


@contextmanager
def oxigraph_server(location: Path) -> Iterator[RunningStore]:
    """`oxigraph serve --union-default-graph` on a free port, as the README's recipe says."""
    port = free_port()
    command = oxigraph_command(location, f"127.0.0.1:{port}")
    command[0] = str(Path(sys.executable).with_name("oxigraph"))
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    with stopped(proc):
        wait_for(f"{base}/query?query=ASK%7B%7D")
        yield RunningStore("oxigraph", f"{base}/query", f"{base}/store")


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot be started here, or None when it can."""
    missing = [b for b in (VIRTUOSO_BINARY, ISQL_BINARY) if shutil.which(b) is None]
    if missing:
        return (f"{' and '.join(missing)} not found: install Debian's virtuoso-opensource-7-bin "
                "(tests/setup-system.sh does, as root)")
    return None


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 60
MaxQueryMem = 1G
StopCompilerWhenXOverRunTime = 1

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/www
ServerThreads = 10
MaxClientConnections = 10
MaxKeepAlives = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 600
"""

# Run through isql on the SQL port once the server is up (the README's
# recipe): a writer for the Graph Store (SPARQL_UPDATE is the role that
# /sparql-graph-crud-auth checks) and the default dba password replaced.
# The tests add a second path to the same Graph Store that accepts HTTP
# Basic; the stock one accepts Digest only.
VIRTUOSO_SETUP_SQL = """\
DB.DBA.USER_CREATE('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
SET PASSWORD "dba" "{dba_password}";
"""
_BASIC_PATH_SQL = """\
DB.DBA.VHOST_DEFINE(lpath=>'/sparql-graph-crud-basic', ppath=>'/!sparql-graph-crud/', is_dav=>1, vsp_user=>'dba',
  opts=>vector('noinherit', 1, 'exec_as_get', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');
"""


def virtuoso_command(ini: Path) -> list[str]:
    """The command line of the README's Virtuoso recipe."""
    return [VIRTUOSO_BINARY, "+foreground", "+configfile", str(ini)]


def isql_command(sql_port: int, password: str) -> list[str]:
    """The isql command line of the README's Virtuoso recipe (statements follow on its input)."""
    return [ISQL_BINARY, f"127.0.0.1:{sql_port}", "dba", password]


def _isql(sql_port: int, password: str, sql: str) -> str:
    """Run ``sql`` as dba through isql; the output, or RuntimeError naming Virtuoso's error."""
    done = subprocess.run(isql_command(sql_port, password), input=sql, text=True,
                          capture_output=True, timeout=120)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"Virtuoso isql failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def virtuoso_server(location: Path, buffers: int = 20_000) -> Iterator[RunningStore]:
    """Virtuoso with its own virtuoso.ini and database in ``location``, bound to 127.0.0.1.

    ``buffers`` are 8 KiB pages of cache (20,000 = 160 MiB; the bench gives more).
    Yields the query URL and the Graph Store URL with a user allowed to write.
    """
    why = virtuoso_missing()
    if why:
        raise FileNotFoundError(why)
    location.mkdir(parents=True, exist_ok=True)
    (location / "www").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(_INI.format(d=location, sql_port=sql_port, http_port=http_port, buffers=buffers,
                               dirty=buffers * 3 // 4), encoding="utf-8")
    log = open(location / "stdout.log", "wb")
    proc = subprocess.Popen(virtuoso_command(ini), cwd=location,
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    user, password = "mclinks", secrets.token_hex(12)
    try:
        with stopped(proc):
            try:
                wait_for(f"{base}/sparql?query=ASK%7B%7D", timeout_s=120)
            except TimeoutError:
                tail = (location / "virtuoso.log").read_text("utf-8", "replace")[-2000:] \
                    if (location / "virtuoso.log").exists() else ""
                raise RuntimeError(f"Virtuoso did not come up on 127.0.0.1:{http_port} (exit status "
                                   f"{proc.poll()}); its log ends:\n{tail}") from None
            dba_password = secrets.token_hex(12)
            _isql(sql_port, "dba", _BASIC_PATH_SQL + VIRTUOSO_SETUP_SQL.format(
                user=user, password=password, dba_password=dba_password))
            yield RunningStore("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", user, password,
                               f"{base}/sparql-graph-crud-basic", lambda sql: _isql(sql_port, dba_password, sql))
    finally:
        log.close()
