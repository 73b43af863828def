//! Loading macros from Splunk `macros.conf`, ESCU macro YAML files and JSON lines.
//!
//! - `macros.conf`: stanzas `[name]` or `[name(N)]`; the keys `args = a, b`, `definition =`
//!   and `iseval =` are read and every other key is ignored. Lines starting with `#` are
//!   comments. A line ending in `\` continues on the next line (the backslash is dropped, the
//!   line break kept), which is how contentctl writes multi-line definitions.
//! - ESCU YAML: one file per macro with `name`, `definition` and an optional `arguments` list
//!   (a file holding a list of such objects is accepted too).
//! - JSON lines: one such object per line.
//!
//! Errors name the file (or the origin label given) and, where known, the line.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::{Macro, MacroLibrary};

/// Why a macro file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MacroLoadError {
    /// The file (or the label passed to a `load_*_str` function).
    pub origin: String,
    /// The 1-based line, where known.
    pub line: Option<usize>,
    /// What went wrong.
    pub kind: MacroLoadErrorKind,
}

impl fmt::Display for MacroLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.origin, self.kind),
            None => write!(f, "{}: {}", self.origin, self.kind),
        }
    }
}

/// The kinds of [`MacroLoadError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacroLoadErrorKind {
    /// The file or folder could not be read.
    #[error("cannot read: {message}")]
    Io {
        /// The operating system's message.
        message: String,
    },
    /// A `[...]` line is not `[name]` or `[name(N)]`.
    #[error("malformed stanza `{text}`: expected `[name]` or `[name(N)]`")]
    BadStanza {
        /// The line.
        text: String,
    },
    /// A line in a stanza is neither `key = value`, a comment nor blank.
    #[error("expected `key = value`, found `{text}`")]
    BadLine {
        /// The line.
        text: String,
    },
    /// A stanza or object gives no definition.
    #[error("macro `{name}` has no definition")]
    MissingDefinition {
        /// The stanza name.
        name: String,
    },
    /// `[name(N)]` does not declare N argument names.
    #[error("macro `{name}` declares {declared} arguments but names {named} in `args`")]
    ArityMismatch {
        /// The stanza name.
        name: String,
        /// N in `[name(N)]`.
        declared: usize,
        /// How many names `args` lists.
        named: usize,
    },
    /// The YAML text is invalid or lacks a required field.
    #[error("invalid macro YAML: {message}")]
    Yaml {
        /// The YAML parser's message.
        message: String,
    },
    /// A JSON line is invalid or lacks a required field.
    #[error("invalid macro JSON: {message}")]
    Json {
        /// The JSON parser's message.
        message: String,
    },
}

/// The shape of an ESCU macro object (YAML file or JSON line).
#[derive(Debug, Deserialize)]
struct MacroObject {
    name: String,
    definition: Option<String>,
    #[serde(default)]
    arguments: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum YamlDocument {
    One(MacroObject),
    Many(Vec<MacroObject>),
}

impl MacroLibrary {
    /// Loads macros from `path`, replacing existing macros of the same name and arity, and
    /// returns how many were read. A folder is read as ESCU YAML files (`*.yml`, `*.yaml`,
    /// in file-name order); a `.jsonl` file as JSON lines; anything else as `macros.conf`.
    pub fn load_path(&mut self, path: &Path) -> Result<usize, MacroLoadError> {
        let origin = path.display().to_string();
        let io = |e: std::io::Error| MacroLoadError {
            origin: origin.clone(),
            line: None,
            kind: MacroLoadErrorKind::Io {
                message: e.to_string(),
            },
        };

        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| matches!(extension(p).as_deref(), Some("yml" | "yaml")))
                .collect();
            files.sort();

