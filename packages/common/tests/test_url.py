from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.impl.common.url import parse_url, to_url

# documented URLs (README of packages/common) and what they mean
DOCUMENTED = [
    (
        "postgresql://app:s3cr%40t@db.example:5432/shop?sslmode=require&connect_timeout=3",
        {
            "username": "app",
            "password": "s3cr@t",
            "host": "db.example",
            "port": 5432,
            "database": "shop",
            "ssl_mode": "require",
            "connect_timeout": 3.0,
        },
    ),
    (
        "postgres://app@h1:5432,h2:5433/shop?target_session_attrs=read-write",
        {
            "username": "app",
            "host": "h1",
            "port": 5432,
            "hosts": (("h1", 5432), ("h2", 5433)),
            "database": "shop",
            "target_session_attrs": "read-write",
        },
    ),
    (
        "postgresql:///shop?host=/var/run/postgresql",
        {"host": "/var/run/postgresql", "database": "shop"},
    ),
    (
        "mysql://root:pw@127.0.0.1:3306/shop?charset=utf8mb4&read_timeout=2.5",
        {
            "username": "root",
            "password": "pw",
            "host": "127.0.0.1",
            "port": 3306,
            "database": "shop",
            "charset": "utf8mb4",
            "read_timeout": 2.5,
        },
    ),
    (
        "mariadb://app@[::1]/shop?ssl_mode=required",
        {"username": "app", "host": "::1", "database": "shop", "ssl_mode": "required"},
    ),
]


@pytest.mark.parametrize("url, expected", DOCUMENTED)
def test_documented_urls(url, expected):
    assert parse_url(url) == expected


@pytest.mark.parametrize("url, expected", DOCUMENTED)
def test_to_url_round_trips_without_the_password(url, expected):
    family = "postgres" if url.startswith("postgres") else url.split(":")[0]
    written = to_url(expected, family=family)
    assert "password" not in written and ":pw@" not in written and "s3cr" not in written
    back = parse_url(written)
    assert back == {k: v for k, v in expected.items() if k != "password"}


def test_percent_decoding_and_plus_is_a_plus():
    got = parse_url("postgresql://us%40er:a%2Bb+c@h/d%2Fb?options=-c%20jit%3Doff+x")
    assert got["username"] == "us@er" and got["password"] == "a+b+c"
    assert got["database"] == "d/b" and got["pg_options"] == "-c jit=off+x"


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://h/db", "not a database URL"),
        (
            "postgresql://h:port/db",
            "port in postgresql:// URL must be a port number (1-65535), got 'port'",
        ),
        ("postgresql://h:70000/db", "got '70000'"),
        (
            "postgresql://h/db?colour=blue",
            "unknown option 'colour' in postgresql:// URL; known options:",
        ),
        (
            "postgresql://h/db?connect_timeout=-3",
            "?connect_timeout= in postgresql:// URL must be a positive",
        ),
        ("postgresql://h/db?sslmode=maybe", "must be one of disable, allow, prefer"),
        ("mysql://h/db?ssl_verify_cert=perhaps", "must be one of true/false"),
        ("mysql://h1,h2/db", "several hosts are a PostgreSQL feature"),
        ("postgresql://[::1/db", "unclosed '['"),
    ],
)
def test_bad_urls_say_what_is_wrong(url, fragment):
    with pytest.raises(ValueError) as info:
        parse_url(url)
    assert fragment in str(info.value)


def test_errors_never_quote_the_url():
    with pytest.raises(ValueError) as info:
        parse_url("postgresql://u:hunter2@h/db?colour=blue")
    assert "hunter2" not in str(info.value)


def test_family_check():
    with pytest.raises(ValueError, match="not for the postgres backend"):
        parse_url("mysql://h/db", family="postgres")
    assert parse_url("mariadb://h/db", family="mysql")["host"] == "h"  # one family


def test_to_url_uses_query_names_the_parser_knows():
    url = to_url({"host": "h", "pg_options": "-c x=1", "ssl_mode": "require", "password": "pw"})
    assert url == "postgresql://h?options=-c%20x%3D1&ssl_mode=require"
