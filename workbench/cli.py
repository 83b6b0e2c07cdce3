"""The `workbench` command line: demo data, snapshot, run, definition suggest."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from workbench.errors import WorkbenchError

EXIT_USER_ERROR = 2
EXIT_SOME_FAILED = 1  # `batch`: some files failed, the others ran


def _demo_data(args: argparse.Namespace) -> int:
    from workbench.demo import generate_demo

    summary = generate_demo(args.out_dir, organisations=args.organisations,
                            incoming=args.incoming, seed=args.seed, hard=args.hard)
    print(f"CRM export: {summary.organisations} organisations, {summary.persons} persons, "
          f"{summary.contacts} contacts in {Path(args.out_dir) / 'crm'}")
    print(f"Purchased list: {summary.incoming_rows} rows in {Path(args.out_dir) / 'incoming.xlsx'}"
          f" (truth in truth.csv)")
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from workbench.snapshot import snapshot_export

    summary = snapshot_export(args.export_dir, args.db, args.crm_from)
    print(f"Snapshot {args.db} ({summary.layout}): "
          + ", ".join(f"{n} {t}" for t, n in summary.counts.items()))
    for table, columns in summary.unknown_columns.items():
        # kept in the snapshot's `extra` table, so nothing of the export is lost unseen
        print(f"  {table}: columns the layout does not know, kept in table 'extra': "
              + ", ".join(columns))
    return 0


def _run_definition(args: argparse.Namespace) -> tuple[Path | None, str]:
    """The definition a run uses and a line saying which: ``--definition``, else the one 02
    saved for this list in the definitions folder, else one suggested from the file."""
    if args.definition:
        return Path(args.definition), f"Definition: {args.definition} (given with --definition)"
    if args.repairs_of:  # the rejects workbook is no list of its own: the repaired run's wins
        return None, f"Definition: the one of the run in {args.repairs_of} (repairs)"
    from workbench.mapping import definition_for_list

    return definition_for_list(args.input, args.definitions_dir)


def _run(args: argparse.Namespace) -> int:
    from workbench.pipeline import RunSettings, run

    definition_path, definition_note = _run_definition(args)
    settings = RunSettings(input_path=Path(args.input), crm_path=Path(args.crm),
                           out_dir=Path(args.out), definition_path=definition_path,
                           definition_note=definition_note,
                           sheet=args.sheet, state_path=Path(args.state) if args.state else None,
                           max_rows=args.max_rows, max_bytes=int(args.max_mb * 1024**2),
                           max_columns=args.max_columns, target=args.target,
                           memory_bytes=args.memory,
                           repairs_of=Path(args.repairs_of) if args.repairs_of else None)
    result = run(settings, progress=sys.stderr.isatty() and not args.quiet)
    if not args.quiet:  # the run's summary: the same counts as the notebooks and reports
        from workbench.messages import sentence

        lang = result.manifest["definition"].get("language")  # the definition's, as its files
        print(sentence("cli.run", lang, run_id=result.run_id, input=args.input))
        print(definition_note)
        print("\n".join(result.summary.lines(lang)))
        print(sentence("cli.outputs", lang, out=result.out_dir))
        if args.repairs_of:
            print(sentence("cli.list_record", lang, path=result.out_dir / "list_outcomes.csv"))
    return 0


def _batch(args: argparse.Namespace) -> int:
    from workbench.batch import BatchSettings, run_batch

    summary = run_batch(BatchSettings(
        input_dir=Path(args.input_dir), crm_path=Path(args.crm),
        definition_path=Path(args.definition), out_dir=Path(args.out),
        use_notebook=not args.no_notebook, state_path=Path(args.state) if args.state else None,
        max_columns=args.max_columns))
    failed = summary[summary["status"] == "failed"]
    if not args.quiet:
        print(f"Batch: {len(summary)} files, {len(failed)} failed; summary in "
              f"{Path(args.out) / 'batch_summary.csv'} and batch_summary.html")
        for rec in failed.to_dict("records"):
            print(f"  {rec['file']}: {rec['error']}")
    if failed.empty:
        return 0
    # a scheduler must see a batch that lost files: 1 when some ran, 2 when none could
    return EXIT_USER_ERROR if len(failed) == len(summary) else EXIT_SOME_FAILED


def _apply(args: argparse.Namespace) -> int:
    from workbench.apply import apply_changeset

    counts = apply_changeset(args.out_dir, args.crm, args.into)
    print(f"Applied to {args.into}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _undo(args: argparse.Namespace) -> int:
    from workbench.apply import undo_run

    counts = undo_run(args.run_id, args.crm)
    print(f"Undone run {args.run_id} in {args.crm}: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _runs(args: argparse.Namespace) -> int:
    from workbench.runs import (
        history_table,
        read_history,
        run_detail,
        table_text,
        undo_from_history,
    )
    from workbench.state import default_state_path

    # the snapshot is only named, never opened: its state file lies beside it
    state = Path(args.state) if args.state else default_state_path(args.crm)
    if args.undo:
        copy, counts = undo_from_history(state, args.undo, args.into)
        print(f"Undone run {args.undo} in {copy}: "
              + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return 0
    history = read_history(state)
    if history.empty:
        print(f"No runs recorded yet in {state}.")
        return 0
    if args.run:
        print(run_detail(history, args.run))
        return 0
    table = history_table(history, args.days)
    when = f" in the last {args.days} days" if args.days is not None else ""
    print(f"{len(table)} runs{when} in {state} (newest first):")
    if not table.empty:
        print(table_text(table))
    return 0


def _profiles(args: argparse.Namespace) -> int:
    from importlib import resources

    from workbench.crm import load_layout, shipped_names

    if args.show:  # the file itself, to save and edit as the analyst's own layout
        if args.show not in shipped_names():
            load_layout(args.show)  # says which names there are, or checks the analyst's file
        path = Path(args.show) if args.show not in shipped_names() else \
            resources.files("workbench.crm") / f"{args.show}.yml"
        sys.stdout.write(path.read_text(encoding="utf-8"))
        return 0
    for name in shipped_names():
        layout = load_layout(name)
        print(f"{name:<14} {layout.system}: {layout.description}")
    return 0


def _template(args: argparse.Namespace) -> int:
    from workbench.crm import load_layout
    from workbench.crm.write import write_template

    path = write_template(load_layout(args.target), args.out)
    print(f"Import template for {args.target}: {path}")
    return 0


def _definition_suggest(args: argparse.Namespace) -> int:
    from workbench.pipeline import choose_definition, profile_input, read_input

    raw = read_input(args.input, args.sheet)
    definition = choose_definition(raw, None, profile_input(raw, None, file=args.input))
    sys.stdout.write(definition.to_yaml())
    return 0


def _add_demo_data(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo-data", help="write a synthetic CRM export and purchased list")
    p.add_argument("out_dir")
    p.add_argument("--organisations", type=int, default=2000)
    p.add_argument("--incoming", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--hard", action="store_true",
                   help="put doubt in the list: typos, renamed, moved and foreign firms, "
                        "namesakes, values Excel mangled")
    p.set_defaults(func=_demo_data)


def _add_snapshot(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("snapshot", help="build the DuckDB CRM snapshot from a CRM export folder")
    p.add_argument("export_dir")
    p.add_argument("--db", required=True, help="the snapshot file to write")
    p.add_argument("--from", dest="crm_from", default=None,
                   help="the CRM the export comes from: a name from 'workbench profiles' or a "
                        "layout file (default: workbench)")
    p.set_defaults(func=_snapshot)


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="read, match and export a change set in batch")
    p.add_argument("input")
    p.add_argument("--crm", required=True, help="the CRM snapshot (DuckDB file)")
    p.add_argument("--out", required=True, help="folder for the change set and reports")
    p.add_argument("--definition", help="import definition (YAML); when left out, the one "
                   "02_mapping saved for this list (DEFINITIONS_DIR/<list name>.yml), else one "
                   "suggested from the file")
    p.add_argument("--definitions-dir", default="definitions",
                   help="where 02_mapping saves each list's definition (default: definitions, "
                        "the notebooks' ../definitions seen from the project folder)")
    p.add_argument("--sheet", help="sheet of an Excel workbook")
    p.add_argument("--state", help="state file for runs and review decisions "
                                   "(default: beside the snapshot)")
    p.add_argument("--max-rows", type=int, default=1_000_000,
                   help="refuse files with more data rows (default 1,000,000)")
    p.add_argument("--max-mb", type=float, default=200,
                   help="refuse files larger than this many MB, a workbook counted unpacked "
                        "(default 200)")
    p.add_argument("--max-columns", type=int, default=1_000,
                   help="refuse tables wider than this (default 1,000)")
    p.add_argument("--target", help="also write the change set for this CRM's import wizard in "
                                    "OUT/<name>/ (a name from 'workbench profiles' or a file)")
    p.add_argument("--memory", type=_memory_size, default=2 * 1024**3,
                   help="memory the run aims to stay under, e.g. 2G or 512M (default 2G): "
                        "DuckDB gets half and spills beyond it, matching works in parts to fit")
    p.add_argument("--repairs-of", metavar="OUT_DIR",
                   help="INPUT is OUT_DIR's rejects.xlsx with cells fixed: run its rows with "
                        "OUT_DIR's definition, under their original source_row, and write the "
                        "list's record (list_outcomes.csv) into --out, a new folder")
    p.add_argument("--verbose", action="store_true", help="log every step")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=_run)


def _memory_size(text: str) -> int:
    from workbench.context import parse_memory

    try:
        return parse_memory(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="run every file of a folder with one definition "
                                     "(exit 1 when some files failed, 2 when none could run)")
    p.add_argument("input_dir")
    p.add_argument("--crm", required=True, help="the CRM snapshot (DuckDB file)")
    p.add_argument("--definition", required=True, help="import definition (YAML)")
    p.add_argument("--out", required=True, help="folder for one output folder per file")
    p.add_argument("--no-notebook", action="store_true",
                   help="run the pipeline directly instead of the pipeline notebook")
    p.add_argument("--state", help="state file (default: beside the snapshot)")
    p.add_argument("--max-columns", type=int, default=1_000,
                   help="refuse tables wider than this (default 1,000; with --no-notebook)")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_batch)


def _add_apply_and_undo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("apply", help="load a run's change set into a copy of the snapshot")
    p.add_argument("out_dir", help="the output folder of a run")
    p.add_argument("--crm", required=True, help="the CRM snapshot (only read)")
    p.add_argument("--into", required=True, help="the test environment (made from --crm if new)")
    p.set_defaults(func=_apply)
    p = sub.add_parser("undo", help="remove a run from a test environment made by apply")
    p.add_argument("run_id")
    p.add_argument("--crm", required=True, help="the test environment (never the snapshot)")
    p.set_defaults(func=_undo)


def _add_runs(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="the import history: runs, their counts and the test copies "
                                    "they were applied to; undo one from there")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--crm", help="the CRM snapshot whose state file (beside it) to read; "
                                     "the snapshot itself is not opened")
    where.add_argument("--state", help="the state file itself")
    p.add_argument("--run", metavar="RUN_ID", help="show one run in detail")
    p.add_argument("--days", type=int, help="only the runs of the last N days")
    p.add_argument("--undo", metavar="RUN_ID",
                   help="undo the run in the test copy it was applied to (as 'workbench undo')")
    p.add_argument("--into", help="with --undo: the test copy, when the run was applied to "
                                  "more than one")
    p.set_defaults(func=_runs)


def _add_definition(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("definition", help="import definitions")
    dsub = p.add_subparsers(dest="definition_command", required=True)
    s = dsub.add_parser("suggest", help="print a definition suggested from a file's headers "
                                        "and values")
    s.add_argument("input")
    s.add_argument("--sheet")
    s.set_defaults(func=_definition_suggest)


def _add_profiles(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profiles", help="list the CRM systems the workbench reads and writes "
                                        "(or give a layout file by path to --from / --target)")
    p.add_argument("--show", metavar="NAME",
                   help="print a shipped layout's file (to copy and edit)")
    p.set_defaults(func=_profiles)
    p = sub.add_parser("template", help="write a CRM's empty import file (its headers on row 1)")
    p.add_argument("out", help="the file to write (.xlsx or .csv)")
    p.add_argument("--target", required=True, help="a name from 'workbench profiles' or a file")
    p.set_defaults(func=_template)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `workbench` command."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Prepare a purchased address list for loading into the CRM, without duplicates.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_demo_data, _add_snapshot, _add_run, _add_batch, _add_apply_and_undo,
                _add_runs, _add_definition, _add_profiles):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exit status 2 with a short message for problems the user can fix."""
    parser = build_parser()
    args = parser.parse_args(argv)
    terminal = logging.StreamHandler()
    terminal.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    verbose, quiet = getattr(args, "verbose", False), getattr(args, "quiet", False)
    terminal.setLevel(logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING)
    logger = logging.getLogger("workbench")
    logger.addHandler(terminal)
    logger.propagate = False
    try:
        return args.func(args)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    finally:  # called again in one process (a notebook, a test), it must not write twice or to
        logger.removeHandler(terminal)  # a stream that has been closed since


if __name__ == "__main__":
    sys.exit(main())
