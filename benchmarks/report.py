#!/usr/bin/env python3
"""Writes the `make bench` report from one run's raw files (benchmarks/target/bench-run/): a Markdown file of
times, ratios to PyTorch, bytes allocated per call, the bandwidth floor, warm-up, start-up and shim figures,
and an SVG chart of the loss4j/PyTorch ratios. Standard library only.

Usage: report.py RUN_DIR --md OUT.md --svg OUT.svg
"""
import argparse
import glob
import json
import os

HEADLINE = '/large/float32'
FB = 'forwardBackward'


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def read_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else {}


def fmt_us(us):
    if us is None:
        return ''
    if isinstance(us, str):
        return us
    if us >= 1000:
        return '%.2f ms' % (us / 1000)
    if us >= 10:
        return '%.1f µs' % us
    return '%.2f µs' % us


def fmt_ratio(a, b):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b <= 0:
        return ''
    r = a / b
    return '%.2f' % r if r < 10 else '%.1f' % r


def fmt_bytes(b):
    if b is None:
        return ''
    for unit, scale in (('GB', 1e9), ('MB', 1e6), ('kB', 1e3)):
        if b >= scale:
            return '%.1f %s' % (b / scale, unit)
    return '%d B' % b


class Run:
    def __init__(self, d):
        self.dir = d
        self.meta = read_json(os.path.join(d, 'meta-start.json'))
        self.meta.update(read_json(os.path.join(d, 'meta-end.json')))
        self.cases = {c['id']: c for c in read_jsonl(os.path.join(d, 'cases.jsonl'))}
        self.order = list(self.cases)
        self.bandwidth = read_json(os.path.join(d, 'bandwidth.json'))
        self.steady = {}   # (runner, threads) -> {(id, mode): row}
        self.curves = {}   # (runner, threads) -> {id: row}
        self.env = {}      # (runner, threads) -> header row
        for path in sorted(glob.glob(os.path.join(d, 'loss4j-*.jsonl')) + glob.glob(os.path.join(d, 'torch-*.jsonl'))):
            runner = 'loss4j' if os.path.basename(path).startswith('loss4j') else 'torch'
            rows = read_jsonl(path)
            if not rows:
                continue
            t = rows[0]['threads']
            self.env[(runner, t)] = rows[0]
            st = self.steady.setdefault((runner, t), {})
            cv = self.curves.setdefault((runner, t), {})
            for r in rows[1:]:
                if 'curve_us' in r or 'curve_error' in r:
                    cv[r['id']] = r
                else:
                    st[(r['id'], r['mode'])] = r
        self.threads = sorted({t for (_, t) in self.steady})
        self.jmh = {}
        for r in read_json(os.path.join(d, 'jmh.json')) or []:
            mode = r['benchmark'].rsplit('.', 1)[1]
            alloc = None
            for k, v in r.get('secondaryMetrics', {}).items():
                if k.endswith('gc.alloc.rate.norm'):
                    alloc = v['score']
            self.jmh[(r['params']['id'], mode)] = {'us': r['primaryMetric']['score'],
                                                    'err': r['primaryMetric'].get('scoreError'), 'bytes': alloc}
        self.startup = {k: read_json(os.path.join(d, 'startup-%s.json' % k)) for k in ('loss4j', 'torch')}
        self.shim = {k: read_json(os.path.join(d, 'shim-%s.json' % k)) for k in ('loss4j', 'torch')}

    def median(self, runner, threads, cid, mode):
        r = self.steady.get((runner, threads), {}).get((cid, mode))
        if r is None:
            return None
        return r.get('median_us', 'error')

    def errors(self):
        out = []
        for (runner, t), rows in sorted(self.steady.items()):
            for (cid, mode), r in rows.items():
                if 'error' in r:
                    out.append('%s, %d thread(s), %s %s: %s' % (runner, t, cid, mode, r['error']))
        for (runner, t), rows in sorted(self.curves.items()):
            for cid, r in rows.items():
                if 'curve_error' in r:
                    out.append('%s, %d thread(s), %s warm-up: %s' % (runner, t, cid, r['curve_error']))
        for side in ('loss4j', 'torch'):
            for cid, v in (self.shim[side].get('large_us') or {}).items():
                if isinstance(v, str):
                    out.append('shim_bench under %s, %s: %s' % (side, cid, v))
        return out


