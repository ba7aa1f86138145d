"""The type stub (__init__.pyi) names every public method of the package with
the runtime's parameters, so that type checkers and IDEs see the real API."""

import ast
import inspect
import os

import servicedesk as sd

STUB = os.path.join(os.path.dirname(sd.__file__), "__init__.pyi")


def _stub_classes():
    with open(STUB, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            out[node.name] = {n.name: n for n in node.body
                              if isinstance(n, ast.FunctionDef)}
    return out


def _named_params(fn):
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return [n for n in names if n not in ("self", "cls")]


def test_stub_matches_the_runtime_api():
    problems = []
    for name, methods in _stub_classes().items():
        cls = getattr(sd, name, None)
        if cls is None:
            problems.append(f"{name}: in the stub, not in the package")
            continue
        if issubclass(cls, BaseException):
            continue
        public = {m for m in dir(cls) if not m.startswith("_") and
                  callable(getattr(cls, m, None))}
        for m in sorted(public - set(methods)):
            problems.append(f"{name}.{m}: missing from the stub")
        for m, fn in methods.items():
            f = getattr(cls, m, None)
            if f is None and not hasattr(cls, m):
                problems.append(f"{name}.{m}: in the stub, not at runtime")
                continue
            if isinstance(inspect.getattr_static(cls, m), property):
                continue
            runtime = [p.name for p in inspect.signature(f).parameters.values()
                       if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                       and p.name not in ("self", "cls")]
            if runtime != _named_params(fn):
                problems.append(f"{name}.{m}: stub {_named_params(fn)} != "
                                f"runtime {runtime}")
    assert not problems, "\n".join(problems)


def test_module_namespace_holds_only_the_api():
    # Every public name of the package is in __all__: nothing leaks from its
    # imports (such as the __future__ import's `annotations`).
    public = {n for n in dir(sd) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(sd, n))}
    assert public - modules - set(sd.__all__) == set()
