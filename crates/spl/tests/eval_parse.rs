//! Eval expressions, `eval`, `where`, `stats` and `eventstats`: precedence, quoting,
//! canonical printing and the errors for what is not supported.

mod common;

use spelunk_spl::{parse, Command, EvalExpr, ParseErrorKind, StatsArg, UnaryOp};

/// The tree of an expression as Lisp-like text, groups kept as `(group ...)`.
fn shape(expr: &EvalExpr) -> String {
    match expr {
        EvalExpr::Field(f) => format!("f:{}", f.name),
        EvalExpr::Str(s, _) => format!("{s:?}"),
        EvalExpr::Number(n, _) => n.clone(),
        EvalExpr::Bool(b, _) => b.to_string(),
        EvalExpr::Call { name, args, .. } => {
            let args: Vec<String> = args.iter().map(shape).collect();
            format!("{name}[{}]", args.join(" "))
        }
        EvalExpr::Unary { op, expr, .. } => {
            let op = if *op == UnaryOp::Neg { "neg" } else { "not" };
            format!("({op} {})", shape(expr))
        }
        EvalExpr::Binary {
            op, left, right, ..
        } => format!("({} {} {})", op.symbol(), shape(left), shape(right)),
        EvalExpr::In { expr, list, .. } => {
            let list: Vec<String> = list.iter().map(shape).collect();
            format!("(in {} {})", shape(expr), list.join(" "))
        }
        EvalExpr::Group(inner, _) => format!("(group {})", shape(inner)),
    }
}

fn where_expr(text: &str) -> EvalExpr {
    let pipeline = parse(&format!("| where {text}")).unwrap_or_else(|e| panic!("{text}: {e}"));
    round_trips(&format!("| where {text}"));
    match pipeline.commands.into_iter().next() {
        Some(Command::Where(w)) => w.expr,
        other => panic!("not a where: {other:?}"),
    }
}

