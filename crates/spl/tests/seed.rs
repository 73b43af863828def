//! The seed detection expands with the built-in macros and parses to the expected tree.

mod common;

use spelunk_spl::{
    prepare, AggFunction, Command, CompareOp, ConvertFunction, MacroLibrary, SearchExpr,
};

#[test]
fn seed_detection_expands_and_parses() {
    let Some(search) = common::seed_search() else {
        return;
    };
    let prepared = match prepare(&search, &MacroLibrary::with_builtins()) {
        Ok(p) => p,
        Err(d) => panic!("{d}"),
    };
    let commands = &prepared.pipeline.commands;
    assert_eq!(commands.len(), 5, "{}", prepared.expanded);

    let Command::Tstats(t) = &commands[0] else {
        panic!("expected tstats first, got {:?}", commands[0]);
    };
    assert_eq!(t.summariesonly.as_ref().unwrap().text, "false");
    assert_eq!(t.allow_old_summaries.as_ref().unwrap().text, "true");
    assert_eq!(t.fillnull_value.as_ref().unwrap().text, "null");

    let functions: Vec<_> = t.aggregates.iter().map(|a| a.function).collect();
    assert_eq!(
        functions,
        [AggFunction::Count, AggFunction::Min, AggFunction::Max]
    );
    assert_eq!(t.aggregates[1].alias.as_ref().unwrap().name, "firstTime");
    assert_eq!(t.aggregates[2].field.as_ref().unwrap().name, "_time");

    let dm = t.datamodel.as_ref().unwrap();
    assert_eq!(
        (dm.model.as_str(), dm.dataset.as_deref()),
        ("Endpoint", Some("Processes"))
    );
    assert_eq!(t.by.len(), 20);
    assert_eq!(t.by[0].name, "Processes.action");
    assert_eq!(t.by[19].name, "Processes.vendor_product");

    let Some(SearchExpr::And(left, right, _)) = &t.where_clause else {
        panic!("expected an AND, got {:?}", t.where_clause);
    };
    let SearchExpr::In { field, values, .. } = left.as_ref() else {
        panic!("expected IN, got {left:?}");
    };
    assert_eq!(field.name, "Processes.process_path");
    let texts: Vec<_> = values.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            r"*\AI_STUBS\AiStubX64Elevated.exe",
            r"*\AI_STUBS\AiStubX86Elevated.exe",
            r"*\AI_STUBS\AiStubX64.exe",
            r"*\AI_STUBS\AiStubX86.exe",
        ]
    );
    let SearchExpr::Compare {
        field, op, value, ..
    } = right.as_ref()
    else {
        panic!("expected a comparison, got {right:?}");
    };
    assert_eq!(
        (field.name.as_str(), *op, value.text.as_str()),
        (
            "Processes.original_file_name",
            CompareOp::Eq,
            "popupwrapper.exe"
        )
    );

    let Command::Rename(r) = &commands[1] else {
        panic!("expected rename, got {:?}", commands[1]);
    };
    assert_eq!(r.pairs.len(), 1);
    assert_eq!(
        (r.pairs[0].from.name.as_str(), r.pairs[0].to.name.as_str()),
        ("Processes.*", "*")
    );

    for (command, field) in commands[2..4].iter().zip(["firstTime", "lastTime"]) {
        let Command::Convert(c) = command else {
            panic!("expected convert, got {command:?}");
        };
        assert_eq!(c.timeformat.as_ref().unwrap().text, "%Y-%m-%dT%H:%M:%S");
        assert_eq!(c.conversions.len(), 1);
        assert_eq!(c.conversions[0].function, ConvertFunction::Ctime);
        assert_eq!(c.conversions[0].field.name, field);
    }

    let Command::Search(s) = &commands[4] else {
        panic!("expected search, got {:?}", commands[4]);
    };
    let Some(SearchExpr::Term(star)) = &s.expr else {
        panic!("expected `search *`, got {s:?}");
    };
    assert_eq!(star.text, "*");

    let printed = prepared.pipeline.to_string();
    let again = spelunk_spl::parse(&printed).unwrap();
    assert_eq!(
        common::without_spans(&again),
        common::without_spans(&prepared.pipeline)
    );
}
