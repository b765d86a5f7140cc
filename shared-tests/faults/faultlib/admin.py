"""Raw driver connections that check what a backend really stored."""

from __future__ import annotations

from typing import Any

from .servers import HOST, Server


class Admin:
    """A raw driver connection straight to the private server (never through the proxy,
    never through the backend under test): what is really stored."""

    def __init__(self, server: Server) -> None:
        self.family = server.family
        if server.family == "postgres":
            import psycopg

            self.conn: Any = psycopg.connect(
                host=HOST,
                port=server.port,
                user=server.user,
                password=server.password,
                dbname=server.database,
                autocommit=True,
                connect_timeout=10,
            )
        else:
            import pymysql

            self.conn = pymysql.connect(
                host=HOST,
                port=server.port,
                user=server.user,
                password=server.password,
                database=server.database,
                autocommit=True,
                connect_timeout=10,
                charset="utf8mb4",
            )

    def rows(self, sql: str, params: Any = None) -> list[tuple]:
        if self.family == "postgres":
            cur = self.conn.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []

    def run(self, sql: str, params: Any = None) -> None:
        self.rows(sql, params)

    def close(self) -> None:
        self.conn.close()
