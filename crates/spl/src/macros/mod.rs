//! Search macros: a library of definitions and the expansion of backtick calls.
//!
//! A [`MacroLibrary`] maps a name and an arity to a [`Macro`]; `foo`, `foo(1)` and `foo(2)`
//! are three different macros, as in Splunk's `macros.conf`. Libraries are filled from
//! `macros.conf` files, folders of ESCU macro YAML files or JSON lines (see `load.rs`), on top
//! of the few macros every ESCU detection needs ([`MacroLibrary::with_builtins`]).
//!
//! [`MacroLibrary::expand`] replaces every backtick call outside double quotes by its
//! definition, again and again until none is left (see `expand.rs`). This module knows
//! nothing of the SPL grammar beyond quotes, backslashes and backticks.

mod expand;
mod load;

use std::collections::BTreeMap;

use crate::ast::Span;

pub use expand::{MAX_DEPTH, MAX_EXPANDED_LEN};
pub use load::{MacroLoadError, MacroLoadErrorKind};

/// One macro definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Macro {
    /// The name, without the `(N)` arity suffix.
    pub name: String,
    /// The argument names, in call order; their count is the arity.
    pub args: Vec<String>,
    /// The text that replaces a call, with `$arg$` placeholders.
    pub definition: String,
    /// `iseval = true`: the definition is an eval expression computing the expansion.
    /// Such macros are kept but refuse to expand.
    pub iseval: bool,
}

impl Macro {
    /// A plain macro taking the given argument names.
    pub fn new(name: &str, args: &[&str], definition: &str) -> Self {
        Macro {
            name: name.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            definition: definition.to_string(),
            iseval: false,
        }
    }

    /// How many arguments a call must pass.
    pub fn arity(&self) -> usize {
        self.args.len()
    }

    /// The stanza name: `name` without arguments, `name(N)` with N of them.
    pub fn key(&self) -> String {
        macro_key(&self.name, self.arity())
    }
}

/// The stanza name of a macro with this name and arity.
pub(crate) fn macro_key(name: &str, arity: usize) -> String {
    if arity == 0 {
        name.to_string()
    } else {
        format!("{name}({arity})")
    }
}

/// A set of macros keyed by name and arity, iterated in name order then arity order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MacroLibrary {
    by_name: BTreeMap<String, BTreeMap<usize, Macro>>,
}

impl MacroLibrary {
    /// An empty library: only the `_filter` rule applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// The macros that ESCU detections rely on, with ESCU's default settings:
    /// `security_content_summariesonly` (and its three `*_config` parts),
    /// `security_content_ctime(1)` and the CIM's `drop_dm_object_name(1)`.
    pub fn with_builtins() -> Self {
        let mut lib = Self::new();
        lib.insert(Macro::new(
            "security_content_summariesonly",
            &[],
            "summariesonly=`summariesonly_config` allow_old_summaries=`oldsummaries_config` \
             fillnull_value=`fillnull_config`",
        ));
        lib.insert(Macro::new("summariesonly_config", &[], "false"));
        lib.insert(Macro::new("oldsummaries_config", &[], "true"));
        lib.insert(Macro::new("fillnull_config", &[], "null"));
        lib.insert(Macro::new(
            "security_content_ctime",
            &["field"],
            "convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime($field$)",
        ));
        lib.insert(Macro::new(
            "drop_dm_object_name",
            &["object"],
            "rename \"$object$.*\" as *",
        ));
        lib
    }

    /// Adds a macro, replacing and returning any with the same name and arity.
    pub fn insert(&mut self, m: Macro) -> Option<Macro> {
        self.by_name
            .entry(m.name.clone())
            .or_default()
            .insert(m.arity(), m)
    }

    /// Adds every macro of `other`, replacing those with the same name and arity.
    pub fn extend(&mut self, other: MacroLibrary) {
        for m in other.by_name.into_values().flat_map(BTreeMap::into_values) {
            self.insert(m);
        }
    }

    /// The macro with this name and arity.
    pub fn get(&self, name: &str, arity: usize) -> Option<&Macro> {
        self.by_name.get(name)?.get(&arity)
    }

    /// The arities for which `name` is defined, ascending.
    pub fn arities(&self, name: &str) -> Vec<usize> {
        self.by_name
            .get(name)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Every macro, by name then arity.
    pub fn iter(&self) -> impl Iterator<Item = &Macro> {
        self.by_name.values().flat_map(BTreeMap::values)
    }

    /// The number of macros.
    pub fn len(&self) -> usize {
        self.by_name.values().map(BTreeMap::len).sum()
    }

    /// Whether the library holds no macro.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a search's macros could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct MacroError {
    /// What went wrong.
    pub kind: MacroErrorKind,
    /// The outermost call in the text given to [`MacroLibrary::expand`] (a fault deep inside
    /// nested definitions is reported on the call the user wrote).
    pub span: Span,
}

/// The kinds of [`MacroError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacroErrorKind {
    /// No macro has this name and arity.
    #[error("{}", undefined_message(name, *arity, available))]
    Undefined {
        /// The name called.
        name: String,
        /// The number of arguments passed.
        arity: usize,
        /// The arities that are defined for this name, if any.
        available: Vec<usize>,
    },
    /// A macro expands, directly or not, to a call of itself.
    #[error("macro cycle: {}", chain.join(" -> "))]
    Cycle {
        /// The stanza names from the first repeated macro to its repetition.
        chain: Vec<String>,
    },
    /// A backtick opens a call that no backtick closes.
    #[error("unterminated macro call: this ` is never closed")]
    Unterminated,
    /// The text between two backticks is not `name` or `name(args)`.
    #[error("malformed macro call `{text}`: {reason}")]
    Malformed {
        /// The text between the backticks.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The macro is an `iseval` macro, which needs eval to compute its expansion.
    #[error("macro `{name}` is an eval-based macro (iseval = true), which is not supported")]
    EvalMacro {
        /// The stanza name.
        name: String,
    },
    /// Macros nest deeper than the limit.
    #[error("macros nest more than {limit} levels deep")]
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// The expansion grows past the size limit.
    #[error("macro expansion adds more than {limit} bytes to the search")]
    TooLarge {
        /// How many bytes expansion may add.
        limit: usize,
    },
}

fn undefined_message(name: &str, arity: usize, available: &[usize]) -> String {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    if available.is_empty() {
        return format!("undefined macro `{}`", macro_key(name, arity));
    }

    let listed: Vec<String> = available.iter().map(usize::to_string).collect();
    let last = *available.last().unwrap_or(&0);
    format!(
        "undefined macro `{}`: `{name}` takes {} {}, not {arity}",
        macro_key(name, arity),
        listed.join(" or "),
        plural(last)
    )
}