fn round_trips(text: &str) -> String {
    let pipeline = parse(text).unwrap();
    let printed = pipeline.to_string();
    let again = parse(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
    assert_eq!(
        common::without_spans(&again),
        common::without_spans(&pipeline),
        "{printed}"
    );
    assert_eq!(again.to_string(), printed);
    printed
}

fn unsupported(text: &str) -> String {
    match parse(text).map_err(|e| e.kind) {
        Err(ParseErrorKind::Unsupported { construct }) => construct,
        other => panic!("{text}: expected unsupported, got {other:?}"),
    }
}

#[test]
fn boolean_precedence_is_not_and_or_xor() {
    assert_eq!(
        shape(&where_expr("a=1 OR b=2 AND NOT c=3")),
        "(OR (= f:a 1) (AND (= f:b 2) (not (= f:c 3))))"
    );
    assert_eq!(shape(&where_expr("a XOR b OR c")), "(XOR f:a (OR f:b f:c))");
    assert_eq!(shape(&where_expr("!x")), "(not f:x)");
    assert_eq!(shape(&where_expr("x!=1")), "(!= f:x 1)");
}

#[test]
fn arithmetic_and_concatenation_bind_tighter_than_comparisons() {
    assert_eq!(
        shape(&where_expr("a + b * -c >= d . \"x\"")),
        "(>= (+ f:a (* f:b (neg f:c))) (. f:d \"x\"))"
    );
    assert_eq!(shape(&where_expr("a - b - c")), "(- (- f:a f:b) f:c)");
    assert_eq!(
        shape(&where_expr("(a - b) % 2 == 0")),
        "(= (% (group (- f:a f:b)) 2) 0)"
    );
    // A dot between bare names is concatenation (spl-semantics.md §5).
    assert_eq!(
        shape(&where_expr("RTLO_command_1.RTLO_command_2")),
        "(. f:RTLO_command_1 f:RTLO_command_2)"
    );
    assert_eq!(shape(&where_expr("x > 0.5")), "(> f:x 0.5)");
}

#[test]
fn quoting_of_fields_and_strings() {
    assert_eq!(
        shape(&where_expr(
            r#"'Processes.process' = "C:\\Windows\\x \"q\"""#
        )),
        r#"(= f:Processes.process "C:\\Windows\\x \"q\"")"#
    );
    // Only `\\` and `\"` are escapes; a regex keeps its backslashes.
    assert_eq!(
        shape(&where_expr(r#"match(process, "rundll32.+\#\d+")"#)),
        r#"match[f:process "rundll32.+\\#\\d+"]"#
    );
    assert_eq!(shape(&where_expr(r"'it\'s'")), "f:it's");
    assert!(parse("| where 'it''s'").is_err());
}

#[test]
fn functions_in_like_and_booleans() {
    assert_eq!(
        shape(&where_expr(
            r#"x LIKE "a%" AND y IN ("a", 1) AND CASE(true, 1)"#
        )),
        r#"(AND (AND (LIKE f:x "a%") (in f:y "a" 1)) CASE[true 1])"#
    );
    assert_eq!(
        shape(&where_expr("isnull(x) OR now()>5")),
        "(OR isnull[f:x] (> now[] 5))"
    );
}

#[test]
fn eval_takes_several_assignments() {
    let printed = round_trips(
        r#"| eval process_name_length = len(process_name), endExe = if(substr(process_name, -4) == ".exe", 1, 0)"#,
    );
    assert_eq!(
        printed,
        r#"| eval process_name_length=len(process_name), endExe=if(substr(process_name, -4) = ".exe", 1, 0)"#
    );
    let printed = round_trips("| eval 'a b'=1, \"c.d\"='x y' . \"z\"");
    assert_eq!(printed, "| eval \"a b\"=1, c.d='x y' . \"z\"");
}

#[test]
fn stats_and_eventstats() {
    let text = "| stats count min(_time) as firstTime, values(process) AS p \
                count(eval(x>1)) dc(user) by dest, process_name user";
    let printed = round_trips(text);
    assert_eq!(
        printed,
        "| stats count min(_time) as firstTime values(process) as p \
         count(eval(x > 1)) dc(user) by dest process_name user"
    );
    let Ok(pipeline) = parse(text) else { panic!() };
    let Some(Command::Stats(stats)) = pipeline.commands.first() else {
        panic!()
    };
    let names: Vec<String> = stats.aggregates.iter().map(|a| a.output_name()).collect();
    assert_eq!(
        names,
        ["count", "firstTime", "p", "count(eval(x > 1))", "dc(user)"]
    );
    assert!(matches!(stats.aggregates[3].arg, Some(StatsArg::Eval(_))));

    let printed = round_trips("| eventstats dc(process) as n by dest");
    assert_eq!(printed, "| eventstats dc(process) as n by dest");
    round_trips("| stats first(a) last(a) list(a) earliest(a) latest(a) sum(a) avg(a) max(a)");
}

#[test]
fn refusals_name_the_construct() {
    assert_eq!(unsupported("| stats stdev(x)"), "stats function `stdev`");
    assert_eq!(unsupported("| stats perc95(x)"), "stats function `perc95`");
    assert_eq!(
        unsupported("| stats allnum=t count"),
        "stats option `allnum`"
    );
    assert_eq!(
        unsupported("| stats sum(eval(x))"),
        "`eval(...)` inside `sum`"
    );
    assert_eq!(unsupported("| where x=[search y]"), "subsearch");
    for bad in [
        "| eval x",
        "| eval x=",
        "| where",
        "| where a b",
        "| where (a",
        "| eval x=\"a",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    let deep = format!("| where {}1{}", "(".repeat(100), ")".repeat(100));
    assert!(matches!(
        parse(&deep).map_err(|e| e.kind),
        Err(ParseErrorKind::TooDeep { .. })
    ));
    let long = format!("| where {}", vec!["a=1"; 3000].join(" AND "));
    assert!(matches!(
        parse(&long).map_err(|e| e.kind),
        Err(ParseErrorKind::TooComplex { .. })
    ));
}
