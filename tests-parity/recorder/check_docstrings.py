#!/usr/bin/env python3
"""Fails when a docstring or comment of ours shares a long run of text with PyTorch's documentation.

loss4j keeps the facts of PyTorch's docs (formulas, argument names, shapes) and writes its own sentences. This
check runs with the reference PyTorch (`make record` calls it) and compares, after folding whitespace and case:

- theirs: the __doc__ of every public object reachable from torch, torch.nn, torch.nn.functional, torch.Tensor
  and the classes of torch.nn.modules (with their methods), and of the namespaces the shim also mirrors
  (torch.nn.init, torch.optim, torch.utils.data, torch.cuda, torch.autograd, ...);
- ours: every docstring and comment of the Python files, every comment of the Java files, and the Markdown
  files, across the tree (tracked files and new ones not ignored, as git ls-files lists them; the check itself
  excepted).

A hit is a shared run of at least THRESHOLD characters that starts at a word start in both texts. 60 characters
is ten words or so: short enough to catch one copied clause, well under the 120 the copies found first were, and
long enough for the facts we share on purpose. Run at 35, the check finds only those in our text: class and
argument names, a signature ("pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)", 57), shape lists
("(C), (N, C) or (N, C, d_1, ..."), formula pieces. A longer signature or formula can pass 60: write it another
way (in prose, other symbols) rather than raise the threshold. Usage: check_docstrings.py [--threshold N] [--root DIR] [--verbose]. Exit status 1 on
any hit, with file:line and the shared text printed.
"""
import argparse
import ast
import inspect
import io
import os
import re
import subprocess
import sys
import tokenize
import warnings

THRESHOLD = 60
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
_WS = re.compile(r'\s+')


def fold(text):
    """Whitespace runs become one space, letters lower case."""
    return _WS.sub(' ', text).strip().lower()


# ---------------------------------------------------------------- theirs

def torch_docs():
    """Every docstring reachable from torch's user-facing namespaces, folded, de-duplicated."""
    import torch
    import torch.nn
    import torch.nn.functional
    import torch.nn.modules
    import importlib
    warnings.simplefilter('ignore')  # deprecated attributes warn when read; their docs count all the same
    seen, docs = set(), []

    def add(obj):
        try:
            doc = inspect.getdoc(obj) if not isinstance(obj, str) else None
            raw = getattr(obj, '__doc__', None)
        except Exception:
            return
        for d in (doc, raw if isinstance(raw, str) else None):
            if d:
                f = fold(d)
                if len(f) >= THRESHOLD and f not in seen:
                    seen.add(f)
                    docs.append(f)

    def walk(ns, members=True):
        add(ns)
        for name in dir(ns):
            if name.startswith('__') and name not in ('__init__', '__call__'):
                continue
            try:
                obj = getattr(ns, name)
            except Exception:
                continue
            add(obj)
            if members and inspect.isclass(obj):
                walk(obj, members=False)

    for ns in (torch, torch.nn, torch.nn.functional, torch.Tensor, torch.nn.Module):
        walk(ns)
    # The other namespaces the shim mirrors or users reach for beside the losses.
    for name in ('torch.nn.init', 'torch.nn.parameter', 'torch.optim', 'torch.utils.data', 'torch.cuda',
                 'torch.autograd', 'torch.testing', 'torch.linalg', 'torch.special', 'torch.random'):
        walk(importlib.import_module(name))
    for name in dir(torch.nn.modules):
        obj = getattr(torch.nn.modules, name)
        if inspect.ismodule(obj):
            walk(obj)
    return docs


def index(docs, width):
    """Hashes of every width-character window that starts at a word start, over all their texts."""
    keys = set()
    for d in docs:
        for m in re.finditer(r'(?<![a-z0-9_])[a-z0-9_]', d):
            i = m.start()
            if i + width <= len(d):
                keys.add(hash(d[i:i + width]))
    return keys


# ---------------------------------------------------------------- ours

