//! Macro libraries: loading from every source, and expansion rules.

mod common;

use std::path::PathBuf;

use spelunk_spl::{Macro, MacroErrorKind, MacroLibrary, MacroLoadErrorKind, Span};

fn library(macros: &[(&str, &[&str], &str)]) -> MacroLibrary {
    let mut lib = MacroLibrary::new();
    for (name, args, definition) in macros {
        lib.insert(Macro::new(name, args, definition));
    }
    lib
}

fn expand(lib: &MacroLibrary, text: &str) -> String {
    lib.expand(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A fresh folder under the system's temporary folder.
fn temp_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spelunk-spl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn nested_macros_expand_recursively() {
    let lib = library(&[
        ("outer", &[], "a `inner` b"),
        ("inner", &[], "`leaf`"),
        ("leaf", &[], "x=1"),
    ]);
    assert_eq!(expand(&lib, "search `outer` | x"), "search a x=1 b | x");
}

#[test]
fn macros_are_overloaded_by_arity() {
    let lib = library(&[
        ("m", &[], "zero"),
        ("m", &["a"], "one($a$)"),
        ("m", &["a", "b"], "two($a$,$b$)"),
    ]);
    assert_eq!(
        expand(&lib, "`m` `m(1)` `m(1, 2)` `m()`"),
        "zero one(1) two(1,2) zero"
    );
    assert_eq!(lib.arities("m"), [0, 1, 2]);
}

#[test]
fn arguments_are_substituted_inside_quotes_and_everywhere() {
    let lib = library(&[(
        "q",
        &["f"],
        r#"rename "$f$.*" as * | search x="$f$" $f$ $other$ $"#,
    )]);
    assert_eq!(
        expand(&lib, "`q(Processes)`"),
        r#"rename "Processes.*" as * | search x="Processes" Processes $other$ $"#
    );
}

#[test]
fn quoted_argument_is_passed_without_its_quotes() {
    let lib = MacroLibrary::with_builtins();
    assert_eq!(
        expand(&lib, r#"`drop_dm_object_name("Processes")`"#),
        r#"rename "Processes.*" as *"#
    );
    assert_eq!(
        expand(&lib, "`drop_dm_object_name( Processes )`"),
        r#"rename "Processes.*" as *"#
    );
}

#[test]
fn arguments_split_only_at_top_level_commas() {
    let lib = library(&[("pair", &["a", "b"], "[$a$] [$b$]")]);
    assert_eq!(
        expand(&lib, r#"`pair("x, y", f(1, 2))`"#),
        "[x, y] [f(1, 2)]"
    );
}

#[test]
fn no_expansion_inside_double_quotes() {
    let lib = library(&[("m", &[], "X")]);
    assert_eq!(expand(&lib, r#"a="`m`" `m`"#), r#"a="`m`" X"#);
    assert_eq!(
        expand(&lib, r#"a="say \"`m`\" ok" `m`"#),
        r#"a="say \"`m`\" ok" X"#
    );
    assert_eq!(expand(&lib, r#"a="c:\\" `m`"#), r#"a="c:\\" X"#);
}

#[test]
fn named_arguments_are_mapped_by_name() {
    let lib = library(&[("m", &["a", "b"], "a=$a$ b=$b$")]);
    assert_eq!(expand(&lib, "`m(b=2, a=1)`"), "a=1 b=2");
    assert_eq!(expand(&lib, r#"`m(b="x y", a = 1)`"#), "a=1 b=x y");
    // Not every argument names a declared argument: all are positional.
    assert_eq!(expand(&lib, "`m(c=2, a=1)`"), "a=c=2 b=a=1");
    assert_eq!(expand(&lib, "`m(x!=1, 2)`"), "a=x!=1 b=2");
}

#[test]
fn cycle_is_an_error_naming_the_chain_at_the_outer_call() {
    let lib = library(&[
        ("a", &[], "`b`"),
        ("b", &[], "x `a`"),
        ("start", &[], "`a`"),
    ]);
    let err = lib.expand("search `start` y").unwrap_err();
    assert_eq!(
        err.kind,
        MacroErrorKind::Cycle {
            chain: vec!["a".into(), "b".into(), "a".into()]
        }
    );
    assert_eq!(err.span, Span::new(7, 14));
    assert_eq!(err.to_string(), "macro cycle: a -> b -> a");

    let lib = library(&[("self", &["x"], "`self($x$)`")]);
    let err = lib.expand("`self(1)`").unwrap_err();
    assert_eq!(err.to_string(), "macro cycle: self(1) -> self(1)");
}

#[test]
fn undefined_macro_is_an_error_naming_it() {
    let lib = library(&[("m", &["a"], "$a$"), ("wrap", &[], "`missing`")]);
    let err = lib.expand("x `nope` y").unwrap_err();
    assert_eq!(err.span, Span::new(2, 8));
    assert_eq!(err.to_string(), "undefined macro `nope`");

    let err = lib.expand("`m(1, 2)`").unwrap_err();
    assert_eq!(
        err.to_string(),
        "undefined macro `m(2)`: `m` takes 1 argument, not 2"
    );

    let err = lib.expand("ab `wrap`").unwrap_err();
    assert_eq!(
        (err.to_string().as_str(), err.span),
        ("undefined macro `missing`", Span::new(3, 9))
    );
}

#[test]
fn unterminated_and_malformed_calls_are_errors() {
    let lib = MacroLibrary::new();
    let err = lib.expand("search `oops").unwrap_err();
    assert_eq!(
        (err.kind, err.span),
        (MacroErrorKind::Unterminated, Span::new(7, 12))
    );

    let err = lib.expand("search `a b`").unwrap_err();
    assert!(
        matches!(err.kind, MacroErrorKind::Malformed { .. }),
        "{err}"
    );
    let err = lib.expand("search `m(1`").unwrap_err();
    assert!(
        matches!(err.kind, MacroErrorKind::Malformed { .. }),
        "{err}"
    );
}

#[test]
fn undefined_filter_macro_means_search_star() {
    let lib = MacroLibrary::new();
    assert_eq!(expand(&lib, "x | `my_detection_filter`"), "x | search *");
    let lib = library(&[("my_detection_filter", &[], "search user!=admin")]);
    assert_eq!(
        expand(&lib, "x | `my_detection_filter`"),
        "x | search user!=admin"
    );
    assert!(MacroLibrary::new().expand("`f_filter(1)`").is_err());
}

#[test]
fn builtins_expand_the_escu_settings() {
    let lib = MacroLibrary::with_builtins();
    assert_eq!(
        expand(&lib, "`security_content_summariesonly`"),
        "summariesonly=false allow_old_summaries=true fillnull_value=null"
    );
    assert_eq!(
        expand(&lib, "`security_content_ctime(firstTime)`"),
        r#"convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)"#
    );
}

#[test]
fn doubling_definitions_hit_the_size_limit() {
    let mut lib = MacroLibrary::new();
    for level in 0..40 {
        let next = format!("`m{}` `m{}`", level + 1, level + 1);
        lib.insert(Macro::new(&format!("m{level}"), &[], &next));
    }
    lib.insert(Macro::new("m40", &[], "xxxxxxxxxxxxxxxx"));
    let err = lib.expand("`m0`").unwrap_err();
    assert!(matches!(err.kind, MacroErrorKind::TooLarge { .. }), "{err}");
    assert_eq!(err.span, Span::new(0, 4));
}

#[test]
fn deep_nesting_hits_the_depth_limit() {
    let mut lib = MacroLibrary::new();
    for level in 0..200 {
        lib.insert(Macro::new(
            &format!("d{level}"),
            &[],
            &format!("`d{}`", level + 1),
        ));
    }
    let err = lib.expand("`d0`").unwrap_err();
    assert!(matches!(err.kind, MacroErrorKind::TooDeep { .. }), "{err}");
}

#[test]
fn macros_conf_with_continuations_comments_and_other_keys() {
    let conf = "# a comment\n\
        [simple]\n\
        definition = index=main\n\
        description = ignored\n\
        \n\
        [multi(2)]\n\
        args = a, b\n\
        definition = search $a$ \\\n\
        | where $b$ \\\n\
        | head 1\n\
        iseval = false\n\
        \n\
        [computed]\n\
        definition = \"x\"\n\
        iseval = 1\n";
    let mut lib = MacroLibrary::with_builtins();
    assert_eq!(lib.load_conf_str(conf, "test.conf").unwrap(), 3);
    assert_eq!(lib.get("simple", 0).unwrap().definition, "index=main");
    let multi = lib.get("multi", 2).unwrap();
    assert_eq!(multi.args, ["a", "b"]);
    assert_eq!(multi.definition, "search $a$ \n| where $b$ \n| head 1");
    assert!(lib.get("computed", 0).unwrap().iseval);
    assert!(matches!(
        lib.expand("`computed`").unwrap_err().kind,
        MacroErrorKind::EvalMacro { .. }
    ));
}

#[test]
fn loaded_macros_override_builtins() {
    let mut lib = MacroLibrary::with_builtins();
    lib.load_conf_str("[fillnull_config]\ndefinition = NULL\n", "x.conf")
        .unwrap();
    assert_eq!(
        expand(&lib, "`security_content_summariesonly`"),
        "summariesonly=false allow_old_summaries=true fillnull_value=NULL"
    );
}

#[test]
fn macros_conf_errors_name_the_file_and_line() {
    let mut lib = MacroLibrary::new();
    let err = lib
        .load_conf_str("[ok]\ndefinition = 1\nnot a pair\n", "my.conf")
        .unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.to_string(),
        "my.conf:3: expected `key = value`, found `not a pair`"
    );

    let err = lib
        .load_conf_str("\n[two(2)]\nargs = a\ndefinition = x\n", "my.conf")
        .unwrap_err();
    assert!(matches!(err.kind, MacroLoadErrorKind::ArityMismatch { .. }));
    assert_eq!(err.line, Some(2));

    let err = lib.load_conf_str("[bad(x)]\n", "my.conf").unwrap_err();
    assert!(
        matches!(err.kind, MacroLoadErrorKind::BadStanza { .. }),
        "{err}"
    );
    let err = lib
        .load_conf_str("[empty]\nargs =\n", "my.conf")
        .unwrap_err();
    assert!(
        matches!(err.kind, MacroLoadErrorKind::MissingDefinition { .. }),
        "{err}"
    );
}

#[test]
fn yaml_folder_loads_sorted_files() {
    let dir = temp_folder("yaml");
    std::fs::write(
        dir.join("b_ctime.yml"),
        "name: my_ctime\ndefinition: convert ctime($field$)\narguments:\n- field\ndescription: x\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a_index.yaml"),
        "name: my_index\ndefinition: index=main\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a_index2.yml"),
        "name: my_index\ndefinition: index=other\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not yaml: [").unwrap();

    let mut lib = MacroLibrary::new();
    assert_eq!(lib.load_path(&dir).unwrap(), 3);
    assert_eq!(
        expand(&lib, "`my_ctime(t)` `my_index`"),
        "convert ctime(t) index=other"
    );

    std::fs::write(dir.join("c_broken.yml"), "name: x\ndefinition: [unclosed\n").unwrap();
    let err = lib.load_path(&dir).unwrap_err();
    assert!(err.origin.ends_with("c_broken.yml"), "{err}");
    assert!(err.line.is_some(), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn load_path_picks_the_format_by_file() {
    let dir = temp_folder("files");
    let jsonl = dir.join("m.jsonl");
    std::fs::write(
        &jsonl,
        "{\"name\": \"j\", \"definition\": \"$a$!\", \"arguments\": [\"a\"]}\n\n{\"name\": \"k\", \"definition\": \"k\"}\n",
    )
    .unwrap();
    let conf = dir.join("macros.conf");
    std::fs::write(&conf, "[c]\ndefinition = c\n").unwrap();

    let mut lib = MacroLibrary::new();
    assert_eq!(lib.load_path(&jsonl).unwrap(), 2);
    assert_eq!(lib.load_path(&conf).unwrap(), 1);
    assert_eq!(expand(&lib, "`j(1)` `k` `c`"), "1! k c");

    std::fs::write(&jsonl, "{\"name\": \"j\"}\n{oops\n").unwrap();
    let err = lib.load_path(&jsonl).unwrap_err();
    assert_eq!(err.line, Some(1), "{err}");
    let err = lib.load_path(&dir.join("absent.conf")).unwrap_err();
    assert!(matches!(err.kind, MacroLoadErrorKind::Io { .. }), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shared_macro_files_load() {
    let (Some(conf), Some(jsonl)) = (
        common::read_shared("corpus/macros.conf"),
        common::read_shared("corpus/macros.jsonl"),
    ) else {
        return;
    };
    let mut from_conf = MacroLibrary::new();
    let mut from_jsonl = MacroLibrary::new();
    let conf_count = from_conf.load_conf_str(&conf, "macros.conf").unwrap();
    let jsonl_count = from_jsonl.load_jsonl_str(&jsonl, "macros.jsonl").unwrap();
    assert_eq!(
        jsonl_count,
        jsonl.lines().filter(|l| !l.trim().is_empty()).count()
    );
    assert!(conf_count > 0);
    let ctime = from_conf.get("security_content_ctime", 1).unwrap();
    assert_eq!(ctime, from_jsonl.get("security_content_ctime", 1).unwrap());
}

#[test]
fn long_searches_without_macros_are_not_limited() {
    let text = "a ".repeat(700_000);
    assert_eq!(MacroLibrary::with_builtins().expand(&text).unwrap(), text);
}
