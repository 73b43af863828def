//! Generated inputs: nothing panics, every error renders, and whatever parses round-trips
//! through the printer.

mod common;

use spelunk_spl::{parse, prepare, Diagnostic, Macro, MacroLibrary, Span};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "| ",
    "|",
    "tstats",
    "search",
    "rename",
    "convert",
    "table",
    "fields",
    "eval",
    "count",
    "min(_time)",
    "dc(",
    "values",
    "as",
    "AS",
    "from",
    "FROM",
    "datamodel",
    "=",
    "datamodel=",
    "Endpoint.Processes",
    "where",
    "WHERE",
    "by",
    "BY",
    "groupby",
    "span=1h",
    "(",
    ")",
    "\"",
    "\\",
    "\\\\",
    "\\\"",
    "\\|",
    "`",
    "```",
    "[",
    "]",
    ",",
    " ",
    "  ",
    "\n",
    "\t",
    "*",
    "x",
    "Processes.process_name",
    "IN",
    "in",
    "NOT",
    "OR",
    "AND",
    "or",
    "!=",
    "<",
    ">=",
    "é",
    "\u{0}",
    "ctime(",
    "timeformat=",
    "-",
    "+",
    "$a$",
    "`m`",
    "`m(1)`",
    "`m(a=1)`",
    "`cyc`",
    "`x_filter`",
    "`security_content_summariesonly`",
    "`drop_dm_object_name(\"P\")`",
    "summariesonly=",
    "prestats=t",
    "fillnull_value=",
    "=\"v\"",
    "7z.exe",
    "by.exe",
    "'",
    "join",
    "append",
    "dedup",
    "sort",
    "head",
    "fillnull",
    "mvexpand",
    "bin",
    "bucket",
    "makeresults",
    "regex",
    "rex",
    "type=left",
    "max=0",
    "keepempty=t",
    "sortby",
    "num(",
    "count=2",
    "mode=sed",
    "field=x",
    "max_match=0",
    "limit=3",
    "value=",
    "[|",
    " d",
    "stats",
    "eventstats",
    "'a b'",
    "==",
    "LIKE",
    "XOR",
    "!",
    ".",
    "5",
    "0.5",
    "1e3",
    "if(",
    "count(eval(",
    "%",
    "/",
    "true",
    "list(",
    "lookup",
    "inputlookup",
    "OUTPUT",
    "outputnew",
    "update=t",
    "append=t",
    "earliest=",
    "latest=-1d@d",
];

fn macros() -> MacroLibrary {
    let mut lib = MacroLibrary::with_builtins();
    lib.insert(Macro::new("m", &[], "(a=1 OR b=\"`m`\")"));
    lib.insert(Macro::new("m", &["a"], "x=$a$ \"$a$\""));
    lib.insert(Macro::new("cyc", &[], "`cyc`"));
    lib
}

/// Prepares `text`; on success the printed tree must parse to the same tree, on failure the
/// diagnostic must render.
fn check(text: &str, lib: &MacroLibrary) {
    match prepare(text, lib) {
        Ok(prepared) => {
            let printed = prepared.pipeline.to_string();
            let again = parse(&printed).unwrap_or_else(|e| {
                panic!("printed text fails: {e}\ninput: {text:?}\nprinted: {printed:?}")
            });
            assert_eq!(
                common::without_spans(&again),
                common::without_spans(&prepared.pipeline),
                "input: {text:?}\nprinted: {printed:?}"
            );
        }
        Err(diagnostic) => {
            let rendered = diagnostic.to_string();
            assert!(rendered.starts_with("error: "), "{rendered}");
        }
    }
    if let Err(e) = parse(text) {
        let _ = Diagnostic::from(e).render(text);
    }
}

#[test]
fn token_soup() {
    let lib = macros();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for _ in 0..20_000 {
        let len = rng.below(24);
        let text: String = (0..len).map(|_| TOKENS[rng.below(TOKENS.len())]).collect();
        check(&text, &lib);
    }
}

#[test]
fn token_soup_after_a_valid_prefix() {
    let lib = macros();
    let mut rng = Rng(0x0bad_cafe_f00d_0001);
    let prefixes = [
        "| tstats count ",
        "| tstats count from datamodel=A.B where ",
        "search ",
        "| rename ",
        "| eval x=",
        "| where ",
        "| stats ",
        "| tstats count | lookup ",
        "| tstats count | lookup t f ",
        "| inputlookup ",
    ];
    for _ in 0..20_000 {
        let mut text = prefixes[rng.below(prefixes.len())].to_string();
        for _ in 0..rng.below(12) {
            text.push_str(TOKENS[rng.below(TOKENS.len())]);
            if rng.below(2) == 0 {
                text.push(' ');
            }
        }
        check(&text, &lib);
    }
}

#[test]
fn random_bytes() {
    let lib = macros();
    let mut rng = Rng(0x1234_5678_9abc_def0);
    for _ in 0..5_000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
        check(&String::from_utf8_lossy(&bytes), &lib);
        let ascii: String = bytes.iter().map(|b| char::from(b & 0x7f)).collect();
        check(&ascii, &lib);
    }
}

#[test]
fn deep_and_long_inputs() {
    let lib = macros();
    let deep = [
        "(".repeat(50_000),
        ")".repeat(50_000),
        format!("| search {}x", "NOT ".repeat(50_000)),
        format!("| search {}x{}", "(".repeat(50_000), ")".repeat(50_000)),
        format!("| tstats count where {}a=1", "(".repeat(70)),
        "`".repeat(10_001),
        "\"".repeat(10_001),
        "\\".repeat(10_001),
        format!("| search {}", "x=1 OR ".repeat(50_000)) + "y",
        format!("| search x IN ({})", "a, ".repeat(50_000)),
        "| tstats count ".to_string() + &"| table a ".repeat(20_000),
        format!("| search {}", "é".repeat(100_000)),
        format!("| search x=\"{}", "a".repeat(200_000)),
        "```".repeat(3_001),
        format!("| where {}x", "NOT ".repeat(50_000)),
        format!("| where {}x", "-".repeat(50_000)),
        format!("| where {}x{}", "(".repeat(50_000), ")".repeat(50_000)),
        format!("| eval y={}1", "f(".repeat(50_000)),
        format!("| eval y={}1", "1 + ".repeat(50_000)),
        format!("| where x IN ({}1)", "a, ".repeat(50_000)),
        format!("| stats {}", "count ".repeat(20_000)),
    ];
    for text in &deep {
        check(text, &lib);
    }
}

#[test]
fn any_span_renders() {
    let texts = [
        "",
        "a",
        "é\n\nü",
        "\r\n\r\n",
        "x\ty\u{7}z",
        &"long ".repeat(100),
    ];
    let points = [0, 1, 2, 3, 5, 7, 100, 499, 500, 501, usize::MAX];
    for text in texts {
        for start in points {
            for end in points {
                let rendered = Diagnostic::new("m", Span::new(start, end)).render(text);
                assert!(rendered.contains("^"), "{rendered}");
            }
        }
    }
}