def floor_us(run, case, mode, threads):
    bw = run.bandwidth.get('gbs_1' if threads == 1 else 'gbs_all')
    if not bw or not case['elementwise']:
        return None
    b = case['bytes_backward' if mode == FB else 'bytes_forward']
    return b / (bw * 1e9) * 1e6


def headline(run, lines):
    ts = run.threads
    lines.append('## Headline: float32, large sizes, forward+backward, all losses in one JVM\n')
    lines.append('Median steady-state time per call. "ratio" is loss4j / PyTorch at the same thread count (below 1: '
                 'loss4j is faster). "alone" is JMH\'s figure for the case in its own fork (1 thread). '
                 '"floor" is bytes touched / measured copy bandwidth, for elementwise cases.\n')
    head = ['case']
    for t in ts:
        head += ['loss4j %dt' % t, 'PyTorch %dt' % t, 'ratio %dt' % t]
    head += ['alone (JMH)', 'B/call', 'floor 1t', 'x floor']
    lines.append('| ' + ' | '.join(head) + ' |')
    lines.append('|' + '---|' + '---:|' * (len(head) - 1))
    for cid in run.order:
        if not cid.endswith(HEADLINE):
            continue
        if not any((cid, FB) in run.steady.get(k, {}) for k in run.steady):
            continue
        case = run.cases[cid]
        row = ['`%s` %s' % (case['kind'], shape_text(case))]
        for t in ts:
            a, b = run.median('loss4j', t, cid, FB), run.median('torch', t, cid, FB)
            row += [fmt_us(a), fmt_us(b), fmt_ratio(a, b)]
        j = run.jmh.get((cid, FB), {})
        fl = floor_us(run, case, FB, 1)
        row += [fmt_us(j.get('us')), fmt_bytes(j.get('bytes')), fmt_us(fl), fmt_ratio(run.median('loss4j', 1, cid, FB), fl)]
        lines.append('| ' + ' | '.join(row) + ' |')
    lines.append('')


def shape_text(case):
    if case['kind'] == 'ctc_loss':
        t, n, c = case['inputs'][0]['shape']
        return '(T=%d, N=%d, C=%d, S=%d)' % (t, n, c, case['inputs'][1]['shape'][1])
    if case['kind'] == 'adaptive_log_softmax_with_loss':
        o = case['options']
        return '(N=%d, in=%d, vocab=%d)' % (case['inputs'][0]['shape'][0], o['in_features'], o['n_classes'])
    return '(%s)' % ', '.join(str(d) for d in case['inputs'][0]['shape'])


def scoreboard(run, lines):
    ts = run.threads
    if not run.steady.get(('torch', ts[0])):
        return
    lines.append('## Scoreboard (issue "Faster than PyTorch on CPU")\n')
    for t in ts:
        n = faster = half = 0
        for cid in run.order:
            if '/large/float32' not in cid:
                continue
            a, b = run.median('loss4j', t, cid, FB), run.median('torch', t, cid, FB)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                n += 1
                faster += a <= b
                half += a <= 0.5 * b
        lines.append('- %d thread(s), float32 large, forward+backward: loss4j at or below PyTorch\'s time in %d of %d '
                     'cases, at or below half of it in %d.' % (t, faster, n, half))
    lines.append('')


def full_table(run, lines):
    ts = run.threads
    lines.append('## Every case\n')
    lines.append('Median steady-state time per call, one JVM (loss4j) and one process (PyTorch) per thread count. '
                 'Thread counts above 1 skip the small sizes (they run on the caller\'s thread).\n')
    lines.append('<details><summary>%d cases x 2 modes</summary>\n' % len(run.order))
    head = ['case', 'mode']
    for t in ts:
        head += ['loss4j %dt' % t, 'PyTorch %dt' % t, 'ratio %dt' % t]
    lines.append('| ' + ' | '.join(head) + ' |')
    lines.append('|---|---|' + '---:|' * (len(head) - 2))
    for cid in run.order:
        for mode in ('forward', FB):
            if not any((cid, mode) in run.steady.get(k, {}) for k in run.steady):
                continue
            row = ['`%s` %s' % (cid, shape_text(run.cases[cid])), 'fwd' if mode == 'forward' else 'fwd+bwd']
            for t in ts:
                a, b = run.median('loss4j', t, cid, mode), run.median('torch', t, cid, mode)
                row += [fmt_us(a), fmt_us(b), fmt_ratio(a, b)]
            lines.append('| ' + ' | '.join(row) + ' |')
    lines.append('\n</details>\n')


