#!/usr/bin/env python3
"""The PyTorch side of `make bench`: the same cases, the same protocol as SequenceRunner.java, one process.

Pass 1 (a fresh process): forward+backward of each case matching --curve, calls 1..100, timing the 1st, 10th
and 100th. Pass 2: each case and mode, --warm seconds of calls (at least 5), then --measure seconds of timed
calls (at least 5); the median is the steady-state figure. One JSON object a line to --out.

Run it under bin/reference-torch's Python with MALLOC_MMAP_MAX_=0 and a large MALLOC_TRIM_THRESHOLD_ (run.sh
does), so glibc keeps freed blocks instead of returning them and page-faulting them back in on every call.

Usage: pytorch_bench.py --cases CASES.jsonl [--only REGEX] [--threads N] [--warm S] [--measure S]
                        [--curve REGEX] [--curve-calls N] [--curve-budget S] [--modes forward,forwardBackward]
                        [--out FILE]
"""
import argparse
import gc
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

import torch_cases  # noqa: E402


def time_once(fn):
    t0 = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - t0) / 1e3


def curve(case, threads, calls, budget):
    head = {'id': case['id'], 'mode': 'forwardBackward', 'threads': threads}
    try:
        p = torch_cases.Prepared(case)
        times = []
        deadline = time.perf_counter() + budget
        for i in range(calls):
            if i >= 10 and time.perf_counter() > deadline:
                break
            times.append(time_once(p.forward_backward))
        head['curve_us'] = {str(k): round(times[k - 1], 3) for k in (1, 10, 100) if k <= len(times)}
        head['curve_calls'] = len(times)
    except Exception as e:  # noqa: BLE001 - a case that fails is reported, not fatal
        head['curve_error'] = '%s: %s' % (type(e).__name__, e)
    gc.collect()
    return head


def steady(case, modes, threads, warm, measure):
    rows = []
    try:
        p = torch_cases.Prepared(case)
        failure = None
    except Exception as e:  # noqa: BLE001 - a case that fails is reported, not fatal
        p, failure = None, '%s: %s' % (type(e).__name__, e)
    for mode in modes:
        head = {'id': case['id'], 'mode': mode, 'threads': threads}
        rows.append(head)
        if failure:
            head['error'] = failure
            continue
        try:
            fn = p.forward if mode == 'forward' else p.forward_backward
            end = time.perf_counter() + warm
            i = 0
            while i < 5 or time.perf_counter() < end:
                fn()
                i += 1
            times = []
            end = time.perf_counter() + measure
            while len(times) < 10000 and (len(times) < 5 or time.perf_counter() < end):
                times.append(time_once(fn))
            times.sort()
            n = len(times)
            head.update(median_us=round(times[n // 2], 3), p10_us=round(times[n // 10], 3),
                        p90_us=round(times[(n * 9) // 10], 3), calls=n)
        except Exception as e:  # noqa: BLE001
            head['error'] = '%s: %s' % (type(e).__name__, e)
    p = None
    gc.collect()
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cases', required=True)
    ap.add_argument('--only', default='')
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--warm', type=float, default=0.05)
    ap.add_argument('--measure', type=float, default=0.1)
    ap.add_argument('--curve', default='/large/float32$')
    ap.add_argument('--curve-calls', type=int, default=100)
    ap.add_argument('--curve-budget', type=float, default=4)
    ap.add_argument('--modes', default='forward,forwardBackward')
    ap.add_argument('--out')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cases = torch_cases.load(args.cases, args.only)
    out = open(args.out, 'w') if args.out else sys.stdout
    env = {'runner': 'torch', 'threads': torch.get_num_threads(), 'torch': torch.__version__,
           'cores': os.cpu_count(), 'cases': len(cases), 'malloc_mmap_max': os.environ.get('MALLOC_MMAP_MAX_'),
           'malloc_trim_threshold': os.environ.get('MALLOC_TRIM_THRESHOLD_'),
           'cpu_capability': torch.backends.cpu.get_cpu_capability()}
    print(json.dumps(env), file=out, flush=True)
    pattern = re.compile(args.curve)
    for case in cases:
        if pattern.search(case['id']):
            print(json.dumps(curve(case, args.threads, args.curve_calls, args.curve_budget)), file=out, flush=True)
            print('.', end='', file=sys.stderr, flush=True)
    for case in cases:
        for row in steady(case, args.modes.split(','), args.threads, args.warm, args.measure):
            print(json.dumps(row), file=out, flush=True)
        print('+', end='', file=sys.stderr, flush=True)
    print(file=sys.stderr)


if __name__ == '__main__':
    main()
