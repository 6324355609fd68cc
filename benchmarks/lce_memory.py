"""PyTorch's extra memory for one linear_cross_entropy forward+backward, reference path and chunked path, on the
benchmark's linear_cross_entropy cases (see Cases.java). Each path runs in a fresh child process: the inputs are
made, a tiny call of the same path loads what its first use loads, then one call, and the rise of the process's peak resident set (getrusage's ru_maxrss) across the call is
reported. Prints one JSON line per path for report.py; LceMemory.java measures loss4j's side.

Usage: python3 lce_memory.py --cases CASES.jsonl [--size large]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def child(case_line):
    sys.path.insert(0, HERE)
    import torch
    import torch_cases
    torch.set_num_threads(1)
    case = json.loads(case_line)
    p = torch_cases.Prepared(case)
    # One tiny call of the same path first: its first use loads PyTorch's custom-op machinery, which is no part
    # of the call's memory.
    tiny = dict(case, inputs=[dict(case['inputs'][0], shape=[2, 2]), dict(case['inputs'][1], shape=[3, 2]),
                              dict(case['inputs'][2], shape=[2], hi=3)])
    torch_cases.Prepared(tiny).forward_backward()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    p.forward_backward()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    x, w = case['inputs'][0]['shape'], case['inputs'][1]['shape']
    print(json.dumps({'engine': 'pytorch', 'id': case['id'],
                      'path': 'chunked' if case['kind'].endswith('chunked') else 'reference',
                      'shape': 'N=%d, in=%d, C=%d' % (x[0], x[1], w[0]),
                      'peak_rss_rise_bytes': (after - before) * 1024, 'seconds': seconds, 'torch': torch.__version__}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cases', required=True)
    ap.add_argument('--size', default='large')
    ap.add_argument('--child')
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    with open(args.cases) as f:
        cases = [line.strip() for line in f if line.strip()]
    for kind in ('linear_cross_entropy', 'linear_cross_entropy+chunked'):
        wanted = '%s/%s/float32' % (kind, args.size)
        line = next(c for c in cases if json.loads(c)['id'] == wanted)
        out = subprocess.run([sys.executable, __file__, '--cases', args.cases, '--child', line], check=True,
                             capture_output=True, text=True).stdout
        sys.stdout.write(out)


if __name__ == '__main__':
    main()