def warmup(run, lines):
    lines.append('## Warm-up on a fresh JVM / process (forward+backward, 1 thread)\n')
    lines.append('Pass 1 of each run calls every large float32 case in turn, so the 1st call is the first call of that '
                 'loss in the JVM (the JVM itself has already run the cases before it). "10th / steady" is the 10th '
                 'call over the median of pass 2.\n')
    lines.append('| case | loss4j 1st | 10th | 100th | steady | 10th / steady | PyTorch 1st | 10th | 100th | steady |')
    lines.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    lc, tc = run.curves.get(('loss4j', 1), {}), run.curves.get(('torch', 1), {})
    for cid in run.order:
        if cid not in lc and cid not in tc:
            continue
        row = ['`%s`' % cid]
        for side, cv in (('loss4j', lc), ('torch', tc)):
            c = cv.get(cid, {}).get('curve_us', {})
            st = run.median(side, 1, cid, FB)
            row += [fmt_us(c.get('1')), fmt_us(c.get('10')), fmt_us(c.get('100')), fmt_us(st)]
            if side == 'loss4j':
                row.append(fmt_ratio(c.get('10'), st))
        lines.append('| ' + ' | '.join(row) + ' |')
    lines.append('')


def jmh_table(run, lines):
    if not run.jmh:
        return
    lines.append('## Alone (JMH, one fork per case) against one JVM, and memory\n')
    lines.append('1 thread. "B/call" is JMH\'s gc profiler (gc.alloc.rate.norm); "grad B" is the size of the '
                 'gradients a forward+backward must return; "one JVM / alone" shows what sharing a JVM costs.\n')
    lines.append('| case | mode | alone | ± | one JVM | one JVM / alone | B/call | grad B |')
    lines.append('|---|---|---:|---:|---:|---:|---:|---:|')
    for cid in run.order:
        for mode in ('forward', FB):
            j = run.jmh.get((cid, mode))
            if not j:
                continue
            case = run.cases[cid]
            grad = sum(_numel(i) * (8 if case['dtype'] == 'float64' else 4) for i in case['inputs'] if i['grad'])
            one = run.median('loss4j', 1, cid, mode)
            lines.append('| `%s` | %s | %s | %s | %s | %s | %s | %s |' % (
                cid, 'fwd' if mode == 'forward' else 'fwd+bwd', fmt_us(j['us']), fmt_us(j['err']), fmt_us(one),
                fmt_ratio(one, j['us']), fmt_bytes(j['bytes']), fmt_bytes(grad) if mode == FB else ''))
    lines.append('')


def _numel(spec):
    n = 1
    for d in spec['shape']:
        n *= d
    return n


def bandwidth_table(run, lines):
    bw = run.bandwidth
    if not bw:
        return
    lines.append('## Memory-bandwidth floor (elementwise cases)\n')
    lines.append('Copy bandwidth (a 128 MB float array, bytes read + written, best of 9): %.1f GB/s on 1 thread, '
                 '%.1f GB/s on %d threads. Floor = bytes a single pass must touch (inputs read once, each '
                 'gradient written once) / that bandwidth.\n' % (bw['gbs_1'], bw['gbs_all'], bw['threads']))
    ts = run.threads
    head = ['case', 'mode', 'bytes']
    for t in ts:
        head += ['floor %dt' % t, 'loss4j %dt' % t, 'x floor', 'PyTorch x floor']
    lines.append('| ' + ' | '.join(head) + ' |')
    lines.append('|---|---|' + '---:|' * (len(head) - 2))
    for cid in run.order:
        case = run.cases[cid]
        if not case['elementwise'] or case['size'] not in ('large', 'xlarge'):
            continue
        for mode in ('forward', FB):
            if not any((cid, mode) in run.steady.get(k, {}) for k in run.steady):
                continue
            row = ['`%s`' % cid, 'fwd' if mode == 'forward' else 'fwd+bwd',
                   fmt_bytes(case['bytes_backward' if mode == FB else 'bytes_forward'])]
            for t in ts:
                fl = floor_us(run, case, mode, t)
                a, b = run.median('loss4j', t, cid, mode), run.median('torch', t, cid, mode)
                row += [fmt_us(fl), fmt_us(a), fmt_ratio(a, fl), fmt_ratio(b, fl)]
            lines.append('| ' + ' | '.join(row) + ' |')
    lines.append('')


