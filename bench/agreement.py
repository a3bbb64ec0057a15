"""The agreement table of a large coding round (issue 18: under 2 s for 10,000 quotes,
12 sub-themes, 3 coders), timed on made-up codings without a database.

``python -m bench.agreement [--quotes 10000] [--subthemes 12] [--coders 3] [--repeat 3]``
prints the figures as JSON; ``agreement_figures()`` returns them for ``bench/run.py``. What is
timed is ``themes.rounds.figures.table``, all of a round's arithmetic (the page and
agreement.csv add three plain queries that read the codings and tags, ``round_table``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from themes.rounds.figures import Code, table

TARGET_SECONDS = 2.0


def synthetic_round(*, quotes: int, subthemes: int, coders: int, seed: int = 18):
    """A codebook of ``subthemes`` in themes of three, every coder coding about 95 % of the
    quotes, and each tagging a quote with a sub-theme about one time in five (agreeing with
    the first coder four times in five)."""
    rng = random.Random(seed)
    codebook = [
        Code(s, f"sub{s}", f"Sub-theme {s}", f"theme{(s - 1) // 3}", f"Theme {(s - 1) // 3}")
        for s in range(1, subthemes + 1)
    ]
    codings, tags = [], []
    for quote in range(1, quotes + 1):
        first = {c.subtheme_id for c in codebook if rng.random() < 0.2}
        for coder in range(1, coders + 1):
            if rng.random() > 0.95:
                continue  # not coded by this coder: missing
            codings.append((quote, coder))
            for code in codebook:
                tagged = code.subtheme_id in first
                if coder > 1 and rng.random() < 0.2:
                    tagged = not tagged
                if tagged:
                    tags.append((quote, coder, code.subtheme_id))
    return codebook, codings, tags


def agreement_figures(
    *, quotes: int = 10_000, subthemes: int = 12, coders: int = 3, repeat: int = 3
) -> dict:
    codebook, codings, tags = synthetic_round(quotes=quotes, subthemes=subthemes, coders=coders)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = table(codebook=codebook, codings=codings, tags=tags)
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    overall = rows[-1]
    return {
        "quotes": quotes,
        "subthemes": subthemes,
        "coders": coders,
        "codings": len(codings),
        "tags": len(tags),
        "rows": len(rows),
        "seconds": round(seconds, 3),
        "target_seconds": TARGET_SECONDS,
        "within_target": seconds < TARGET_SECONDS,
        "overall_alpha": str(overall.alpha.value),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--subthemes", type=int, default=12)
    parser.add_argument("--coders", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print(json.dumps(agreement_figures(**vars(options)), indent=2))


if __name__ == "__main__":
    main()
