#!/usr/bin/env python3
"""Writes Tests/Fixtures/teds/: table pairs scored by PubTabNet's own reference TEDS.

The reference is PubTabNet's `src/metric.py` itself, kept byte for byte in `pubtabnet/` beside
this script (with its `parallel.py` and Apache-2.0 licence; commit and SHA-256s in the
manifest), run with `apted`, `Distance` and lxml from PyPI. Tables are random PubTabNet-style
HTML (thead/tbody, rowspan/colspan, empty cells, inline <b>/<i>/<sup>, entities); predictions
are the ground truth perturbed in the ways table models fail (content edits, dropped or extra
cells and rows, wrong spans, header/body confusion, missing closing tags, wrong wrappers).

Outputs:
  pairs.json  {"pairs": [{"name", "pred", "gt", "teds", "teds_s", "teds_ignore_b_sup"}]}
  gt.jsonl    a few ground truths in PubTabNet JSONL form, scored against pred_jsonl.json
              through PubTabNet's examples/utils.py format_html (reproduced below)
  pred_jsonl.json, jsonl_scores.json
  sample_scores.json  the reference's scores of PubTabNet's 20 sample tables (sample_pred.json
              and sample_gt.json, copied from the same commit), per table and the means
  manifest.json
"""
import hashlib
import html as htmllib
import json
import random
import re
import sys
from importlib import metadata
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "pubtabnet"
# PubTabNet's commit the files in pubtabnet/ and the sample tables were copied from.
REFERENCE_COMMIT = "8ffde9024bd331f5a61c3c549fdf30dd3c3e43a5"
sys.path.insert(0, str(REFERENCE))
from metric import TEDS  # noqa: E402  (PubTabNet's src/metric.py)

OUT = Path(__file__).resolve().parent.parent / "teds"
rng = random.Random(20261129)

WORDS = ["0.12", "n", "Age", "Total", "p < 0.05", "12.5 ± 3", "α", "β-1", "Δ", "",
         "Group A", "mean (SD)", "x & y", "42", "—", "µg/ml", "a\u0301", "Ｎ", "1,024"]


def cell_text():
    kind = rng.random()
    if kind < 0.15:
        return ""
    text = htmllib.escape(rng.choice(WORDS), quote=False)
    if kind < 0.25 and text:
        tag = rng.choice(["b", "i", "sup", "sub"])
        return f"<{tag}>{text}</{tag}>"
    if kind < 0.3 and text:
        return f"{text}<sup>{rng.randint(1, 9)}</sup>"
    return text


def random_grid():
    """A grid as rows of (rowspan, colspan, content) in HTML order, plus header row count."""
    rows, cols = rng.randint(2, 7), rng.randint(2, 6)
    taken = [[False] * cols for _ in range(rows)]
    out = []
    for r in range(rows):
        row = []
        for c in range(cols):
            if taken[r][c]:
                continue
            rs, cs = 1, 1
            if rng.random() < 0.15:
                rs = rng.randint(1, rows - r)
            if rng.random() < 0.15:
                cs = rng.randint(1, cols - c)
            # shrink until the block is free
            while cs > 1 and any(taken[r][c + k] for k in range(cs)):
                cs -= 1
            while rs > 1 and any(taken[r + k][c + j] for k in range(rs) for j in range(cs)):
                rs -= 1
            for k in range(rs):
                for j in range(cs):
                    taken[r + k][c + j] = True
            row.append([rs, cs, cell_text()])
        out.append(row)
    header = rng.choice([0, 1, 1, 1, 2]) if rows > 2 else 1
    return out, header


def render(grid, header, wrapper="full", close_td=True):
    def td(cell):
        rs, cs, content = cell
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        return f"<td{attrs}>{content}" + ("</td>" if close_td else "")

    body = ""
    if header:
        body += "<thead>" + "".join("<tr>" + "".join(map(td, row)) + "</tr>"
                                    for row in grid[:header]) + "</thead>"
    body += "<tbody>" + "".join("<tr>" + "".join(map(td, row)) + "</tr>"
                                for row in grid[header:]) + "</tbody>"
    if wrapper == "full":
        return f"<html><body><table>{body}</table></body></html>"
    if wrapper == "bare":
        return f"<table>{body}</table>"
    if wrapper == "head":
        return f"<html><head><meta charset=\"UTF-8\"></head>\n<body>\n<table border=\"1\">\n{body}\n</table>\n</body></html>"
    raise ValueError(wrapper)