def shim_section(run, lines):
    s, su = run.shim, run.startup
    if not any(s.values()) and not any(su.values()):
        return
    lines.append('## One script, two runtimes (benchmarks/shim_bench.py)\n')
    lines.append('The same script under `bin/loss4j-python` (GraalPy + the shim) and under CPython + PyTorch %s.\n'
                 % (s['torch'].get('torch') or ''))
    lines.append('| what | loss4j | PyTorch | ratio |')
    lines.append('|---|---:|---:|---:|')

    def short(v):
        return v if not isinstance(v, str) or len(v) < 90 else v[:87] + '...'

    def row(name, a, b, unit):
        a, b = short(a), short(b)
        fa = ('%.2f s' % a if unit == 's' else fmt_us(a)) if isinstance(a, (int, float)) else (a or '')
        fb = ('%.2f s' % b if unit == 's' else fmt_us(b)) if isinstance(b, (int, float)) else (b or '')
        lines.append('| %s | %s | %s | %s |' % (name, fa, fb, fmt_ratio(a, b)))

    rep = su['loss4j'].get('repeat') or su['torch'].get('repeat')
    row('start-up, `-c pass` (whole process, median of %s)' % rep, su['loss4j'].get('pass_s'), su['torch'].get('pass_s'), 's')
    row('start-up, one-line loss script (benchmarks/oneline_loss.py)', su['loss4j'].get('oneline_loss_s'),
        su['torch'].get('oneline_loss_s'), 's')
    row('`import torch` inside the script', s['loss4j'].get('import_torch_s'), s['torch'].get('import_torch_s'), 's')
    sl, st = s['loss4j'].get('small', {}), s['torch'].get('small', {})
    row('`F.mse_loss` 64 elements, forward+backward, steady', sl.get('fwd_bwd_us'), st.get('fwd_bwd_us'), 'us')
    row('the same, forward only', sl.get('fwd_us'), st.get('fwd_us'), 'us')
    for k in ('1', '100', '1000', '10000'):
        a, b = sl.get('curve_us', {}).get(k), st.get('curve_us', {}).get(k)
        if a is not None or b is not None:
            row(('warm-up: call %s of forward+backward' if k == '1' else
                 'warm-up: calls %s +- 10 of forward+backward (median)') % k, a, b, 'us')
    tl, tt = s['loss4j'].get('transfer', {}), s['torch'].get('transfer', {})
    for k in list(tt) or list(tl):
        a, b = tl.get(k), tt.get(k)
        row('transfer: `%s`' % k, a * 1000 if isinstance(a, (int, float)) else a,
            b * 1000 if isinstance(b, (int, float)) else b, 'us')
    lines.append('')
    for side in ('loss4j', 'torch'):
        err = su[side].get('pass_error') or su[side].get('oneline_loss_error')
        if err:
            lines.append('Start-up under %s failed: `%s`\n' % (side, err.strip().splitlines()[-1]))
    warn = su['loss4j'].get('oneline_loss_stderr', '')
    if warn.strip():
        lines.append('stderr of the one-line script under loss4j (last lines): `%s`\n'
                     % ' / '.join(warn.strip().splitlines()[-3:]))
    large = s['loss4j'].get('large_us') or {}
    if large:
        lines.append('### 1M-element losses through the shim (forward+backward, %s thread(s), steady state)\n'
                     % s['loss4j'].get('threads'))
        lines.append('"Java API" is the one-JVM runner\'s figure for the same case at 1 thread; "shim overhead" is '
                     'shim / Java API - 1. Each case is timed once the launcher\'s compiler threads have gone quiet '
                     '(benchmarks/shim_bench.py): "warm-up" is how long that took from the case\'s first call, '
                     '"other threads" the CPU the rest of the process (compilers, GC) used while it was timed, as a '
                     'share of the wall time.\n')
        lines.append('| case | shim | Java API | shim overhead | warm-up | other threads | PyTorch (same script) '
                     '| shim / PyTorch |')
        lines.append('|---|---:|---:|---:|---:|---:|---:|---:|')
        tl2 = s['torch'].get('large_us') or {}
        settle = s['loss4j'].get('large_settle_s') or {}
        busy = s['loss4j'].get('large_busy') or {}
        for cid, us in large.items():
            java = run.median('loss4j', 1, cid, FB)
            over = ''
            if isinstance(us, (int, float)) and isinstance(java, (int, float)):
                over = '%+.0f%%' % ((us / java - 1) * 100)
            warm = '%.1f s' % settle[cid] if cid in settle else ''
            other = '%.0f%%' % (busy[cid] * 100) if cid in busy else ''
            lines.append('| `%s` | %s | %s | %s | %s | %s | %s | %s |' % (
                cid, short(fmt_us(us)), fmt_us(java), over, warm, other, short(fmt_us(tl2.get(cid))),
                fmt_ratio(us, tl2.get(cid))))
        lines.append('')