            let mut count = 0;
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(io)?;
                count += self.load_yaml_str(&text, &file.display().to_string())?;
            }
            return Ok(count);
        }

        let text = std::fs::read_to_string(path).map_err(io)?;
        if extension(path).as_deref() == Some("jsonl") {
            self.load_jsonl_str(&text, &origin)
        } else {
            self.load_conf_str(&text, &origin)
        }
    }

    /// Loads `macros.conf` text; `origin` names it in errors.
    pub fn load_conf_str(&mut self, text: &str, origin: &str) -> Result<usize, MacroLoadError> {
        let mut count = 0;
        let mut current: Option<Stanza> = None;

        for line in logical_lines(text) {
            let fail = |kind| MacroLoadError {
                origin: origin.to_string(),
                line: Some(line.number),
                kind,
            };
            let trimmed = line.text.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }

            if trimmed.starts_with('[') {
                if let Some(done) = current.take() {
                    count += self.add_stanza(done, origin)?;
                }
                let (name, arity) = parse_stanza_name(trimmed).ok_or_else(|| {
                    let text = trimmed.to_string();
                    fail(MacroLoadErrorKind::BadStanza { text })
                })?;
                current = Some(Stanza::new(name, arity, line.number));
                continue;
            }

            let Some((key, value)) = trimmed.split_once('=') else {
                let text = trimmed.to_string();
                return Err(fail(MacroLoadErrorKind::BadLine { text }));
            };
            if let Some(stanza) = current.as_mut() {
                stanza.set(key.trim(), value.trim());
            }
        }

        if let Some(done) = current.take() {
            count += self.add_stanza(done, origin)?;
        }
        Ok(count)
    }

    /// Loads one ESCU macro YAML document (or a list of macro objects); `origin` names it in
    /// errors.
    pub fn load_yaml_str(&mut self, text: &str, origin: &str) -> Result<usize, MacroLoadError> {
        let doc: YamlDocument = serde_yaml::from_str(text).map_err(|e| MacroLoadError {
            origin: origin.to_string(),
            line: e.location().map(|l| l.line()),
            kind: MacroLoadErrorKind::Yaml {
                message: e.to_string(),
            },
        })?;
        let objects = match doc {
            YamlDocument::One(m) => vec![m],
            YamlDocument::Many(ms) => ms,
        };

        let count = objects.len();
        for object in objects {
            self.add_object(object, origin, None)?;
        }
        Ok(count)
    }

    /// Loads JSON lines of ESCU macro objects; blank lines are skipped; `origin` names the
    /// text in errors.
    pub fn load_jsonl_str(&mut self, text: &str, origin: &str) -> Result<usize, MacroLoadError> {
        let mut count = 0;
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let object: MacroObject = serde_json::from_str(line).map_err(|e| MacroLoadError {
                origin: origin.to_string(),
                line: Some(index + 1),
                kind: MacroLoadErrorKind::Json {
                    message: e.to_string(),
                },
            })?;
            self.add_object(object, origin, Some(index + 1))?;
            count += 1;
        }
        Ok(count)
    }

    fn add_object(
        &mut self,
        object: MacroObject,
        origin: &str,
        line: Option<usize>,
    ) -> Result<(), MacroLoadError> {
        let fail = |kind| MacroLoadError {
            origin: origin.to_string(),
            line,
            kind,
        };
        let (name, declared) = match parse_stanza_name(&format!("[{}]", object.name)) {
            Some((name, arity)) => (name, arity),
            None => (object.name.clone(), None),
        };
        let Some(definition) = object.definition else {
            return Err(fail(MacroLoadErrorKind::MissingDefinition { name }));
        };
        if let Some(declared) = declared.filter(|d| *d != object.arguments.len()) {
            let named = object.arguments.len();
            let kind = MacroLoadErrorKind::ArityMismatch {
                name,
                declared,
                named,
            };
            return Err(fail(kind));
        }

        self.insert(Macro {
            name,
            args: object.arguments,
            definition,
            iseval: false,
        });
        Ok(())
    }

    fn add_stanza(&mut self, stanza: Stanza, origin: &str) -> Result<usize, MacroLoadError> {
        let fail = |kind| MacroLoadError {
            origin: origin.to_string(),
            line: Some(stanza.line),
            kind,
        };
        let key = super::macro_key(&stanza.name, stanza.arity);
        let Some(definition) = stanza.definition else {
            return Err(fail(MacroLoadErrorKind::MissingDefinition { name: key }));
        };
        if stanza.args.len() != stanza.arity {
            let kind = MacroLoadErrorKind::ArityMismatch {
                name: key,
                declared: stanza.arity,
                named: stanza.args.len(),
            };
            return Err(fail(kind));
        }

        self.insert(Macro {
            name: stanza.name,
            args: stanza.args,
            definition,
            iseval: stanza.iseval,
        });
        Ok(1)
    }
}

/// A `macros.conf` stanza being read.
struct Stanza {
    name: String,
    arity: usize,
    line: usize,
    args: Vec<String>,
    definition: Option<String>,
    iseval: bool,
}

impl Stanza {
    fn new(name: String, arity: Option<usize>, line: usize) -> Self {
        Stanza {
            name,
            arity: arity.unwrap_or(0),
            line,
            args: Vec::new(),
            definition: None,
            iseval: false,
        }
    }

    fn set(&mut self, key: &str, value: &str) {
        match key {
            "args" => {
                self.args = value
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            "definition" => self.definition = Some(value.to_string()),
            "iseval" => {
                let truthy = ["1", "true", "t", "yes", "y"];
                self.iseval = truthy.contains(&value.to_ascii_lowercase().as_str());
            }
            _ => {}
        }
    }
}

/// `[name]` → (name, None); `[name(3)]` → (name, Some(3)).
fn parse_stanza_name(line: &str) -> Option<(String, Option<usize>)> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return None;
    }
    let Some(open) = inner.find('(') else {
        return (!inner.contains(')')).then(|| (inner.to_string(), None));
    };

    let name = inner[..open].trim();
    let arity = inner[open + 1..].strip_suffix(')')?.trim().parse().ok()?;
    (!name.is_empty()).then(|| (name.to_string(), Some(arity)))
}

/// A line after joining `\` continuations, with the number of its first physical line.
struct LogicalLine {
    number: usize,
    text: String,
}

fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut lines = Vec::new();
    let mut pending: Option<LogicalLine> = None;

    for (index, raw) in text.lines().enumerate() {
        let (body, continues) = match raw.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        let line = match pending.take() {
            Some(mut open) => {
                open.text.push('\n');
                open.text.push_str(body);
                open
            }
            None => LogicalLine {
                number: index + 1,
                text: body.to_string(),
            },
        };
        if continues {
            pending = Some(line);
        } else {
            lines.push(line);
        }
    }

    lines.extend(pending);
    lines
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}