def perturb(grid, header):
    import copy
    g = copy.deepcopy(grid)
    ops = rng.sample(["content", "drop", "extra", "span", "row", "header", "empty", "swap"],
                     rng.randint(1, 3))
    for op in ops:
        cells = [(r, i) for r, row in enumerate(g) for i in range(len(row))]
        if not cells:
            break
        r, i = rng.choice(cells)
        if op == "content":
            g[r][i][2] = cell_text()
        elif op == "drop" and len(g[r]) > 1:
            del g[r][i]
        elif op == "extra":
            g[r].insert(i, [1, 1, cell_text()])
        elif op == "span":
            g[r][i][rng.randrange(2)] = rng.randint(1, 3)
        elif op == "row":
            if rng.random() < 0.5 and len(g) > 1:
                del g[rng.randrange(len(g))]
            else:
                g.insert(rng.randrange(len(g) + 1), [[1, 1, cell_text()] for _ in g[0]])
        elif op == "header":
            header = max(0, min(len(g), header + rng.choice([-1, 1])))
        elif op == "empty":
            g[r][i][2] = ""
        elif op == "swap" and len(g) > 1:
            a, b = rng.sample(range(len(g)), 2)
            g[a], g[b] = g[b], g[a]
    return g, header


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    teds, teds_s = TEDS().evaluate, TEDS(structure_only=True).evaluate
    # The reference strips `ignore_nodes` with etree.strip_tags(*ignore_nodes): pass a list.
    teds_ignore = TEDS(ignore_nodes=["b", "sup"]).evaluate
    pairs = []

    def add(name, pred, gt):
        pairs.append({"name": name, "pred": pred, "gt": gt,
                      "teds": teds(pred, gt), "teds_s": teds_s(pred, gt),
                      "teds_ignore_b_sup": teds_ignore(pred, gt)})

    for n in range(70):
        grid, header = random_grid()
        gt = render(grid, header)
        if n < 6:
            add(f"identical-{n}", render(grid, header, wrapper=rng.choice(["full", "head"])), gt)
        elif n < 56:
            pgrid, pheader = perturb(grid, header)
            add(f"perturbed-{n}", render(pgrid, pheader), gt)
        elif n < 60:
            other, oheader = random_grid()
            add(f"unrelated-{n}", render(other, oheader), gt)
        elif n < 64:
            pgrid, pheader = perturb(grid, header)
            add(f"unclosed-td-{n}", render(pgrid, pheader, close_td=False), gt)
        elif n < 66:
            add(f"bare-fragment-{n}", render(grid, header, wrapper="bare"), gt)
        elif n < 68:
            add(f"empty-prediction-{n}", "", gt)
        else:
            pgrid, pheader = perturb(grid, header)
            add(f"whitespace-{n}", render(pgrid, pheader, wrapper="head"), gt)
    # Hand-written cases for parser corners: header cells, whitespace, entities, line breaks,
    # nested inline tags, upper-case tags, loose attribute syntax, comments, nested tables.
    W = "<html><body><table>%s</table></body></html>"
    handwritten = [
        ("th-vs-td", W % "<tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr>",
         W % "<tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr>"),
        ("whitespace-cells", W % "<tr><td> a </td><td>\n</td><td> </td></tr>",
         W % "<tr><td>a</td><td></td><td>  </td></tr>"),
        ("entities", W % "<tr><td>&lt;5 &amp; &gt;2&nbsp;x&#945;</td><td>&quot;q&quot;</td></tr>",
         W % "<tr><td>&lt;5 &amp; &gt;2 x\u03b1</td><td>\"q\"</td></tr>"),
        ("line-breaks", W % "<tr><td>a<br>b</td><td>c<br/>d</td></tr>",
         W % "<tr><td>a b</td><td>c<br>d</td></tr>"),
        ("nested-inline", W % "<tr><td><b><i>x</i>y</b>z</td><td><sup><b>1</b></sup></td></tr>",
         W % "<tr><td><b>xy</b>z</td><td><sup>1</sup></td></tr>"),
        ("upper-case", "<HTML><BODY><TABLE><TR><TD COLSPAN=2>A</TD></TR><TR><TD>b</TD>"
         "<TD>c</TD></TR></TABLE></BODY></HTML>",
         W % "<tr><td colspan=\"2\">A</td></tr><tr><td>b</td><td>c</td></tr>"),
        ("loose-attributes", W % "<tr><td rowspan = '2' colspan=\" 1 \">a</td><td>b</td></tr>"
         "<tr><td>c</td></tr>",
         W % "<tr><td rowspan=\"2\">a</td><td>b</td></tr><tr><td>c</td></tr>"),
        ("comments", W % "<tr><td>a<!-- note -->b</td><!-- gone --><td>c</td></tr>",
         W % "<tr><td>ab</td><td>c</td></tr>"),
        ("nested-table", W % "<tr><td><table><tr><td>x</td></tr></table>y</td><td>z</td></tr>",
         W % "<tr><td>xy</td><td>z</td></tr>"),
        ("unk-and-tail", W % "<tr><td>a<unk>u</unk>b<span>s</span>t</td></tr>",
         W % "<tr><td>aub<span>s</span>t</td></tr>"),
        ("doctype-and-head", "<!DOCTYPE html><html><head><title>t</title></head><body>"
         "<table><thead><tr><td>h</td></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
         "</body></html>",
         W % "<thead><tr><td>h</td></tr></thead><tbody><tr><td>1</td></tr></tbody>"),
        ("body-only-fragment", "<body><table><tr><td>a</td></tr></table></body>",
         W % "<tr><td>a</td></tr>"),
        ("head-fragment", "<head></head><body><table><tr><td>a</td></tr></table></body>",
         W % "<tr><td>a</td></tr>"),
        ("two-tables", W % "<tr><td>a</td></tr></table><table><tr><td>b</td></tr>",
         W % "<tr><td>a</td></tr>"),
        ("combining-marks", W % "<tr><td>e\u0301\u00e9</td><td>\U0001F600</td></tr>",
         W % "<tr><td>\u00e9e\u0301</td><td>:)</td></tr>"),
    ]
    for name, pred, gt in handwritten:
        add(name, pred, gt)

    # Garbage: random tag soup, some cut at a random character (a truncated generation), to
    # pin down libxml2's recovery. Pairs the reference itself cannot score are skipped.
    soup = ["<tr>", "</tr>", "<td>", "</td>", '<td colspan="2">', '<td rowspan="2">', "<thead>",
            "</thead>", "<tbody>", "</tbody>", "<b>", "</b>", "x", "yy", " ", "<br>", "&amp;",
            "<", "<th>", "</th>", "<table>", "</table>", "<i>", "<p>", "</p>", "<div>", "\n",
            "<span>", "&nbsp;"]
    garbage = 0
    while garbage < 40:
        p, g = ("<html><body><table>" + "".join(rng.choice(soup) for _ in range(rng.randint(0, 30)))
                + "</table></body></html>" for _ in range(2))
        if rng.random() < 0.4:
            p = p[:rng.randint(1, len(p))]
        try:
            add(f"garbage-{garbage}", p, g)
            garbage += 1
        except (ValueError, ZeroDivisionError):
            continue

    (OUT / "pairs.json").write_text(json.dumps({"pairs": pairs}, ensure_ascii=False, indent=1))

    # PubTabNet JSONL ground truth (structure tokens + cell tokens), scored through format_html.
    lines, preds, jsonl_scores = [], {}, {}
    for n in range(5):
        grid, header = random_grid()
        structure, cells = [], []

        def tokens_of(rows):
            for row in rows:
                structure.append("<tr>")
                for rs, cs, content in row:
                    if rs > 1 or cs > 1:
                        structure.append("<td")
                        if rs > 1:
                            structure.append(f' rowspan="{rs}"')
                        if cs > 1:
                            structure.append(f' colspan="{cs}"')
                        structure.append(">")
                    else:
                        structure.append("<td>")
                    structure.append("</td>")
                    # inline tags are single tokens, characters one each, as in PubTabNet
                    toks = [t for t in re.split(r"(</?(?:b|i|sup|sub)>)", content) if t]
                    toks = [[t] if re.fullmatch(r"</?(?:b|i|sup|sub)>", t)
                            else list(htmllib.unescape(t)) for t in toks]
                    toks = [t for group in toks for t in group]
                    cells.append({"tokens": toks})
                structure.append("</tr>")

        if header:
            structure.append("<thead>")
            tokens_of(grid[:header])
            structure.append("</thead>")
        structure.append("<tbody>")
        tokens_of(grid[header:])
        structure.append("</tbody>")
        name = f"jsonl-{n}.png"
        entry = {"filename": name, "split": "val", "imgid": n,
                 "html": {"structure": {"tokens": structure}, "cells": cells}}
        lines.append(json.dumps(entry, ensure_ascii=False))
        gt_html = format_html(entry)
        pgrid, pheader = perturb(grid, header)
        preds[name] = render(pgrid, pheader)
        jsonl_scores[name] = {"teds": teds(preds[name], gt_html),
                              "teds_s": teds_s(preds[name], gt_html)}
    (OUT / "gt.jsonl").write_text("\n".join(lines) + "\n")
    (OUT / "pred_jsonl.json").write_text(json.dumps(preds, ensure_ascii=False, indent=1))
    (OUT / "jsonl_scores.json").write_text(json.dumps(jsonl_scores, indent=1))

    # PubTabNet's 20 sample tables, scored as its metric.py's __main__ does.
    sample_pred = json.loads((OUT / "sample_pred.json").read_text())
    sample_gt = json.loads((OUT / "sample_gt.json").read_text())
    full = TEDS(n_jobs=1).batch_evaluate(sample_pred, sample_gt)
    structure = TEDS(structure_only=True, n_jobs=1).batch_evaluate(sample_pred, sample_gt)
    sample_scores = {"tables": {name: {"teds": full[name], "teds_s": structure[name]}
                                for name in sample_gt},
                     "mean_teds": sum(full.values()) / len(full),
                     "mean_teds_s": sum(structure.values()) / len(structure)}
    (OUT / "sample_scores.json").write_text(json.dumps(sample_scores, indent=1) + "\n")

    files = ["pairs.json", "gt.jsonl", "pred_jsonl.json", "jsonl_scores.json",
             "sample_pred.json", "sample_gt.json", "sample_scores.json"]
    manifest = {
        "generator": "Tests/Fixtures/generator/generate_teds_fixtures.py",
        "seed": 20261129,
        "reference": {
            "repository": "https://github.com/ibm-aur-nlp/PubTabNet",
            "commit": REFERENCE_COMMIT,
            "sha256": {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
                       for f in sorted(REFERENCE.iterdir()) if f.is_file()},
        },
        "versions": {p: metadata.version(p) for p in ["apted", "Distance", "lxml", "tqdm"]},
        "libxml2_in_lxml": ".".join(map(str, __import__("lxml.etree").etree.LIBXML_VERSION)),
        "sha256": {f: hashlib.sha256((OUT / f).read_bytes()).hexdigest() for f in files},
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(pairs)} pairs, {len(jsonl_scores)} JSONL tables written to {OUT}; "
          f"sample mean TEDS {sample_scores['mean_teds']:.4f}")


def format_html(img):
    """PubTabNet examples/utils.py format_html (Apache-2.0), wrapper trimmed to the tags."""
    html_code = img["html"]["structure"]["tokens"].copy()
    to_insert = [i for i, tag in enumerate(html_code) if tag in ("<td>", ">")]
    for i, cell in zip(to_insert[::-1], img["html"]["cells"][::-1]):
        if cell["tokens"]:
            cell = [htmllib.escape(token) if len(token) == 1 else token
                    for token in cell["tokens"]]
            html_code.insert(i + 1, "".join(cell))
    return "<html><body><table>%s</table></body></html>" % "".join(html_code)


if __name__ == "__main__":
    main()
