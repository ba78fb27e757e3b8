"""schemathesis against the live OpenAPI description: no server error, no response that breaks the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import TOKENS

pytestmark = pytest.mark.neo4j


def test_api_conforms_to_its_schema(server: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {TOKENS['analyst']}"}
    schema = schemathesis.openapi.from_url(f"{server['base']}/openapi.json", headers=headers)  # behind a token
    checked = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path == "/api/v1/datasets":  # uploads replace the data set: covered by test_http
            continue

        @given(case=op.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers)

        run()
        checked.append(f"{op.method.upper()} {op.path}")
    assert len(checked) >= 9, checked
