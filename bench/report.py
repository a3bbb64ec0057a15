"""bench/RESULTS.md from the figures of one run of bench/run.py."""

TARGET_RATIO = 1.5
TARGET_RSS_SPREAD_MIB = 30
TARGET_COUNTS_S = 1.0
TARGET_AUTOSAVE_P95_MS = 100
TARGET_CHANGELIST_P95_MS = 300
# The analysts' workspace (issue 15): the analysis home and the quotes list it links to.
TARGET_ANALYSIS_P95_MS = 300


def _verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def checks(results: dict) -> list[tuple[str, str, str, bool]]:
    """(what, target, measured, passed) for every target of the benchmark issue."""
    sizes = sorted(results["sizes"], key=int)
    small, large = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
    rows = []
    for kind in ("quotes", "interviews"):
        figure = large["exports"][kind]
        rows.append(
            (
                f"{kind}.csv export at {int(sizes[-1]):,} interviews, vs COPY",
                f"≤ {TARGET_RATIO} × COPY",
                f"{figure['ratio']} × ({figure['ours_s']} s vs {figure['copy_s']} s)",
                figure["ratio"] <= TARGET_RATIO and figure["same_rows_as_copy"],
            )
        )
    for kind in ("quotes", "interviews"):
        low, high = small["exports"][kind]["rss_mib"], large["exports"][kind]["rss_mib"]
        rows.append(
            (
                f"{kind}.csv export peak RSS, {int(sizes[0]):,} vs {int(sizes[-1]):,}",
                f"< {TARGET_RSS_SPREAD_MIB} MiB apart",
                f"{low} MiB vs {high} MiB ({high - low:+d} MiB)",
                abs(high - low) < TARGET_RSS_SPREAD_MIB,
            )
        )
    for kind in ("counts", "theme_counts"):
        figure = large["counts"][kind]
        rows.append(
            (
                f"{kind}.csv at {int(sizes[-1]):,} interviews",
                f"< {TARGET_COUNTS_S} s",
                f"{figure['s']} s",
                figure["s"] < TARGET_COUNTS_S,
            )
        )
        rows.append(
            (
                f"{kind}.csv queries, {int(sizes[0]):,} vs {int(sizes[-1]):,}",
                "independent of N",
                f"{small['counts'][kind]['queries']} vs {figure['queries']}",
                small["counts"][kind]["queries"] == figure["queries"],
            )
        )
    load = results.get("load")
    if load:
        errors = sum(e["errors"] for e in load["endpoints"].values())
        rows.append(("web load: errors", "0", str(errors), errors == 0))
        for name, target in (
            ("autosave", TARGET_AUTOSAVE_P95_MS),
            ("quotes changelist", TARGET_CHANGELIST_P95_MS),
            ("analysis home", TARGET_ANALYSIS_P95_MS),
            ("filtered quotes", TARGET_ANALYSIS_P95_MS),
        ):
            figure = load["endpoints"].get(name)
            if figure:
                rows.append(
                    (
                        f"web load: {name} p95",
                        f"< {target} ms",
                        f"{figure['p95_ms']} ms",
                        figure["p95_ms"] < target,
                    )
                )
    return rows


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {m['date']} on {m['cores']} cores, {m['memory']} memory ({m['cpu']}), "
        f"Python {m['python']}, {m['postgresql']}, Linux {m['kernel']}.",
        "",
        f"Command: `{results['command']}` (from the project folder; `make bench` runs it).",
        "Every ratio is against a reference measured in the same run on the same data; each",
        "timing is the median of 3 interleaved runs. The machine is shared, so expect noise.",
        "",
        "| what | target | measured | result |",
        "|---|---|---|---|",
    ]
    for what, target, measured, passed in checks(results):
        lines.append(f"| {what} | {target} | {measured} | {_verdict(passed)} |")
    lines += ["", "## Every figure", ""]
    for size, figures in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        lines.append(f"### {int(size):,} interviews (generated in {figures['generate_s']} s)")
        lines.append("")
        lines.append(
            "| export | ours (s) | COPY (s) | ratio | peak RSS (MiB) | bytes | rows = COPY's |"
        )
        lines.append("|---|---|---|---|---|---|---|")
        for kind, f in figures["exports"].items():
            lines.append(
                f"| {kind}.csv | {f['ours_s']} | {f['copy_s']} | {f['ratio']} | {f['rss_mib']} "
                f"| {f['bytes']:,} | {'yes' if f['same_rows_as_copy'] else 'NO'} |"
            )
        lines.append("")
        lines.append("| counts | seconds | queries | rows |")
        lines.append("|---|---|---|---|")
        for kind, f in figures["counts"].items():
            lines.append(f"| {kind}.csv | {f['s']} | {f['queries']} | {f['rows']} |")
        lines.append("")
    load = results.get("load")
    if load:
        lines.append(
            f"### Web load: {load['users']} for {load['seconds']} s against gunicorn "
            f"({load['workers']} workers × {load['threads']} threads) on PostgreSQL"
        )
        lines.append("")
        lines.append("| endpoint | requests | p50 (ms) | p95 (ms) | p99 (ms) | errors |")
        lines.append("|---|---|---|---|---|---|")
        for name, f in load["endpoints"].items():
            lines.append(
                f"| {name} | {f['requests']} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} "
                f"| {f['errors']} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
