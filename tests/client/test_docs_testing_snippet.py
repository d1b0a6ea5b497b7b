"""docs/client.md's respx example runs as shown (products copy it into their own suites)."""

import re
import textwrap
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def test_the_respx_example_in_the_testing_section_passes(settings):
    section = DOC.read_text().split("## Testing code that uses the client", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(textwrap.dedent(code), str(DOC), "exec"), namespace)  # noqa: S102 (our doc)
    namespace["test_lists_tags_with_respx"](settings)
