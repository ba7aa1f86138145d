"""docs/python.md's worked examples (every ```python block), run verbatim."""

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


def test_python_md_other_examples_run(capsys):
    with open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    for i, block in enumerate(blocks[1:], start=2):
        exec(compile(block, f"docs/python.md (example {i})", "exec"),
             {"__name__": "__doc__"})
    if len(blocks) > 1:
        assert "HOTLINE_QUESTION" in capsys.readouterr().out