def svg_chart(run, path):
    """Horizontal bars of loss4j / PyTorch (float32, large, forward+backward) per thread count, log scale."""
    ts = run.threads
    rows = []
    for cid in run.order:
        if '/large/float32' not in cid:
            continue
        vals = []
        for t in ts:
            a, b = run.median('loss4j', t, cid, FB), run.median('torch', t, cid, FB)
            vals.append(a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0 else None)
        if any(v is not None for v in vals):
            rows.append((run.cases[cid]['kind'], vals))
    import math
    lo, hi = 1 / 16, 64
    for _, vals in rows:
        for v in vals:
            if v:
                lo, hi = min(lo, v / 1.5), max(hi, v * 1.5)
    left, width, bar, gap = 300, 560, 9, 6
    colors = ['#3b6fb6', '#e08a2c', '#4a9a5b', '#a04ab0']
    height = 70 + len(rows) * (bar * len(ts) + gap) + 40

    def x(v):
        return left + width * (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
           % (left + width + 30, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="18" font-size="13" font-weight="bold">loss4j / PyTorch %s time, forward+backward, '
           'float32, large sizes, one JVM (below 1: loss4j faster)%s</text>' % (
               run.env.get(('torch', ts[0]), {}).get('torch', '') if ts else '',
               '; QUICK RUN' if run.meta.get('quick') == 1 else '')]
    y0 = 50
    tick = 2 ** math.floor(math.log2(lo))
    while tick <= hi:
        if tick >= lo:
            xx = x(tick)
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-width="%s"/>' % (
                xx, y0 - 8, xx, height - 35, '#000' if tick == 1 else '#ddd', 1.5 if tick == 1 else 1))
            label = ('%g' % tick) if tick >= 1 else '1/%d' % round(1 / tick)
            out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (xx, height - 20, label))
        tick *= 2
    y = y0
    for kind, vals in rows:
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 8, y + bar * len(ts) / 2 + 4, kind))
        for i, v in enumerate(vals):
            if v:
                x1, x2 = min(x(1), x(v)), max(x(1), x(v))
                out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %d thread(s): '
                           '%.2f</title></rect>' % (x1, y, max(x2 - x1, 1), bar - 1, colors[i % 4], kind, ts[i], v))
                out.append('<text x="%.1f" y="%d" font-size="9" fill="#444">%.2f</text>' % (
                    x2 + 3 if v >= 1 else x1 - 3, y + bar - 2, v) if v >= 1 else
                    '<text x="%.1f" y="%d" font-size="9" fill="#444" text-anchor="end">%.2f</text>' % (x1 - 3, y + bar - 2, v))
            y += bar
        y += gap
    lx = left
    for i, t in enumerate(ts):
        out.append('<rect x="%d" y="28" width="10" height="10" fill="%s"/><text x="%d" y="37">%d thread(s)</text>'
                   % (lx, colors[i % 4], lx + 14, t))
        lx += 110
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def young_section(run, lines):
    """The heap flags' effect: float32 large forward+backward at 1 thread with G1's own young-generation sizing
    (run.sh step 3b) beside the main run's fixed 64 MiB young generation and PyTorch."""
    rows = read_jsonl(os.path.join(run.dir, 'young-g1-sizing-1.jsonl'))
    g1 = {r['id']: r.get('median_us') for r in rows[1:] if r.get('mode') == FB}
    if not g1:
        return
    lines.append('## Young generation: G1\'s own sizing against the fixed 64 MiB (float32 large, forward+backward, '
                 '1 thread)\n')
    lines.append('The same cases in one more JVM with `-Xms6g -Xmx6g -XX:+AlwaysPreTouch` alone, so that G1 sizes '
                 'its young generation itself (gigabytes here), after the main runs. Fresh outputs then go to memory '
                 'untouched for a long time instead of memory the last calls used.\n')
    lines.append('| case | G1 sizing | fixed 64 MiB | PyTorch 1t | ratio G1 sizing | ratio fixed |')
    lines.append('|---|---:|---:|---:|---:|---:|')
    for cid in run.order:
        if cid not in g1:
            continue
        a, b, t = g1[cid], run.median('loss4j', 1, cid, FB), run.median('torch', 1, cid, FB)
        lines.append('| `%s` | %s | %s | %s | %s | %s |' % (cid, fmt_us(a), fmt_us(b), fmt_us(t), fmt_ratio(a, t),
                                                            fmt_ratio(b, t)))
    lines.append('')


