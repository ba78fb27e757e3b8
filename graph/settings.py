"""One settings object, read from the environment (Neo4j's own variables) and an optional TOML file."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The checkout orgnet runs from (an editable install): the local server and its data live under it.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """orgnet's settings.

    ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` name an external
    server; without ``NEO4J_URI`` orgnet uses (and starts) its own local one under ``ORGNET_HOME``.

    >>> s = Settings(_env_file=None, neo4j_uri="bolt://127.0.0.1:7687")
    >>> s.uses_local_server
    False
    >>> s.neo4j_database
    'neo4j'
    """

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"

    orgnet_home: Path = Field(default=PROJECT_ROOT / ".orgnet")
    orgnet_neo4j_lib: Path = Field(default=PROJECT_ROOT / "neo4j" / ".cache" / "lib")
    orgnet_neo4j_port: int | None = None
    orgnet_neo4j_heap: str = "2g"
    orgnet_neo4j_pagecache: str = "3g"
    orgnet_neo4j_tx_memory: str = "1200m"
    orgnet_java: str = "java"
    #: start Neo4j from a class-data archive of its jars (written at the first clean stop; graph.store.classarchive)
    orgnet_neo4j_class_archive: bool = True
    orgnet_start_timeout: float = 120.0
    #: seconds a load's lock lasts unless its holder renews it (it renews every third of this)
    orgnet_load_lease: float = 60.0
    orgnet_config: Path | None = None
    orgnet_chromium: Path = Path("/usr/bin/chromium")
    orgnet_snapshots: Path | None = None  # default: ORGNET_HOME/snapshots
    orgnet_snapshots_keep: int = 36
    # upload limits (api/limits.py): a county's real workbook fits well inside them
    orgnet_upload_max_bytes: int = 50 * 1024 * 1024
    orgnet_upload_max_unzipped: int = 1024 * 1024 * 1024
    orgnet_upload_max_ratio: float = 100.0
    orgnet_upload_max_rows: int = 500_000
    orgnet_upload_max_cell: int = 32_000
    orgnet_upload_max_problems: int = 200
    #: the API server reads uploads and builds reports in child processes (api/isolated.py)
    orgnet_isolate: bool = True
    orgnet_audit_dir: Path | None = None  # the audit log's folder (default: ORGNET_HOME/audit)

    @property
    def uses_local_server(self) -> bool:
        """True when no external server is configured."""
        return not self.neo4j_uri

    def config_file(self) -> dict[str, Any]:
        """The optional TOML settings file (``ORGNET_CONFIG``, else ``orgnet.toml`` in the working folder)."""
        path = self.orgnet_config or Path("orgnet.toml")
        if not path.is_file():
            return {}
        with path.open("rb") as fh:
            return tomllib.load(fh)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
