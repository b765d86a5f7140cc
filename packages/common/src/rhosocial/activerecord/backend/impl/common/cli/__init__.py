"""The command line of the three backends, written once.

Each backend's ``cli.py`` describes itself with a :class:`CliSpec` (its distribution name, config
class, sync and async backend classes and its family) and calls :func:`run`. Everything else,
options, environment, password handling, the commands, output and exit codes, is here, so the
three packages behave the same:

- exit 0: success; 1: the database refused or could not be reached; 2: a usage error (bad
  option, bad environment variable, bad setting). Every failure is one line on stderr, with no
  traceback and no secret (messages are built from the settings that are not secret).
- connection settings: the family's environment (:mod:`..env`), then a named connection, then
  the options on the command line, each over the one before.
"""

from __future__ import annotations

from .main import run
from .spec import CliSpec

__all__ = ["CliSpec", "run"]
