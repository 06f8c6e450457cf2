#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# exact_ref.py -- the independent reference of tests/cli/exactdigits_test.sh:
# the thermodynamics of `hyperland exact` (2-D classes, or K blocks) with
# mpmath at 50 digits, and a comparison with the program's JSON.
#
#   exact_ref.py check JSON [CSV] -- --dim D --beta B --phi F [--sizes D1,..,DK]
#                [--brute]
#
# JSON: the program's `exact --json` output; CSV (optional): its
# --distribution, whose basin column assigns the classes to basins (the
# basins' own values are then checked too).  Without --sizes: the 2-D model
# (classes (n, n1): x = 2n/D - 1, y = (4 n1 - 2 n)/D); with --sizes the
# blocks m_i = 2 n_i / D_i - 1.  --brute: sum over all 2^D vertices one by
# one (the multiplicities counted, not taken from binomials).
#
# Every value v of the program is checked against the reference r:
#   |v - r| <= bound + 1e-13 |r| + in_err
# where bound is the program's own error bound (error_bounds; 0 where it
# gives none) and in_err the effect of phi rounded to a double on each class
# (8 eps <|phi|> for <phi>, the same times beta D for the rest); and a value
# where |r| is below its bound, a mean must be printed 0 exactly (round-off
# printed as a number is a failure); ln Z, <ln W>, the heat capacity and the
# entropy (and a basin's) must moreover be resolved, |v - r| <= 1e-9 |r|,
# or null where they underflowed (|r| < 1e-290).  Exit 1 with the failures listed.
import json
import math
import sys
from itertools import product

import mpmath as mp

mp.mp.dps = 50
EPS = 2.0 ** -52


