#!/usr/bin/env python3
"""Records what the example scripts print under real PyTorch, for ScriptOutputTest.

Runs every examples/*.py of the repository with this interpreter (which must have the reference PyTorch,
2.13.0+cpu: use the Python that bin/reference-torch prints) and writes its standard output to
../src/test/resources/scripts/<name>.expected. The test then runs each script through the loss4j shim and
compares the text exactly. A script that exits non-zero is reported and not recorded.

Usage: $(bin/reference-torch) record_scripts.py [NAME ...]    (default: every example)
"""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
EXAMPLES = os.path.join(ROOT, 'examples')
OUT = os.path.join(HERE, '..', 'src', 'test', 'resources', 'scripts')
REFERENCE = '2.13.0+cpu'


def record(path):
    name = os.path.splitext(os.path.basename(path))[0]
    run = subprocess.run([sys.executable, path], cwd=EXAMPLES, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONHASHSEED='0', OMP_NUM_THREADS='1'))
    if run.returncode != 0:
        print('%s: exit status %d, not recorded\n%s' % (name, run.returncode, run.stderr), file=sys.stderr)
        return False
    with open(os.path.join(OUT, name + '.expected'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(run.stdout)
    print('%s: %d lines' % (name, run.stdout.count('\n')))
    return True


def main(names):
    import torch
    if torch.__version__ != REFERENCE:
        sys.exit('record_scripts.py needs PyTorch %s (found %s): run it with the Python bin/reference-torch prints'
                 % (REFERENCE, torch.__version__))
    os.makedirs(OUT, exist_ok=True)
    # tour.py only runs the others (for `make run`): it has no output of its own to record.
    paths = sorted(p for p in glob.glob(os.path.join(EXAMPLES, '*.py')) if os.path.basename(p) != 'tour.py')
    if names:
        paths = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in names]
    ok = all([record(p) for p in paths])
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main(sys.argv[1:])
