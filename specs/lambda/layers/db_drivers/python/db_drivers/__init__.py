"""Database drivers layer (PostgreSQL/MySQL): builds a DSN from the credentials secret and connects
with whichever driver is vendored beside it (psycopg or PyMySQL)."""

from __future__ import annotations

import importlib
import json
from typing import Any
from urllib.parse import quote

DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}


def dsn(secret_value: str, engine: str = "postgres") -> str:
    """``postgresql://user:pass@host:port/db`` from an RDS credentials secret (JSON)."""
    data = json.loads(secret_value)
    scheme = "postgresql" if engine == "postgres" else "mysql"
    host = data.get("host", "localhost")
    port = data.get("port", DEFAULT_PORTS[engine])
    user = quote(str(data["username"]), safe="")
    password = quote(str(data["password"]), safe="")
    return f"{scheme}://{user}:{password}@{host}:{port}/{data.get('dbname', 'postgres')}"


def connect(secret_value: str, engine: str = "postgres") -> Any:
    """Open a connection with the vendored driver; raises ImportError naming the missing one."""
    module = "psycopg" if engine == "postgres" else "pymysql"
    driver = importlib.import_module(module)
    if engine == "postgres":
        return driver.connect(dsn(secret_value, engine))
    data = json.loads(secret_value)
    return driver.connect(
        host=data["host"], user=data["username"], password=data["password"], database=data.get("dbname")
    )