def python_texts(path, source):
    """(line, text) of each docstring (any string statement) and each comment of a Python file."""
    out = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [(1, source)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out.append((node.lineno, node.value.value))
    comments = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments.append((tok.start[0], tok.string.lstrip('#')))
    except (tokenize.TokenError, IndentationError):
        pass
    out.extend(join_lines(comments))
    return out


def join_lines(items):
    """Consecutive one-line comments become one text, so a copied paragraph split over lines is seen whole."""
    out, run = [], []
    for line, text in items:
        if run and line != run[-1][0] + 1:
            out.append((run[0][0], ' '.join(t for _, t in run)))
            run = []
        run.append((line, text))
    if run:
        out.append((run[0][0], ' '.join(t for _, t in run)))
    return out


_JAVA = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def java_texts(source):
    """(line, text) of each comment of a Java file; block comments lose their leading '*' columns."""
    out, lines = [], []
    for m in _JAVA.finditer(source):
        s = m.group(0)
        line = source.count('\n', 0, m.start()) + 1
        if s.startswith('//'):
            lines.append((line, s[2:]))
        elif s.startswith('/*'):
            body = s[2:-2].lstrip('*')
            body = re.sub(r'(?m)^\s*\*(?!/)', ' ', body)
            out.append((line, body))
    return out + join_lines(lines)


def source_files(root):
    """The tree's files: tracked and untracked-but-not-ignored ones from git, or a walk without build output."""
    try:
        return subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'], cwd=root,
                              capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        out = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if not x.startswith('.') and x != 'target']
            out.extend(os.path.relpath(os.path.join(d, n), root) for n in names)
        return out


def our_texts(root):
    me = os.path.relpath(os.path.abspath(__file__), root)
    files = source_files(root)
    for rel in files:
        if rel == me:
            continue
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            continue
        if rel.endswith('.py'):
            kind = 'py'
        elif rel.endswith('.java'):
            kind = 'java'
        elif rel.endswith('.md'):
            kind = 'md'
        else:
            continue
        with open(path, encoding='utf-8') as f:
            source = f.read()
        texts = python_texts(path, source) if kind == 'py' else java_texts(source) if kind == 'java' else [(1, source)]
        for line, text in texts:
            yield rel, line, text


# ---------------------------------------------------------------- compare

def longest_shared(ours, start, docs):
    """The longest run of `ours` from `start` that occurs in some PyTorch docstring."""
    lo, hi = THRESHOLD, len(ours) - start
    probe = ours[start:start + lo]
    holders = [d for d in docs if probe in d]
    if not holders:
        return ''
    while lo < hi:
        mid = (lo + hi + 1) // 2
        piece = ours[start:start + mid]
        if any(piece in d for d in holders):
            lo = mid
        else:
            hi = mid - 1
    return ours[start:start + lo]


def main():
    global THRESHOLD
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--threshold', type=int, default=THRESHOLD)
    ap.add_argument('--root', default=ROOT)
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    THRESHOLD = args.threshold
    docs = torch_docs()
    keys = index(docs, THRESHOLD)
    if args.verbose:
        print(f'{len(docs)} PyTorch docstrings, {sum(map(len, docs))} characters', file=sys.stderr)
    hits = 0
    checked = 0
    for rel, line, text in our_texts(args.root):
        ours = fold(text)
        checked += 1
        i = 0
        starts = [m.start() for m in re.finditer(r'(?<![a-z0-9_])[a-z0-9_]', ours)]
        reported_to = -1
        for i in starts:
            if i < reported_to or i + THRESHOLD > len(ours):
                continue
            if hash(ours[i:i + THRESHOLD]) not in keys:
                continue
            run = longest_shared(ours, i, docs)
            if not run:
                continue
            hits += 1
            reported_to = i + len(run)
            print(f'{rel}:{line}: {len(run)} characters shared with PyTorch\'s docs: "{run}"')
    if args.verbose:
        print(f'{checked} texts of ours checked', file=sys.stderr)
    if hits:
        print(f'check_docstrings: {hits} run(s) of >= {THRESHOLD} characters shared with PyTorch\'s documentation; '
              f'rewrite them in our own words (facts carry over, sentences do not)', file=sys.stderr)
        return 1
    print(f'check_docstrings: no run of >= {THRESHOLD} characters shared with PyTorch\'s documentation')
    return 0


if __name__ == '__main__':
    sys.exit(main())
