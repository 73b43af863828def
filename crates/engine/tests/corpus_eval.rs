//! Every eval expression of the shared ESCU corpus (in `eval`, `where` and
//! `count(eval(...))`) either passes the evaluator's checks or is refused with an error
//! naming what is missing, and evaluating it on an empty row and on a row of ones never
//! panics.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use spelunk_engine::commands::Context;
use spelunk_engine::eval::{check, Evaluator, TableRow};
use spelunk_engine::Cell;
use spelunk_spl::{parse, strip_comments, Command, EvalExpr, MacroLibrary, StatsArg};

fn read_shared(relative: &str) -> Option<String> {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")).join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("skipped: cannot read {}: {e}", path.display());
            None
        }
    }
}

fn expressions(command: &Command) -> Vec<&EvalExpr> {
    match command {
        Command::Eval(e) => e.assignments.iter().map(|a| &a.expr).collect(),
        Command::Where(w) => vec![&w.expr],
        Command::Stats(s) => s
            .aggregates
            .iter()
            .filter_map(|a| match &a.arg {
                Some(StatsArg::Eval(e)) => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn fields(expr: &EvalExpr, out: &mut Vec<String>) {
    match expr {
        EvalExpr::Field(f) => out.push(f.name.clone()),
        EvalExpr::Call { args, .. } => args.iter().for_each(|a| fields(a, out)),
        EvalExpr::Unary { expr, .. } | EvalExpr::Group(expr, _) => fields(expr, out),
        EvalExpr::Binary { left, right, .. } => {
            fields(left, out);
            fields(right, out);
        }
        EvalExpr::In { expr, list, .. } => {
            fields(expr, out);
            list.iter().for_each(|a| fields(a, out));
        }
        _ => {}
    }
}

#[test]
fn corpus_expressions_check_or_name_what_is_missing() {
    let (Some(detections), Some(conf)) = (
        read_shared("corpus/detections.jsonl"),
        read_shared("corpus/macros.conf"),
    ) else {
        return;
    };
    let mut macros = MacroLibrary::with_builtins();
    macros.load_conf_str(&conf, "macros.conf").unwrap();
    let ctx = Context {
        tz: chrono_tz::UTC,
        now: 1_700_000_000.0,
        lookups: None,
    };

    let (mut checked, mut refused) = (0, BTreeMap::<String, usize>::new());
    for line in detections.lines() {
        let detection: serde_json::Value = serde_json::from_str(line).unwrap();
        let search = detection["search"].as_str().unwrap_or_default();
        let Ok(expanded) = macros.expand(&strip_comments(search).unwrap()) else {
            continue;
        };
        // Commands behind an unsupported one (a `join`, a subsearch) are read one by one:
        // each `|`-separated piece that parses on its own counts.
        let pieces: Vec<Command> = match parse(&expanded) {
            Ok(pipeline) => pipeline.commands,
            Err(_) => expanded
                .split('|')
                .filter_map(|piece| {
                    parse(&format!("| {}", piece.trim_end_matches([']', ' ', '\n']))).ok()
                })
                .flat_map(|p| p.commands)
                .collect(),
        };
        for command in &pieces {
            for expr in expressions(command) {
                let evaluator = Evaluator::new(&ctx);
                if let Err(e) = check(expr, &evaluator) {
                    *refused.entry(e.message).or_default() += 1;
                    continue;
                }
                checked += 1;

                let mut names = Vec::new();
                fields(expr, &mut names);
                let index: HashMap<String, usize> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), i))
                    .collect();
                for cell in [Cell::Null, Cell::Single("1".into())] {
                    let cells = vec![cell; names.len()];
                    let row = TableRow {
                        index: &index,
                        cells: &cells,
                    };
                    // Errors (a string where a condition belongs) are fine; panics are not.
                    let _ = evaluator.eval(expr, &row);
                }
            }
        }
    }

    eprintln!("expressions that check: {checked}");
    eprintln!("refused ({}):", refused.values().sum::<usize>());
    for (message, count) in &refused {
        eprintln!("  {count:4}  {message}");
    }
    assert!(checked > 0);
}
