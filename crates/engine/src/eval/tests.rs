//! The functions, each on values a detection meets: nulls, multivalues, case.

use std::collections::HashMap;

use super::*;
use crate::commands::test_support::context;

/// Evaluates `expr` on a row with `a`="Hello World", `n`="42", `mv`=["b","a","c"],
/// `ip`="10.1.2.3", `empty`="", and `gone` absent.
fn ev(expr: &str) -> Value {
    let pipeline = spelunk_spl::parse(&format!("| eval x={expr}")).unwrap();
    let Some(spelunk_spl::Command::Eval(e)) = pipeline.commands.into_iter().next() else {
        panic!()
    };
    let ctx = context();
    let evaluator = Evaluator::new(&ctx);
    let expr = &e.assignments[0].expr;
    check(expr, &evaluator).unwrap_or_else(|e| panic!("{e}"));

    let columns = ["a", "n", "mv", "ip", "empty"];
    let index: HashMap<String, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), i))
        .collect();
    let cells = vec![
        Cell::Single("Hello World".into()),
        Cell::Single("42".into()),
        Cell::Multi(vec!["b".into(), "a".into(), "c".into()]),
        Cell::Single("10.1.2.3".into()),
        Cell::Single(String::new()),
    ];
    let row = TableRow {
        index: &index,
        cells: &cells,
    };
    evaluator
        .eval(expr, &row)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

fn mv(values: &[&str]) -> Value {
    Value::Multi(values.iter().map(|v| v.to_string()).collect())
}

#[test]
fn arithmetic_concatenation_and_nulls() {
    assert_eq!(ev("n + 1"), Value::Num(43.0));
    assert_eq!(ev("n / 0"), Value::Null);
    assert_eq!(ev("n % 5"), Value::Num(2.0));
    assert_eq!(ev("-n * 2"), Value::Num(-84.0));
    assert_eq!(ev("gone + 1"), Value::Null);
    assert_eq!(ev("a . \"!\" . n"), s("Hello World!42"));
    assert_eq!(ev("a + \"!\""), s("Hello World!"));
    assert_eq!(ev("a . gone"), Value::Null);
    assert_eq!(ev("a + 1"), Value::Null);
}

#[test]
fn conditionals() {
    assert_eq!(ev("if(n > 40, \"big\", \"small\")"), s("big"));
    assert_eq!(ev("if(gone > 40, \"big\", \"small\")"), s("small"));
    assert_eq!(ev("case(n < 10, 1, n < 50, 2)"), Value::Num(2.0));
    assert_eq!(ev("case(n < 10, 1)"), Value::Null);
    assert_eq!(ev("CASE(n < 10, 1, true(), 3)"), Value::Num(3.0));
    assert_eq!(ev("coalesce(gone, null(), n)"), s("42"));
    assert_eq!(ev("isnull(gone)"), Value::Bool(true));
    assert_eq!(ev("isnotnull(empty)"), Value::Bool(true));
    assert_eq!(ev("isnum(n)"), Value::Bool(true));
    assert_eq!(ev("isstr(n)"), Value::Bool(false));
    assert_eq!(ev("isstr(a)"), Value::Bool(true));
    assert_eq!(ev("in(n, \"1\", \"42\")"), Value::Bool(true));
    assert_eq!(ev("nullif(n, 42)"), Value::Null);
    assert_eq!(ev("nullif(n, 4)"), s("42"));
    assert_eq!(ev("validate(n > 1, \"small\", n < 10, \"big\")"), s("big"));
    assert_eq!(ev("validate(n > 1, \"small\")"), Value::Null);
    assert_eq!(ev("like(a, \"Hello%\")"), Value::Bool(true));
    assert_eq!(ev("like(a, \"hello%\")"), Value::Bool(false));
    assert_eq!(ev("like(a, \"Hello_World\")"), Value::Bool(true));
    assert_eq!(ev("match(a, \"o W\")"), Value::Bool(true));
    assert_eq!(ev("match(a, \"^o W\")"), Value::Bool(false));
    assert_eq!(ev("match(mv, \"^c$\")"), Value::Bool(true));
    assert_eq!(ev("cidrmatch(\"10.0.0.0/8\", ip)"), Value::Bool(true));
    assert_eq!(ev("cidrmatch(\"10.1.3.0/24\", ip)"), Value::Bool(false));
    assert_eq!(ev("cidrmatch(\"10.0.0.0/8\", a)"), Value::Bool(false));
    assert_eq!(ev("max(1, n, 3)"), s("42"));
    assert_eq!(ev("min(\"b\", 7, n)"), Value::Num(7.0));
    assert_eq!(ev("max(\"b\", 7, n)"), s("b"));
}

