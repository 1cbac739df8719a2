#!/usr/bin/env python3
"""An independent, vectorised numpy reference for benchmarks/perf: ancestral sampling of a BIF network over integer
state codes (inverse CDF, one uniform per cell, a whole column at once), written without the project's code.
and the local-Markov audit of a CSV with the G-test (each node ⟂ each non-descendant non-parent | its parents; the
adjusted degrees of freedom; a whole process, reading the CSV included). Prints one line per job: JOB SECONDS (best
of --repeats runs). Usage: numpy_reference.py BIF [--rows N] [--repeats R] | numpy_reference.py BIF --citests CSV"""
import re, sys, time
import numpy as np

def read_bif(path):
    text = open(path).read()
    states = {m.group(1): [s.strip() for s in m.group(2).split(',')]
              for m in re.finditer(r'variable\s+(\S+)\s*\{[^}]*?\{\s*([^}]*)\}', text)}
    tables = {}
    for m in re.finditer(r'probability\s*\(\s*([^|)]+?)\s*(?:\|\s*([^)]*))?\)\s*\{([^}]*)\}', text):
        child = m.group(1).strip()
        parents = [p.strip() for p in m.group(2).split(',')] if m.group(2) else []
        body = m.group(3)
        k = len(states[child])
        cards = [len(states[p]) for p in parents]
        rows = int(np.prod(cards)) if cards else 1
        table = np.zeros((rows, k))
        if not parents:
            nums = re.search(r'table\s+([^;]*);', body).group(1)
            table[0] = [float(x) for x in nums.replace(',', ' ').split()]
        else:
            for line in re.finditer(r'\(([^)]*)\)\s*([^;]*);', body):
                labels = [s.strip() for s in line.group(1).split(',')]
                idx = 0
                for p, lab in zip(parents, labels):
                    idx = idx * len(states[p]) + states[p].index(lab)
                table[idx] = [float(x) for x in line.group(2).replace(',', ' ').split()]
        tables[child] = (parents, cards, table)
    return states, tables

def topological(tables):
    order, seen = [], set()
    def visit(v):
        if v in seen: return
        seen.add(v)
        for p in tables[v][0]: visit(p)
        order.append(v)
    for v in tables: visit(v)
    return order

def sample(tables, order, n, rng):
    codes = {}
    for v in order:
        parents, cards, table = tables[v]
        row = np.zeros(n, dtype=np.int64)
        for p, c in zip(parents, cards):
            row = row * c + codes[p]
        cum = np.cumsum(table, axis=1)
        cum[:, -1] = 1.0
        u = rng.random(n)
        # Inverse CDF: the number of cumulative sums ≤ u among the first k − 1 states.
        codes[v] = (u[:, None] >= cum[row, :-1]).sum(axis=1).astype(np.int8)
    return codes

def g2_test(x, y, z, kx, ky):
    """G² of X ⟂ Y | Z over integer codes, with the adjusted degrees of freedom, and its p-value."""
    from math import lgamma
    if z:
        key = np.zeros(len(x), dtype=np.int64)
        for col, k in z: key = key * k + col
        _, stratum = np.unique(key, return_inverse=True)
    else:
        stratum = np.zeros(len(x), dtype=np.int64)
    s = stratum.max() + 1
    counts = np.bincount((stratum * kx + x) * ky + y, minlength=s * kx * ky).reshape(s, kx, ky).astype(float)
    rows = counts.sum(2, keepdims=True); cols = counts.sum(1, keepdims=True); n = counts.sum((1, 2), keepdims=True)
    expected = rows * cols / np.where(n > 0, n, 1)
    with np.errstate(divide='ignore', invalid='ignore'):
        terms = np.where(counts > 0, counts * np.log(counts / expected), 0.0)
    stat = 2 * terms.sum()
    dof = (((rows[:, :, 0] > 0).sum(1) - 1).clip(0) * ((cols[:, 0, :] > 0).sum(1) - 1).clip(0)).sum()
    return stat, dof

def citests(bif, csv_path):
    import csv
    states, tables = read_bif(bif)
    with open(csv_path, newline='') as f:
        reader = csv.reader(f)
        header = next(reader)
        data = list(zip(*reader))
    codes = {}
    for v in tables:
        lookup = {s: k for k, s in enumerate(states[v])}
        codes[v] = np.fromiter((lookup[c] for c in data[header.index(v)]), dtype=np.int64, count=len(data[0]))
    children = {v: [c for c in tables if v in tables[c][0]] for v in tables}
    def descendants(v):
        out, stack = set(), [v]
        while stack:
            for c in children[stack.pop()]:
                if c not in out: out.add(c); stack.append(c)
        return out
    tested = rejected = 0
    for v in tables:
        parents = tables[v][0]
        others = [u for u in tables if u != v and u not in parents and u not in descendants(v)]
        z = [(codes[p], len(states[p])) for p in parents]
        for u in others:
            stat, dof = g2_test(codes[v], codes[u], z, len(states[v]), len(states[u]))
            if dof <= 0: continue
            tested += 1
            rejected += chi2_sf(stat, dof) < 0.05
    return tested, rejected

def chi2_sf(x, k):
    """P(χ²_k ≥ x): the regularised upper incomplete gamma Q(k/2, x/2) (series below a + 1, continued fraction above)."""
    from math import exp, lgamma, log
    a, x = k / 2.0, x / 2.0
    if x <= 0: return 1.0
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        while abs(term) > 1e-15 * abs(total):
            n += 1; term *= x / n; total += term
        return max(0.0, 1.0 - total * exp(-x + a * log(x) - lgamma(a)))
    b = x + 1 - a; c = 1e300; d = 1 / b; h = d
    for i in range(1, 10000):
        an = -i * (i - a); b += 2
        d = an * d + b; d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c; c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d; delta = d * c; h *= delta
        if abs(delta - 1) < 1e-15: break
    return exp(-x + a * log(x) - lgamma(a)) * h

def main():
    args = sys.argv[1:]
    bif = args[0]
    if '--citests' in args:
        t = time.perf_counter()
        tested, rejected = citests(bif, args[args.index('--citests') + 1])
        print(f"numpy-citests {time.perf_counter() - t:.6f} {tested} {rejected}")
        return
    rows = int(args[args.index('--rows') + 1]) if '--rows' in args else 1_000_000
    repeats = int(args[args.index('--repeats') + 1]) if '--repeats' in args else 3
    states, tables = read_bif(bif)
    order = topological(tables)
    rng = np.random.default_rng(1)
    sample(tables, order, 1000, rng)
    best = min(timed(lambda: sample(tables, order, rows, rng)) for _ in range(repeats))
    print(f"numpy-sample {best:.6f}")

def timed(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t

if __name__ == '__main__':
    main()
