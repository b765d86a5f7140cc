"""Harness that runs rhosocial-activerecord-testsuite against every backend package of this repo.

One pytest session runs one cell: a backend package (``AR_PACKAGE``) against one server of the
scenario file (``AR_SERVER``). Providers are written once and made concrete by a backend profile.
"""
