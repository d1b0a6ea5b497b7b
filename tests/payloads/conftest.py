import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def load():
    """Load a JSON fixture shaped like Help Scout's documented examples (a fresh copy)."""

    def _load(name: str):
        return json.loads((FIXTURES / f"{name}.json").read_text())

    return _load
