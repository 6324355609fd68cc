# `make run`: every example of this folder in one GraalPy start, each under a header. The examples are
# PyTorch scripts, unchanged; tests-parity checks that each prints what PyTorch 1.13 prints.
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = ['demo', 'regression', 'probabilistic', 'classification', 'ranking', 'tensor_ops', 'inplace_and_sgd',
         'tensor_edge_cases']

names = sys.argv[1:] or ORDER
for name in names:
    print('\n=== examples/%s.py %s' % (name, '=' * (60 - len(name))))
    runpy.run_path(os.path.join(HERE, name + '.py'), run_name='__main__')
