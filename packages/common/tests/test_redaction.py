"""No secret, and nothing mangled: every message is the same whatever the password is."""

from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.impl.common.redaction import (
    conninfo_without_secrets,
    describe_target,
    public_settings,
)
from rhosocial.activerecord.backend.impl.common.url import parse_url, to_url

# common words, punctuation and substrings of SQL and of the messages themselves
PASSWORDS = ["name", "...", "select", "'", "%s", "root", "127", "=", "@", "a b", "p%40ss"]
OTHER = "Zq7-unlikely-Xv"


def _messages(password: str) -> list[str]:
    params = {
        "host": "db.example",
        "port": 5432,
        "dbname": "name",
        "user": "root",
        "password": password,
        "sslpassword": password,
        "application_name": "select '...' %s",
    }
    url = f"postgresql://root:{password.replace('%', '%25').replace('@', '%40')}@db.example/name"
    parsed = parse_url(url)
    return [
        describe_target(host="db.example", port=5432, database="name", username="root"),
        conninfo_without_secrets(params),
        repr(public_settings(params)),
        to_url(parsed),
        repr({k: v for k, v in parsed.items() if k != "password"}),
    ]


@pytest.mark.parametrize("password", PASSWORDS)
def test_messages_do_not_depend_on_the_password(password):
    assert _messages(password) == _messages(OTHER)
    for message in _messages(OTHER):
        assert OTHER not in message


def test_messages_keep_their_text():
    assert describe_target(host="h", port=1, database="name", username="u") == "u@h:1/name"
    assert describe_target(hosts=[("a", 5432), ("b", None)]) == "a:5432,b"
    assert describe_target() == "(default host)"
    assert (
        conninfo_without_secrets({"host": "h", "application_name": "it's me", "password": "x"})
        == "host=h application_name='it\\'s me'"
    )
