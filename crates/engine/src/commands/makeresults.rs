//! `makeresults [count=N]`: a generating command giving N rows (1 when not written) that
//! hold only `_time`, the search's start time in whole seconds [Splunk makeresults docs;
//! spl-semantics §5].

use spelunk_spl::ast;

use super::{CommandResult, Context};
use crate::values::{format_number, Cell, ResultTable};

/// Runs `makeresults`.
pub fn run(args: &ast::Makeresults, ctx: &Context) -> CommandResult {
    let count = usize::try_from(args.count.unwrap_or(1)).unwrap_or(usize::MAX);
    let now = format_number(ctx.now.floor());
    let rows = std::iter::repeat_with(|| vec![Cell::Single(now.clone())])
        .take(count)
        .collect();
    Ok(ResultTable {
        columns: vec!["_time".to_string()],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::ctx;

    #[test]
    fn rows_carry_the_search_time() {
        let parsed = spelunk_spl::parse("| makeresults count=2").unwrap();
        let ast::Command::Makeresults(args) = &parsed.commands[0] else {
            panic!("not makeresults");
        };
        let expected = table(&["_time"], &[&["1704164645"], &["1704164645"]]);
        assert_eq!(run(args, &ctx()).unwrap(), expected);

        let parsed = spelunk_spl::parse("| makeresults").unwrap();
        let ast::Command::Makeresults(args) = &parsed.commands[0] else {
            panic!("not makeresults");
        };
        assert_eq!(run(args, &ctx()).unwrap().rows.len(), 1);
    }
}
