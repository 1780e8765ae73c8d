"""An emulated account as a client sees it: boto3 clients pointed at the emulator, with its credentials."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from archkit.emulate.server import FAKE_CREDENTIALS


@dataclass
class Account:
    """The account at ``endpoint``; ``region`` is the default region of its clients."""

    endpoint: str
    region: str
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        if key not in self._clients:
            factory: Any = boto3.client  # typed per service name; the name is a variable here
            self._clients[key] = factory(
                service,
                region_name=key[1],
                endpoint_url=self.endpoint,
                config=Config(retries={"mode": "standard", "max_attempts": 3}),
                **{k.lower(): v for k, v in FAKE_CREDENTIALS.items()},
            )
        return self._clients[key]

    @property
    def account_id(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])
