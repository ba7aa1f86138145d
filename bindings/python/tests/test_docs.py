"""docs/python.md's worked example, run verbatim."""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("SERVICEDESK_SOURCE_DIR",
                        os.path.join(HERE, "..", "..", ".."))


def test_python_md_example_runs(capsys):
    with open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "docs/python.md has no ```python block"
    exec(compile(blocks[0], "docs/python.md", "exec"), {"__name__": "__doc__"})
    assert "refused:" in capsys.readouterr().out