def parse(argv):
    o = {"sizes": None, "brute": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--brute":
            o["brute"] = True
            i += 1
            continue
        o[a[2:]] = argv[i + 1]
        i += 2
    o["dim"] = int(o["dim"])
    o["beta"] = mp.mpf(o["beta"])
    if o["sizes"]:
        o["sizes"] = [int(s) for s in o["sizes"].split(",")]
    return o


def make_phi(expr, names):
    src = expr.replace("^", "**")
    env = {"exp": mp.exp, "log": mp.log, "sqrt": mp.sqrt, "sin": mp.sin, "cos": mp.cos,
           "tanh": mp.tanh, "abs": abs, "pi": mp.pi}
    code = compile(src, "phi", "eval")
    return lambda *v: mp.mpf(eval(code, env, dict(zip(names, v))))


def classes(o):
    """(key, lnW, coordinates dict, phi) of every class."""
    D = o["dim"]
    out = []
    if o["sizes"] is None:
        h = D // 2
        phi = make_phi(o["phi"], ["x", "y"])
        for n1 in range(h + 1):
            for n2 in range(h + 1):
                n = n1 + n2
                x = mp.mpf(2 * n) / D - 1
                y = mp.mpf(4 * n1 - 2 * n) / D
                lnw = mp.log(mp.binomial(h, n1)) + mp.log(mp.binomial(h, n2))
                out.append(((n, n1), lnw, {"x": x, "y": y}, phi(x, y)))
    else:
        sz = o["sizes"]
        k = len(sz)
        names = ["m%d" % (i + 1) for i in range(k)]
        pair = k == 2 and sz[0] == sz[1]
        phi = make_phi(o["phi"], names + (["x", "y"] if pair else []))
        for ns in product(*[range(s + 1) for s in sz]):
            m = [mp.mpf(2 * ns[i]) / sz[i] - 1 for i in range(k)]
            lnw = mp.fsum(mp.log(mp.binomial(sz[i], ns[i])) for i in range(k))
            args = m + ([(m[0] + m[1]) / 2, (m[0] - m[1]) / 2] if pair else [])
            c = dict(zip(names, m))
            if pair:
                c["x"], c["y"] = args[-2], args[-1]
            out.append((tuple(ns), lnw, c, phi(*args)))
    return out


def brute_classes(o):
    """The same from all 2^D vertices: multiplicities counted."""
    D = o["dim"]
    sz = o["sizes"] or [D // 2, D // 2]
    count = {}
    for v in range(1 << D):
        ns, off = [], 0
        for s in sz:
            ns.append(bin((v >> off) & ((1 << s) - 1)).count("1"))
            off += s
        count[tuple(ns)] = count.get(tuple(ns), 0) + 1
    ref = {}
    for key, lnw, c, ph in classes(o):
        ns = key if o["sizes"] else (key[1], key[0] - key[1])
        ref[key] = (mp.log(count[ns]), c, ph)
    return [(key, lnw, c, ph) for key, (lnw, c, ph) in ref.items()]


def thermo(cl, beta, D, coords):
    lq = [lnw - beta * D * ph for _, lnw, _, ph in cl]
    mx = max(lq)
    w = [mp.exp(v - mx) for v in lq]
    Z = mp.fsum(w)
    lnz = mx + mp.log(Z)
    p = [wi / Z for wi in w]
    r = {"lnZ_per_dim": lnz / D}
    mphi = mp.fsum(pi * c[3] for pi, c in zip(p, cl))
    r["mean_phi"] = mphi
    r["mean_w"] = mp.fsum(pi * c[1] for pi, c in zip(p, cl)) / D
    var = mp.fsum(pi * (c[3] - mphi) ** 2 for pi, c in zip(p, cl))
    r["heat_capacity_per_dim"] = beta ** 2 * D * var
    # Gibbs entropy of the vertices: -sum_v p_v ln p_v, p_v = Q_c / W_c
    r["entropy_per_dim"] = -mp.fsum(pi * (mp.log(pi) - c[1]) for pi, c in zip(p, cl) if pi > 0) / D
    r["abs_phi"] = mp.fsum(pi * abs(c[3]) for pi, c in zip(p, cl))
    r["ln_total"] = lnz
    means = {}
    for a in coords:
        means[a] = mp.fsum(pi * c[2][a] for pi, c in zip(p, cl))
        r["mean_" + a] = means[a]
    r["cov"] = {}
    for a in coords:
        for b in coords:
            r["cov"][(a, b)] = mp.fsum(pi * (c[2][a] - means[a]) * (c[2][b] - means[b])
                                       for pi, c in zip(p, cl))
    return r


fails = []


def check(name, v, r, bound, in_err, zero_ok=True, null_below=0, strict=False):
    """v: the program's value (None: null, allowed where |r| < null_below:
    a value that underflowed), r: the reference."""
    r = mp.mpf(r)
    if v is None and abs(r) < null_below:
        return
    if v is None:
        fails.append("%s: null, reference %s" % (name, mp.nstr(r, 17)))
        return
    d = abs(mp.mpf(v) - r)
    tol = (bound or 0) + 1e-13 * abs(r) + in_err
    if d > tol:
        fails.append("%s = %r, reference %s: off by %.3g > bound %.3g (+ %.3g)" %
                     (name, v, mp.nstr(r, 20), float(d), bound or 0, float(tol - (bound or 0))))
        return
    if bound is not None and abs(r) <= bound:
        if zero_ok and v != 0 and abs(v) <= bound:
            fails.append("%s = %r is below its bound %.3g (round-off) but not printed 0" %
                         (name, v, bound))
        return
    if strict and d > 1e-9 * abs(r) + in_err:
        fails.append("%s = %r, reference %s: digits lost (%.3g relative)" %
                     (name, v, mp.nstr(r, 20), float(d / abs(r))))


def main():
    if len(sys.argv) < 3 or sys.argv[1] != "check":
        sys.exit("usage: exact_ref.py check JSON [CSV] -- options")
    rest = sys.argv[2:]
    sep = rest.index("--")
    files, o = rest[:sep], parse(rest[sep + 1:])
    js = json.load(open(files[0]))
    D, beta = o["dim"], o["beta"]
    cl = brute_classes(o) if o["brute"] else classes(o)
    if o["sizes"] is None:
        coords = ["x", "y"]
    else:
        coords = ["m%d" % (i + 1) for i in range(len(o["sizes"]))]
        if len(o["sizes"]) == 2 and o["sizes"][0] == o["sizes"][1]:
            coords += ["x", "y"]
    r = thermo(cl, beta, D, coords)
    eb = js.get("error_bounds", {})
    # phi rounded to a double on each class: <phi> off by <= 4 eps <|phi|>,
    # each weight by a relative 4 eps beta D |phi|
    wrel = 4 * EPS * float(beta * D * max(abs(c[3]) for c in cl))
    ein = 4 * EPS * float(r["abs_phi"]) + wrel * float(r["abs_phi"])
    check("lnZ_per_dim", js["lnZ_per_dim"], r["lnZ_per_dim"], eb.get("lnZ_per_dim"),
          wrel / D, strict=True)
    check("mean_phi", js["mean_phi"], r["mean_phi"], eb.get("mean_phi"), ein)
    check("mean_w", js["mean_w"], r["mean_w"], eb.get("mean_w"), wrel * D, strict=True)
    hc = r["heat_capacity_per_dim"]
    check("heat_capacity_per_dim", js["heat_capacity_per_dim"], hc,
          eb.get("heat_capacity_per_dim"), float(hc) * (2 * wrel + 1e-12), zero_ok=False,
          null_below=1e-290, strict=True)
    check("entropy_per_dim", js["entropy_per_dim"], r["entropy_per_dim"],
          eb.get("entropy_per_dim"), wrel * 2, zero_ok=False, null_below=1e-290, strict=True)
    if o["sizes"] is None:
        names = [("mean_x", "x", None), ("mean_y", "y", None)]
    else:
        names = [("mean_m[%d]" % i, "m%d" % (i + 1), i) for i in range(len(o["sizes"]))]
        if "mean_x" in js:
            names += [("mean_x", "x", None), ("mean_y", "y", None)]
    for label, a, i in names:
        v = js["mean_m"][i] if i is not None else js[label]
        b = eb["mean_m"][i] if i is not None else eb.get(label)
        check(label, v, r["mean_" + a], b, wrel)
    if o["sizes"] is None or "cov_xx" in js:
        for a, b in (("x", "x"), ("x", "y"), ("y", "y")):
            key = "cov_" + a + b
            check(key, js[key], r["cov"][(a, b)], eb.get(key), wrel)
    if o["sizes"] is not None:
        k = len(o["sizes"])
        for i in range(k):
            for j in range(k):
                check("cov_m[%d][%d]" % (i, j), js["cov_m"][i][j],
                      r["cov"][("m%d" % (i + 1), "m%d" % (j + 1))], eb["cov_m"][i][j], wrel)
    # basins: the classes of each from the program's distribution
    if len(files) > 1:
        member = {}
        with open(files[1]) as f:
            head = None
            for line in f:
                if line.startswith("#"):
                    continue
                row = line.strip().split(",")
                if head is None:
                    head = row
                    continue
                d = dict(zip(head, row))
                if o["sizes"] is None:
                    key = (int(d["n"]), int(d["n1"]))
                else:
                    key = tuple(int(d["n%d" % (i + 1)]) for i in range(len(o["sizes"])))
                member[key] = d["basin"]
        for b in js["basins"]:
            sub = [c for c in cl if member.get(c[0]) == b["name"]]
            if not sub or b.get("lnZ_per_dim") is None:
                continue
            rb = thermo(sub, beta, D, [])
            be = b.get("error_bounds", {})
            nm = "basin " + b["name"] + " "
            check(nm + "lnZ_per_dim", b["lnZ_per_dim"], rb["lnZ_per_dim"],
                  be.get("lnZ_per_dim"), wrel / D, strict=True)
            check(nm + "mean_phi", b["mean_phi"], rb["mean_phi"], be.get("mean_phi"),
                  4 * EPS * float(rb["abs_phi"]) + wrel * float(rb["abs_phi"]))
            check(nm + "entropy_per_dim", b["entropy_per_dim"], rb["entropy_per_dim"],
                  be.get("entropy_per_dim"), wrel * 2, zero_ok=False, null_below=1e-290, strict=True)
            hb = rb["heat_capacity_per_dim"]
            check(nm + "heat_capacity_per_dim", b["heat_capacity_per_dim"], hb,
                  be.get("heat_capacity_per_dim"), float(hb) * (2 * wrel + 1e-12), zero_ok=False,
                  null_below=1e-290, strict=True)
            lp = rb["ln_total"] - r["ln_total"]
            check(nm + "ln_probability", b["ln_probability"], lp, None, wrel + 1e-12)
    if fails:
        print("\n".join(fails))
        sys.exit(1)


main()
