# `make run`: every example of this folder in one GraalPy start, each under a header. The examples are
# PyTorch scripts, unchanged; tests-parity checks that each prints what PyTorch 2.13 prints.
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# op_matrix.py (5,088 lines of op checks) is left to the tests.
ORDER = ['demo', 'regression', 'probabilistic', 'classification', 'ranking', 'tensor_ops', 'inplace_and_sgd',
         'tensor_edge_cases', 'random_numbers']

names = sys.argv[1:] or ORDER
for name in names:
    print('\n=== examples/%s.py %s' % (name, '=' * (60 - len(name))))
    runpy.run_path(os.path.join(HERE, name + '.py'), run_name='__main__')
