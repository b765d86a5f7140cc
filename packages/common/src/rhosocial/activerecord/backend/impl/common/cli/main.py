"""``run(spec, argv)``: parse, run the command, turn every failure into one line and an exit
code (0 success, 1 database error, 2 usage error)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence

from rhosocial.activerecord.backend.errors import DatabaseError
from rhosocial.activerecord.backend.introspection.errors import IntrospectionError

from ..quiet import quiet_core_logging
from .commands import Unsupported, run_session
from .named import NAMED_COMMANDS, run_named
from .parser import build_parser, prompt_tokens
from .settings import UsageError
from .spec import CliSpec

EXIT_OK, EXIT_DATABASE, EXIT_USAGE = 0, 1, 2
logger = logging.getLogger(__name__)


def _configure_logging(level: int | None) -> None:
    """Quiet unless asked: the core's own DEBUG handlers are taken away (:mod:`..quiet`), and
    ``--log-level DEBUG`` shows every statement through standard logging."""
    quiet_core_logging()
    if level is not None:
        logging.basicConfig(
            level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line (libpq's hints come on lines of their own)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def run(spec: CliSpec, argv: Sequence[str] | None = None) -> int:
    tokens = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(spec)
    try:
        args = parser.parse_args(prompt_tokens(spec, tokens))
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    _configure_logging(getattr(args, "log_level", None))
    if args.command is None:
        print("error: give a command (see --help)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command in NAMED_COMMANDS:
            run_named(spec, args)
            return EXIT_OK
        return asyncio.run(run_session(spec, args))
    except UsageError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # the core's named-* helpers exit themselves (1 on failure)
        return exc.code if isinstance(exc.code, int) else EXIT_DATABASE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except (DatabaseError, IntrospectionError, Unsupported) as exc:
        print(f"error: {args.command}: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        return EXIT_DATABASE
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback (--log-level DEBUG logs it)
        logger.debug("%s failed", args.command, exc_info=True)
        print(f"error: {args.command}: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        return EXIT_DATABASE
