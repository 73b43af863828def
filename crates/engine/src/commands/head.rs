//! `head [N]`: keeps the first N rows (10 when not written) [spl-semantics §5].

use spelunk_spl::ast;

use super::{CommandResult, Context};
use crate::values::ResultTable;

/// The rows `head` keeps when no count is written.
pub const DEFAULT_LIMIT: u64 = 10;

/// Runs `head` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Head, _ctx: &Context) -> CommandResult {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    input
        .rows
        .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Head(args) = parse_command(text) else {
            panic!("not a head");
        };
        run(input, &args, &ctx()).unwrap()
    }

    #[test]
    fn default_ten_and_explicit_counts() {
        let rows: Vec<String> = (0..15).map(|n| n.to_string()).collect();
        let rows: Vec<[&str; 1]> = rows.iter().map(|r| [r.as_str()]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let input = table(&["n"], &rows);
        assert_eq!(run_text(input.clone(), "head").rows.len(), 10);
        assert_eq!(run_text(input.clone(), "head 3").rows.len(), 3);
        assert_eq!(run_text(input.clone(), "head limit=20").rows.len(), 15);
        assert_eq!(run_text(input, "head 0").rows.len(), 0);
    }
}
