#!/usr/bin/env python3
"""An independent, vectorised numpy reference for benchmarks/perf: ancestral sampling of a BIF network over integer
state codes (inverse CDF, one uniform per cell, a whole column at once), written without the project's code.
Prints one line per job: JOB SECONDS (best of --repeats runs). Usage: numpy_reference.py BIF [--rows N] [--repeats R]"""
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

def main():
    args = sys.argv[1:]
    bif = args[0]
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
