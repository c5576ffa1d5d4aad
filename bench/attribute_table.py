#!/usr/bin/python3
"""Summarises bench_attribute_edit's JSON lines (one per seed) as issue 12 asks.

For each target attribute and vector method: the smallest strength at which at least
90% of the edited faces show the target, and at that strength the share of faces whose
other attributes are all unchanged, the other attribute that changed most, and the
share of faces where the judge saw another attribute change although that
attribute's latent classifier did not flip (a decode-side effect).

Usage: attribute_table.py RESULT.json... [--markdown] [--default=METHOD] [--seeds=1,2,3]
(--default: judge that method as the default, for results from before it changed;
--seeds: the seeds of the files, where a file records another: seed 2's was continued
before train --resume kept the first run's seed)
"""
import json
import sys


def chosen(method):
    for row in method["strengths"]:
        if row["target"] >= 0.9 - 1e-6:  # shares are float32 means
            return row
    return None


def main():
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in sys.argv
    runs = [json.loads(open(f).read().strip().splitlines()[-1]) for f in files]
    seeds = next((a.split("=", 1)[1].split(",") for a in sys.argv if a.startswith("--seeds=")), None)
    if seeds:
        for r, seed in zip(runs, seeds):
            r["seed"] = int(seed)
    default = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--default=")), runs[-1]["default_method"])
    methods = list(runs[0]["targets"][next(iter(runs[0]["targets"]))]["methods"])
    if markdown:
        print("| target | method | " + " | ".join(f"seed {r['seed']}" for r in runs) + " |")
        print("|---|---|" + "---|" * len(runs))
    for target in runs[0]["targets"]:
        for m in methods:
            cells = []
            for r in runs:
                if m not in r["targets"][target]["methods"]:
                    cells.append("not measured")
                    continue
                row = chosen(r["targets"][target]["methods"][m])
                if row is None:
                    best = max(r["targets"][target]["methods"][m]["strengths"], key=lambda s: s["target"])
                    cells.append(f"never 90% (best {best['target']:.1%} at {best['alpha']:g})")
                    continue
                worst = min(row["unchanged"].items(), key=lambda kv: kv[1])
                if markdown:  # compact: strength, all kept, the worst other attribute
                    kept = f"{row['all_unchanged']:.1%}"
                    kept = f"**{kept}**" if row["all_unchanged"] >= 0.95 - 1e-6 else kept
                    cells.append(f"{row['alpha']:g}: {kept} ({worst[0]} {worst[1]:.1%})")
                    continue
                cells.append(f"{row['alpha']:g}: {row['all_unchanged']:.1%} all kept"
                             f" (worst {worst[0]} {worst[1]:.1%}; decode-side {row['changed_without_latent_flip']:.1%}"
                             + (f"; latent classifier's strength {r['targets'][target]['methods'][m]['latent_strength_for_90_percent']:.2f}"
                                if "latent_strength_for_90_percent" in r["targets"][target]["methods"][m] else "") + ")")
            label = m + (" (default)" if m == default else "")
            if markdown:
                print(f"| {target} | {label} | " + " | ".join(cells) + " |")
            else:
                print(f"{target:>12} {label:>28}: " + " | ".join(cells))
    # The ceiling: how often the VAE's own reconstructions of faces that have the target
    # keep every other attribute as labelled.
    print()
    for r in runs:
        print(f"seed {r['seed']}, reconstructions of faces with the target that keep all others: " + ", ".join(
            f"{t} {v['reconstructions_of_faces_with_target_keep']['all']:.1%}"
            for t, v in r["targets"].items() if "reconstructions_of_faces_with_target_keep" in v))
        if all("reconstructions_of_faces_with_target_show_it" in v for v in r["targets"].values()):
            print(f"seed {r['seed']}, reconstructions of faces with the target that show it: " + ", ".join(
                f"{t} {v['reconstructions_of_faces_with_target_show_it']:.1%}" for t, v in r["targets"].items()))
    # Whether each target meets issue 12's bar with the default method.
    for r in runs:
        verdicts = []
        for t, v in r["targets"].items():
            row = chosen(v["methods"][default])
            ok = row is not None and row["all_unchanged"] >= 0.95 - 1e-6  # shares are float32
            verdicts.append(f"{t} {'met' if ok else 'MISSED'}")
        print(f"seed {r['seed']}, default {default}, 90% target and >= 95% all others kept: " + ", ".join(verdicts))
    if not markdown:
        for r in runs:
            print("judge accuracy on the test faces: " + ", ".join(
                f"{k} {v:.1%}" for k, v in r["judge_test_accuracy"].items())
                  + f"; evaluation {r['eval_seconds']:.0f} s")


if __name__ == "__main__":
    main()