def spark_section(run_dir, lines):
    """Rows per second per core of three losses in Spark (SparkBench): loss4j's aggregate, Spark SQL's own
    expression for the same value, and the single-machine engine on the same rows."""
    sp = read_json(os.path.join(run_dir, 'spark.json'))
    if not sp:
        return
    lines.append('## Spark aggregates: rows per second per core (spark/src/test/.../SparkBench.java)\n')
    has_mllib = any('mllib_s' in c for c in sp['cases'])
    lines.append('%s float32 rows (10 logits and a label, a prediction and its target, a 0/1 click), cached in '
                 'memory; Spark %s at `%s` (one task thread) and the engine at 1 thread, so each rate is per core. '
                 'Median of %s runs after an untimed one.%s\n' % (
                     '{:,}'.format(sp['rows']), sp.get('spark'), sp.get('master'), sp.get('repeat'),
                     ' MLlib\'s evaluators read columns made and cached beforehand (softmax probabilities as ML '
                     'vectors, labels as doubles), so their time is the metric alone.' if has_mllib else
                     ' MLlib was not measured in this run.'))
    lines.append('| loss | loss4j aggregate | Spark SQL expression | MLlib evaluator | engine (1 JVM, 1 thread) | '
                 'aggregate / engine time | aggregate / Spark SQL time | aggregate / MLlib time | '
                 'values (aggregate, Spark SQL, MLlib, engine) |')
    lines.append('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
    n = sp['rows']
    for c in sp['cases']:
        rate = lambda sec: '{:,.0f}'.format(n / sec) if sec else ''
        ml = c.get('mllib_s')
        lines.append('| `%s` | %s | %s | %s | %s | %.1f | %.2f | %s | %.9g, %.9g, %s, %.9g |' % (
            c['loss'], rate(c['loss4j_s']), rate(c['spark_sql_s']),
            ('%s (`%s`)' % (rate(ml), c.get('mllib'))) if ml else '', rate(c['engine_s']),
            c['loss4j_s'] / c['engine_s'], c['loss4j_s'] / c['spark_sql_s'],
            '%.2f' % (c['loss4j_s'] / ml) if ml else '',
            c['loss4j_value'], c['spark_sql_value'], '%.9g' % c['mllib_value'] if ml else '', c['engine_value']))
    lines.append('')
    lines.append('Spark SQL expressions: ' + '; '.join('`%s`: `%s`' % (c['loss'], c['spark_sql']) for c in sp['cases'])
                 + '.\n')


def lce_memory_section(run_dir, lines):
    """linear_cross_entropy's extra memory per forward+backward, reference against chunked path, both engines."""
    rows = read_jsonl(os.path.join(run_dir, 'lce-memory-loss4j.jsonl')) + \
        read_jsonl(os.path.join(run_dir, 'lce-memory-torch.jsonl'))
    if not rows:
        return
    lines.append('## linear_cross_entropy: extra memory of one forward+backward (50,000 classes, float32, 1 thread)\n')
    lines.append('loss4j: bytes allocated by all threads during the call (an upper bound on the extra memory live '
                 'at once) and the rise of the heap\'s peak (benchmarks/.../LceMemory.java). PyTorch: the rise of '
                 'the peak resident set across the call in a fresh process (benchmarks/lce_memory.py). The '
                 'logits alone are N x C x 4 bytes.\n')
    lines.append('| engine | path | shape | extra memory | heap peak rise | one call |')
    lines.append('| --- | --- | --- | ---: | ---: | ---: |')
    for r in rows:
        extra = r.get('allocated_bytes', r.get('peak_rss_rise_bytes'))
        lines.append('| %s | %s | %s | %s | %s | %.3f s |' % (r['engine'], r['path'], r['shape'], fmt_bytes(extra),
                                                             fmt_bytes(r.get('heap_peak_rise_bytes')), r['seconds']))
    lines.append('')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('run_dir')
    ap.add_argument('--md', required=True)
    ap.add_argument('--svg', required=True)
    args = ap.parse_args()
    run = Run(args.run_dir)
    m = run.meta
    lines = []
    quick = m.get('quick') == 1
    lines.append('# loss4j benchmarks, %s%s\n' % (m.get('date', '?'), ' (QUICK RUN: short times, few cases; not '
                                                   'for conclusions)' if quick else ''))
    env_l = run.env.get(('loss4j', 1), {})
    env_t = run.env.get(('torch', 1), {})
    lines.append('- Machine: %s cores, %s; load average %s before, %s after.' % (
        m.get('cores'), m.get('cpu', '?'), m.get('load_before', '?'), m.get('load_after', '?')))
    lines.append('- Run: `make bench`%s, %s s in all.' % (
        ' with ' + ', '.join(k for k in ('BENCH_QUICK=1' if quick else '', ('BENCH_ONLY=' + m['only']) if m.get('only') else '') if k)
        if quick or m.get('only') else '', m.get('seconds', '?')))
    lines.append('- loss4j: %s, kernels on the %s path (`--add-modules jdk.incubator.vector`); thread counts %s '
                 '(`-Dloss4j.threads`); heap flags: %s.' % (
                     m.get('java', '?'), env_l.get('simd', '?'), ', '.join(str(t) for t in run.threads),
                     ('`' + m['heap'] + '` (a fixed, pre-touched heap; a fixed young generation when -Xmn is there)') if m.get('heap') else 'the JVM defaults'))
    if env_t:
        lines.append('- PyTorch %s (bin/reference-torch), CPU capability %s, `torch.set_num_threads` as above; '
                     'glibc malloc with MALLOC_MMAP_MAX_=%s and MALLOC_TRIM_THRESHOLD_=%s, so freed memory is '
                     'reused without page faults.' % (env_t.get('torch'), env_t.get('cpu_capability'),
                                                     env_t.get('malloc_mmap_max'), env_t.get('malloc_trim_threshold')))
    else:
        lines.append('- PyTorch: not run (bin/reference-torch found none).')
    lines.append('- Protocol: inputs drawn once per case; forward under no_grad / `GradMode.noGrad()`; '
                 'forward+backward on fresh leaves (`.grad = None` in PyTorch) then `backward()`; per case and '
                 'mode, warm-up calls, then timed calls, median reported. Java calls go through the public API '
                 'only (`new MSELoss().forward(x, y)`), all cases in one JVM.\n')
    scoreboard(run, lines)
    headline(run, lines)
    young_section(run, lines)
    warmup(run, lines)
    jmh_table(run, lines)
    bandwidth_table(run, lines)
    shim_section(run, lines)
    spark_section(args.run_dir, lines)
    lce_memory_section(args.run_dir, lines)
    full_table(run, lines)
    errs = run.errors()
    lines.append('## Cases that failed to run\n')
    lines.extend(['- ' + e for e in errs] or ['None.'])
    lines.append('')
    lines.append('![loss4j / PyTorch ratios](%s)\n' % os.path.basename(args.svg))
    with open(args.md, 'w') as f:
        f.write('\n'.join(lines))
    svg_chart(run, args.svg)


if __name__ == '__main__':
    main()
