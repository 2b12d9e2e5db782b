"""Who `mclinks push` authenticates as: --user with --password (or
MCLINKS_PUSH_PASSWORD, or a prompt), a netrc entry for the endpoint's host,
or credentials written into the URL. A password is never printed.
"""
from __future__ import annotations

import netrc
import os
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from mclinks.errors import MclinksError
from mclinks.store.push import Credentials


def netrc_login(url: str, netrc_file: Path | None) -> tuple[str, str] | None:
    """(login, password) for the URL's host from ``netrc_file``, $NETRC or ~/.netrc; None when absent."""
    path = netrc_file or (Path(os.environ["NETRC"]) if os.environ.get("NETRC") else Path.home() / ".netrc")
    if not path.exists():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as e:
        raise MclinksError(f"cannot read the netrc file: {getattr(e, 'msg', e)}", file=str(path),
                           line=getattr(e, "lineno", None)) from None
    if entry is None or not entry[0]:
        return None
    return entry[0], entry[2] or ""


def find_credentials(url: str, user: str | None, password: str | None, in_url: Credentials | None,
                     netrc_file: Path | None, ask: Callable[[str], str]) -> Credentials | None:
    """The credentials to send, or None to push without any."""
    if user is None and in_url is not None:
        return in_url
    from_netrc = netrc_login(url, netrc_file)
    if user is None:
        if from_netrc:
            return Credentials(from_netrc[0], password if password is not None else from_netrc[1])
        if password is not None:
            raise MclinksError("a password is given (--password or MCLINKS_PUSH_PASSWORD) but no user: add --user")
        return None
    if password is None and from_netrc and from_netrc[0] == user:
        password = from_netrc[1]
    if password is None:
        if not sys.stdin.isatty():
            raise MclinksError(f"--user {user} needs a password: set MCLINKS_PUSH_PASSWORD, "
                               "give --password, or add a netrc entry for the host")
        password = ask(f"password for {user}")
    return Credentials(user, password)
