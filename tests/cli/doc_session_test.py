#!/usr/bin/python3
"""Runs the worked example session of docs/cli.md and checks its output.

Usage: doc_session_test.py PATH/TO/sdctl PATH/TO/docs/cli.md [--print]

The session is every ```console block that directly follows the marker line
`<!-- sdctl-session -->`. All marked blocks form one session, run in order in
one fresh temporary folder, so the documentation cannot drift from what sdctl
really prints. Inside a block:

  $ COMMAND          a command, run with bash in the session folder, with
                     sdctl on PATH; stdout and stderr are both compared; it
                     continues on the next line after a trailing backslash
                     or while a quote is open
  OUTPUT LINES       the expected output (trailing blanks ignored)
  ...                on a line of its own: any number of output lines
  [exit N]           expected as the last output line when the command exits
                     with a non-zero status N

`$ export NAME=VALUE` lines set the environment of the following commands
(the runner applies them, as a shell would).

--print prints the actual transcript in the same format instead of checking,
to help write the documentation (review it before pasting!).
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

MARKER = "<!-- sdctl-session -->"


def parse_session(markdown):
    """Returns [(command, [expected lines])] of the marked blocks."""
    lines = markdown.splitlines()
    steps = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARKER:
            i += 1
            continue
        i += 1
        if i >= len(lines) or lines[i].strip() != "```console":
            raise ValueError(f"line {i + 1}: {MARKER} must be followed by "
                             "a ```console block")
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            line = lines[i]
            if line.startswith("$ "):
                command = line[2:]
                # A trailing backslash or an open quote continues the
                # command on the next line, as in a shell.
                while i + 1 < len(lines) and (command.endswith("\\") or
                                              not complete(command)):
                    i += 1
                    command += "\n" + lines[i]
                steps.append((command, []))
            elif steps:
                steps[-1][1].append(line.rstrip())
            elif line.strip():
                raise ValueError(f"line {i + 1}: output before any command")
            i += 1
        i += 1
    if not steps:
        raise ValueError(f"no {MARKER} blocks found")
    return steps


def complete(command):
    """False while a quote of a shell command is still open."""
    try:
        shlex.split(command)
        return True
    except ValueError:
        return False


def matches(expected, actual):
    """Line-wise match where a '...' line stands for any number of lines."""
    memo = {}

    def m(i, j):
        if (i, j) in memo:
            return memo[i, j]
        if i == len(expected):
            r = j == len(actual)
        elif expected[i] == "...":
            r = m(i + 1, j) or (j < len(actual) and m(i, j + 1))
        else:
            r = j < len(actual) and expected[i] == actual[j] and m(i + 1, j + 1)
        memo[i, j] = r
        return r

    return m(0, 0)


def run(sdctl, steps, print_only):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDCTL_")}
    env["PATH"] = os.path.dirname(os.path.abspath(sdctl)) + ":" + env["PATH"]
    env["USER"] = "docs"
    failures = 0
    with tempfile.TemporaryDirectory(prefix="sdctl-doc-") as folder:
        for command, expected in steps:
            m = re.fullmatch(r"export (\w+)=(.*)", command)
            if m:
                env[m.group(1)] = " ".join(shlex.split(m.group(2)))
                if print_only:
                    print(f"$ {command}")
                continue
            proc = subprocess.run(["bash", "-c", command], cwd=folder,
                                  env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True,
                                  timeout=60)
            actual = [l.rstrip() for l in proc.stdout.splitlines()]
            if proc.returncode != 0:
                actual.append(f"[exit {proc.returncode}]")
            if print_only:
                print(f"$ {command}")
                print("\n".join(actual))
                continue
            # Blank lines closing a block's last output are layout, not output.
            while expected and not expected[-1]:
                expected.pop()
            if not matches(expected, actual):
                failures += 1
                print(f"FAIL: $ {command}\n--- expected\n" +
                      "\n".join(expected) + "\n--- actual\n" +
                      "\n".join(actual) + "\n")
    return failures


def main():
    args = [a for a in sys.argv[1:] if a != "--print"]
    if len(args) != 2:
        sys.exit(__doc__)
    sdctl, doc = args
    with open(doc, encoding="utf-8") as f:
        steps = parse_session(f.read())
    failures = run(sdctl, steps, "--print" in sys.argv)
    if "--print" not in sys.argv:
        print(f"{len(steps)} steps, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