#[test]
fn text() {
    assert_eq!(ev("lower(a)"), s("hello world"));
    assert_eq!(ev("upper(mv)"), mv(&["B", "A", "C"]));
    assert_eq!(ev("len(a)"), s("11"));
    assert_eq!(ev("len(\"héllo\")"), s("5"));
    assert_eq!(ev("substr(a, 1, 5)"), s("Hello"));
    assert_eq!(ev("substr(a, -5)"), s("World"));
    assert_eq!(ev("substr(a, 7, 100)"), s("World"));
    assert_eq!(ev("substr(a, 50)"), s(""));
    assert_eq!(ev("trim(\"  x \")"), s("x"));
    assert_eq!(ev("ltrim(\"xxyx\", \"x\")"), s("yx"));
    assert_eq!(ev("rtrim(\"xxyx\", \"x\")"), s("xxy"));
    assert_eq!(
        ev("replace(a, \"(\\w+) (\\w+)\", \"\\2 \\1\")"),
        s("World Hello")
    );
    assert_eq!(ev("replace(a, \"o\", \"0\")"), s("Hell0 W0rld"));
    assert_eq!(ev("urldecode(\"a%20b%2Fc%zz\")"), s("a b/c%zz"));
    assert_eq!(ev("tostring(n, \"hex\")"), s("0x2A"));
    assert_eq!(ev("tostring(1234567.891, \"commas\")"), s("1,234,567.89"));
    assert_eq!(ev("tostring(90061, \"duration\")"), s("1+01:01:01"));
    assert_eq!(ev("tostring(1 = 1)"), s("True"));
    assert_eq!(ev("tonumber(\"ff\", 16)"), Value::Num(255.0));
    assert_eq!(ev("tonumber(\"0x1F\", 16)"), Value::Num(31.0));
    assert_eq!(ev("tonumber(\" 12\")"), Value::Null);
    assert_eq!(ev("tonumber(\"1.5\")"), Value::Num(1.5));
    assert_eq!(ev("tonumber(\"-ff\", 16)"), Value::Num(-255.0));
    assert_eq!(ev("tonumber(\"--7fffffffffffffff\", 16)"), Value::Null);
    assert_eq!(ev("substr(a, 2, 1e300)"), s("ello World"));
    assert_eq!(ev("substr(a, -1e300, 2)"), s("He"));
    assert_eq!(ev("round(2.5)"), Value::Num(3.0));
    assert_eq!(ev("round(2.71828, 2)"), Value::Num(2.72));
    assert_eq!(ev("floor(-1.5) . ceil(1.2) . abs(-3)"), s("-223"));
    assert_eq!(
        ev("pow(2, 10) + sqrt(16) + log(100) + exact(n)"),
        Value::Num(1072.0)
    );
    assert_eq!(ev("ln(0)"), Value::Null);
    assert_eq!(ev("isint(n) AND NOT isint(1.5)"), Value::Bool(true));
}

#[test]
fn multivalue() {
    assert_eq!(ev("mvcount(mv)"), Value::Num(3.0));
    assert_eq!(ev("mvcount(n)"), Value::Num(1.0));
    assert_eq!(ev("mvcount(gone)"), Value::Null);
    assert_eq!(ev("mvindex(mv, 0)"), s("b"));
    assert_eq!(ev("mvindex(mv, -1)"), s("c"));
    assert_eq!(ev("mvindex(mv, 1, 2)"), mv(&["a", "c"]));
    assert_eq!(ev("mvindex(mv, 5)"), Value::Null);
    assert_eq!(ev("mvjoin(mv, \";\")"), s("b;a;c"));
    assert_eq!(ev("mvappend(n, gone, mv)"), mv(&["42", "b", "a", "c"]));
    assert_eq!(ev("mvfilter(mv != \"a\")"), mv(&["b", "c"]));
    assert_eq!(ev("mvfilter(match(mv, \"^z\"))"), Value::Null);
    assert_eq!(ev("split(a, \" \")"), mv(&["Hello", "World"]));
    assert_eq!(ev("mvcount(split(\"a`b`c\", \"`\")) - 1"), Value::Num(2.0));
    assert_eq!(ev("split(n, \",\")"), s("42"));
    assert_eq!(
        ev("mvdedup(mvappend(mv, \"a\", \"b\"))"),
        mv(&["b", "a", "c"])
    );
    assert_eq!(ev("mvsort(mvappend(mv, \"B\"))"), mv(&["B", "a", "b", "c"]));
    assert_eq!(ev("mvzip(mv, split(\"1,2\", \",\"))"), mv(&["b,1", "a,2"]));
    assert_eq!(ev("mvzip(mv, n, \"=\")"), s("b=42"));
    assert_eq!(ev("mvfind(mv, \"^[ac]$\")"), Value::Num(1.0));
    assert_eq!(ev("mvfind(mv, \"z\")"), Value::Null);
}

#[test]
fn time() {
    assert_eq!(ev("now()"), Value::Num(1_700_000_000.0));
    assert_eq!(
        ev("relative_time(now(), \"-1d@d\")"),
        Value::Num(1_699_833_600.0)
    );
    assert_eq!(
        ev("strftime(0, \"%Y-%m-%d %H:%M:%S\")"),
        s("1970-01-01 00:00:00")
    );
    assert_eq!(
        ev("strptime(\"2023-11-14T22:13:20\", \"%Y-%m-%dT%H:%M:%S\")"),
        s("1700000000.000000")
    );
    assert_eq!(
        ev("strptime(\"2023-11-14\", \"%Y-%m-%d\")"),
        s("1699920000.000000")
    );
    assert_eq!(ev("strptime(\"nope\", \"%Y-%m-%d\")"), Value::Null);
}

#[test]
fn check_refuses_bad_calls_before_any_row() {
    let ctx = context();
    let evaluator = Evaluator::new(&ctx);
    let parse = |text: &str| {
        let pipeline = spelunk_spl::parse(&format!("| where {text}")).unwrap();
        match pipeline.commands.into_iter().next() {
            Some(spelunk_spl::Command::Where(w)) => w.expr,
            _ => panic!(),
        }
    };
    let message = |text: &str| check(&parse(text), &evaluator).unwrap_err().message;
    assert_eq!(message("if(a, b)"), "`if` takes 3 arguments, not 2");
    assert_eq!(message("len()"), "`len` takes 1 arguments, not 0");
    assert_eq!(message("nope(a)"), "eval function `nope` is not supported");
    assert!(message("match(a, \"(?=x)\")").contains("look-ahead"));
    assert!(message("mvfilter(a = b)").contains("exactly one field"));
}
