"""What a script user feels, measured by one script that runs unchanged under CPython with PyTorch and under
bin/loss4j-python (where `import torch` is loss4j's shim). Prints one JSON object (or writes it to --out).

  shim_bench.py [--cases CASES.jsonl] [--only REGEX] [--quick] [--threads N] [--out FILE]
      in-process figures: the warm-up curve of F.mse_loss forward+backward on 64 elements (1st, 100th,
      1,000th, 10,000th call), its steady-state cost forward+backward and forward only, data transfer
      (torch.tensor of a 1M-float list, tolist(), torch.frombuffer / torch.as_tensor / torch.tensor of
      array.array, bytes, bytearray and memoryview; "unsupported: ..." where the runtime refuses one), and
      forward+backward of each 1M-element case of CASES.jsonl (the Java runner's list) at --threads threads.
  shim_bench.py --startup PYTHON [--repeat 5] [--out FILE]
      whole-process start-up of `PYTHON -c pass` and `PYTHON oneline_loss.py`, median of --repeat runs
      (run it under any Python; it only starts processes).
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def now_us():
    return time.perf_counter_ns() / 1e3


def median(xs):
    s = sorted(xs)
    return s[len(s) // 2]


def startup(python, repeat):
    import shlex
    import subprocess
    cmd = shlex.split(python)
    out = {'python': python, 'repeat': repeat}
    for name, argv in (('pass', cmd + ['-c', 'pass']), ('oneline_loss', cmd + [os.path.join(HERE, 'oneline_loss.py')])):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            times.append(time.perf_counter() - t0)
            if r.returncode != 0:
                out[name + '_error'] = r.stderr.decode(errors='replace')[-400:]
                break
        out[name + '_s'] = round(median(times), 3)
        out[name + '_all_s'] = [round(t, 3) for t in times]
        out[name + '_stderr'] = r.stderr.decode(errors='replace')[-300:]
    return out


def small_calls(torch, F, quick):
    """F.mse_loss on 64 elements: the warm-up curve, then the steady state."""
    torch.manual_seed(0)
    x = torch.randn(64, requires_grad=True)
    y = torch.randn(64)

    def fwd_bwd():
        x.grad = None
        F.mse_loss(x, y).backward()

    xs = x.detach()

    def fwd():
        F.mse_loss(xs, y)

    marks = (1, 100, 1000) if quick else (1, 100, 1000, 10000)
    times = []
    t_start = now_us()
    for _ in range(marks[-1] + 10):
        t0 = now_us()
        fwd_bwd()
        times.append(now_us() - t0)

    def around(k):
        # Call k alone is one sample, which a collection or a compiler thread can double; from the 100th call on
        # the mark is the median of calls k-10 to k+10.
        return times[0] if k == 1 else median(times[k - 11:k + 10])

    res = {'curve_us': {str(k): round(around(k), 2) for k in marks},
           'curve_total_s': round((now_us() - t_start) / 1e6, 3)}
    # The steady state comes after 20,000 more calls each: GraalPy had not compiled the loss path after the
    # curve's 10,000 (2-core machine), so shorter warm-ups measured its interpreter.
    for name, fn, warm in (('fwd_bwd', fwd_bwd, 1000 if quick else 20000), ('fwd', fwd, 1000 if quick else 20000)):
        for _ in range(warm):
            fn()
        t = []
        for _ in range(500 if quick else 3000):
            t0 = now_us()
            fn()
            t.append(now_us() - t0)
        res[name + '_us'] = round(median(t), 2)
    return res


def transfer(torch, quick):
    """Data in and out, 1M float32 elements each way; median of a few calls after one warm call."""
    import array
    n = 1_000_000
    values = [i * 0.5 for i in range(n)]
    arr = array.array('f', values)
    raw = arr.tobytes()
    t32 = torch.tensor(values)
    cases = [
        ('tensor(list of 1M floats)', lambda: torch.tensor(values)),
        ('tolist() of 1M float32', lambda: t32.tolist()),
        ('frombuffer(array.array f)', lambda: torch.frombuffer(arr, dtype=torch.float32)),
        ('frombuffer(bytearray)', lambda: torch.frombuffer(bytearray(raw), dtype=torch.float32)),
        ('frombuffer(memoryview)', lambda: torch.frombuffer(memoryview(arr), dtype=torch.float32)),
        ('as_tensor(array.array f)', lambda: torch.as_tensor(arr)),
        ('tensor(array.array f)', lambda: torch.tensor(arr)),
        ('as_tensor(memoryview)', lambda: torch.as_tensor(memoryview(arr))),
    ]
    out = {}
    for name, fn in cases:
        try:
            got = fn()
            size = len(got) if isinstance(got, list) else got.numel()
            if size != n:
                raise ValueError('gave %d elements, not %d' % (size, n))
            t = []
            for _ in range(3 if quick else 5):
                t0 = now_us()
                fn()
                t.append(now_us() - t0)
            out[name] = round(median(t) / 1e3, 3)
        except Exception as e:  # noqa: BLE001 - what a runtime lacks is reported, not fatal
            msg = '%s: %s' % (type(e).__name__, e)
            out[name] = 'unsupported: ' + msg.splitlines()[0][:160] if msg else 'unsupported'
    return out


def _background_cpu():
    """Under GraalPy, a function returning the CPU seconds so far of the whole process, of the calling thread
    and of the JIT compilers (C1, C2 and Truffle's compiler threads), from the JVM's management beans and, for
    the compilers, /proc/self/task read through Java (GraalPy's own file reads see /proc files as empty). A
    compilation counts while it runs there; the JVM's total compilation time, the fallback off Linux, grows only
    when one ends. None under CPython, where no compiler thread runs beside the script."""
    try:
        import java
        mf = java.type('java.lang.management.ManagementFactory')
        proc, threads, jit = mf.getOperatingSystemMXBean(), mf.getThreadMXBean(), mf.getCompilationMXBean()
        proc.getProcessCpuTime()
        files, paths = java.type('java.nio.file.Files'), java.type('java.nio.file.Paths')
    except Exception:  # noqa: BLE001 - CPython, or a JVM without the beans
        return None
    tasks = paths.get('/proc/self/task')

    def compilers():
        if not files.isDirectory(tasks):
            return jit.getTotalCompilationTime() / 1e3
        ticks = 0
        for task in files.list(tasks).toArray():
            try:
                if 'Compiler' not in str(files.readString(task.resolve('comm'))):
                    continue
                stat = str(files.readString(task.resolve('stat')))
            except Exception:  # noqa: BLE001 - the thread ended meanwhile
                continue
            fields = stat[stat.rindex(')') + 2:].split()
            ticks += int(fields[11]) + int(fields[12])  # utime and stime, in 10 ms clock ticks
        return ticks / 100.0

    return lambda: (proc.getProcessCpuTime() / 1e9, threads.getCurrentThreadCpuTime() / 1e9, compilers())


def large_losses(torch, cases_path, only, quick):
    """Forward+backward of each 1M-element case, steady state (median), built by torch_cases. Returns the
    medians (us) and, per case, the seconds of warm-up before timing and the CPU that other threads of the
    process (compilers, GC) used while it was timed, as a share of the wall time."""
    sys.path.insert(0, HERE)
    import torch_cases
    cpu = _background_cpu()
    out, settle, busy = {}, {}, {}

    def window(p, n, seconds=0.0):
        """At least n calls and the given seconds: the calls' times (us), and the CPU that other threads and
        that the compilers used meanwhile, each as a share of the wall time."""
        w = []
        c0 = cpu() if cpu else None
        t_start = now_us()
        while len(w) < n or now_us() - t_start < seconds * 1e6:
            t0 = now_us()
            p.forward_backward()
            w.append(now_us() - t0)
        if c0 is None:
            return w, 0.0, 0.0
        c1 = cpu()
        wall = (now_us() - t_start) / 1e6
        return w, max(0.0, ((c1[0] - c0[0]) - (c1[1] - c0[1])) / wall), (c1[2] - c0[2]) / wall

    for case in torch_cases.load(cases_path, only):
        try:
            p = torch_cases.Prepared(case)
            t_case = time.perf_counter()
            # At least 20 calls and 2 s: under the launcher the JIT compiles the kernels for the first calls
            # while it still compiles the shim, and 5 calls / 0.2 s timed it mid-way (up to 300x the Java API).
            end = time.perf_counter() + (0.05 if quick else 2.0)
            i = 0
            while i < (5 if quick else 20) or time.perf_counter() < end:
                p.forward_backward()
                i += 1
            # Then until settled, in windows of 20 calls and at least 0.25 s. Under the launcher "settled"
            # means the compiler threads have gone quiet: on 2 cores the Graal compiler, itself Java code
            # warmed up by C1/C2, can keep a core busy for 20 s after a case's first call, and the script's
            # thread then gets part of a core. Two windows within 5% of each other did not tell: sigmoid held
            # at 5-6 ms for 1.5 s of such windows, then ran at 1.4 ms once the compilers stopped (2026-12-03,
            # session 10). So: a window in which the compilers (Truffle's threads, C1/C2) used under 10% of the
            # wall time (at most two 10 ms ticks in a 0.25 s window), or 45 s; that window is the one timed. GC threads do not count: collections are part
            # of a call's cost, and the Java API's figures include them too. Under CPython (no compiler threads): two windows within
            # 5% of each other, or 10 s, then 0.3 s timed.
            end = time.perf_counter() + (0.0 if quick else (45.0 if cpu else 10.0))
            last, timed = None, None
            t_win = time.perf_counter()
            while time.perf_counter() < end:
                t_win = time.perf_counter()
                w, bg, jit = window(p, 20, 0.25)
                if cpu:
                    timed = (w, bg)
                    if jit < 0.10:
                        break
                else:
                    m = median(w)
                    if last is not None and abs(m - last) <= 0.05 * last:
                        break
                    last = m
            if timed is None:
                t_win = time.perf_counter()
                timed = window(p, 5, 0.1 if quick else 0.3)[:2]
            settle[case['id']] = round(t_win - t_case, 1)
            out[case['id']] = round(median(timed[0]), 2)
            busy[case['id']] = round(timed[1], 2)
        except Exception as e:  # noqa: BLE001
            out[case['id']] = 'unsupported: %s: %s' % (type(e).__name__, str(e).splitlines()[0][:160] if str(e) else '')
    return out, settle, busy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--startup')
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--cases')
    ap.add_argument('--only', default='/large/float32$')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--out')
    args = ap.parse_args()
    if args.startup:
        res = startup(args.startup, args.repeat)
    else:
        t_import = time.perf_counter()
        import torch
        import torch.nn.functional as F
        res = {'runtime': sys.implementation.name, 'torch': getattr(torch, '__version__', '?'),
               'import_torch_s': round(time.perf_counter() - t_import, 3)}
        torch.set_num_threads(args.threads)
        res['threads'] = torch.get_num_threads()
        res['small'] = small_calls(torch, F, args.quick)
        res['transfer'] = transfer(torch, args.quick)
        if args.cases:
            res['large_us'], res['large_settle_s'], res['large_busy'] = large_losses(
                torch, args.cases, args.only, args.quick)
    text = json.dumps(res)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    else:
        print(text)


if __name__ == '__main__':
    main()
