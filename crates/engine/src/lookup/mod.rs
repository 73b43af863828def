//! Lookup tables and their definitions: the `--lookups DIR` folder.
//!
//! A folder holds CSV tables and the definitions that describe how to match them: ESCU's
//! YAML files (`name`, `filename`, `match_type`, `case_sensitive_match`, `min_matches`,
//! `default_match`, `max_matches`, ...) and Splunk `transforms.conf` stanzas with the same
//! settings. A search names a lookup either by its definition or by its CSV file name; a
//! file named directly is matched with Splunk's defaults (exact, case-sensitive), as in
//! Splunk, where the settings belong to the definition, not to the file.
//!
//! Defaults and meanings come from `transforms.conf.spec` (Splunk 9.x/10.x): matching is
//! exact and case-sensitive (`case_sensitive_match` default true); `match_type` lists
//! `WILDCARD(field)` and `CIDR(field)`; `max_matches` is 1-1000 and defaults to 100 for
//! lookups without `time_field` (older specs said 1000); `min_matches` defaults to 0, and
//! when fewer matches are found the `default_match` value (default empty) fills the gap.
//!
//! What is not here: KV store collections, scripted and geo lookups, time-bound lookups
//! (`time_field`) and MLTK models. Their definitions load as *unavailable*, and using one
//! is a clear error naming why. Running the `lookup` command is `commands::lookup`.

mod config;
mod matcher;
mod table;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

pub use config::MatchSettings;
pub use matcher::{MatchType, Matcher};
pub use table::LookupTable;

/// Lookup tables and definitions, by name.
#[derive(Debug, Default)]
pub struct LookupLibrary {
    /// Definitions by name, in load order.
    definitions: IndexMap<String, Definition>,
    /// CSV tables by file name.
    files: IndexMap<String, LookupTable>,
    /// What could not be read, in load order.
    problems: Vec<LoadProblem>,
}

/// A named lookup definition.
#[derive(Debug, Clone)]
pub struct Definition {
    /// The name searches use.
    pub name: String,
    /// Where it was defined: a file, and for `transforms.conf` the line.
    pub origin: String,
    /// What it reads.
    pub source: Source,
}

/// What a definition reads.
#[derive(Debug, Clone)]
pub enum Source {
    /// A CSV file of the folder, matched with these settings.
    File {
        /// The file name (`filename =`).
        filename: String,
        /// How rows match.
        settings: MatchSettings,
    },
    /// A definition spelunk cannot use, with the reason.
    Unavailable(String),
}

/// A file or setting that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file, with a line number where one applies.
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

/// Why a folder or a lookup cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// The folder cannot be read.
    #[error("cannot read the lookups folder {}: {message}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// No definition and no CSV file has this name.
    #[error("no lookup named `{name}`: it is neither a lookup definition nor a CSV file of the lookups folder")]
    Unknown {
        /// The name as written.
        name: String,
    },
    /// A definition that exists but cannot be used.
    #[error("lookup `{name}` cannot be used: {reason}")]
    Unavailable {
        /// The name as written.
        name: String,
        /// Why.
        reason: String,
    },
}

/// A lookup ready to match: its table and settings.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The rows.
    pub table: &'a LookupTable,
    /// How they match.
    pub settings: &'a MatchSettings,
}

/// The settings of a CSV file named directly: Splunk's defaults.
static DEFAULT_SETTINGS: std::sync::LazyLock<MatchSettings> =
    std::sync::LazyLock::new(MatchSettings::default);

impl LookupLibrary {
    /// An empty library.
    pub fn new() -> Self {
        LookupLibrary::default()
    }

    /// Loads every `*.csv`, `*.yml`/`*.yaml` and `transforms.conf` in `dir` (not its
    /// subfolders). A file that cannot be read is a [`LoadProblem`], not a failure; only
    /// an unreadable folder fails.
    pub fn load_dir(dir: &Path) -> Result<LookupLibrary, LookupError> {
        let folder_error = |e: std::io::Error| LookupError::Folder {
            path: dir.to_path_buf(),
            message: e.to_string(),
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(folder_error)? {
            paths.push(entry.map_err(folder_error)?.path());
        }
        // Load order decides which of two same-named definitions wins: make it stable.
        paths.sort();

        let mut library = LookupLibrary::new();
        for path in paths.iter().filter(|p| has_extension(p, &["csv"])) {
            library.load_file(path, |lib, name, bytes| lib.add_csv(name, bytes));
        }
        for path in &paths {
            let name = file_name(path);
            if has_extension(path, &["yml", "yaml"]) {
                library.load_file(path, |lib, name, bytes| {
                    lib.add_yaml(name, &String::from_utf8_lossy(bytes))
                });
            } else if name == "transforms.conf" {
                library.load_file(path, |lib, name, bytes| {
                    lib.add_transforms_conf(name, &String::from_utf8_lossy(bytes))
                });
            }
        }
        library.check_files();
        Ok(library)
    }

    fn load_file(&mut self, path: &Path, add: impl FnOnce(&mut Self, &str, &[u8])) {
        let name = file_name(path);
        match std::fs::read(path) {
            Ok(bytes) => add(self, &name, &bytes),
            Err(e) => self.problem(&name, format!("cannot read the file: {e}")),
        }
    }

    /// Adds a CSV table under its file name (`name` ends in `.csv`).
    pub fn add_csv(&mut self, name: &str, bytes: &[u8]) {
        let (table, problems) = LookupTable::read_csv(bytes);
        for (line, message) in problems {
            self.problem(&format!("{name}:{line}"), message);
        }
        match table {
            Some(table) => {
                self.files.insert(name.to_string(), table);
            }
            None => self.problem(name, "the file has no header line".to_string()),
        }
    }

    /// Adds one ESCU YAML lookup definition; `origin` names its file.
    pub fn add_yaml(&mut self, origin: &str, text: &str) {
        match config::yaml_definition(text, origin) {
            Ok(definition) => self.define(definition),
            Err(message) => self.problem(origin, message),
        }
    }

    /// Adds the lookup stanzas of a `transforms.conf` (stanzas without `filename`,
    /// `collection` or `external_cmd` are other transforms and are skipped).
    pub fn add_transforms_conf(&mut self, origin: &str, text: &str) {
        let (definitions, problems) = config::transforms_definitions(text, origin);
        for (at, message) in problems {
            self.problem(&at, message);
        }
        for definition in definitions {
            self.define(definition);
        }
    }

    fn define(&mut self, definition: Definition) {
        if let Some(old) = self.definitions.get(&definition.name) {
            let message = format!(
                "lookup `{}` is defined again; this definition replaces the one in {}",
                definition.name, old.origin
            );
            self.problem(&definition.origin, message);
        }
        self.definitions.insert(definition.name.clone(), definition);
    }

    /// Marks definitions whose file is missing as unavailable, saying so.
    fn check_files(&mut self) {
        for definition in self.definitions.values_mut() {
            if let Source::File { filename, .. } = &definition.source {
                if !self.files.contains_key(filename) {
                    let reason = format!("its file `{filename}` is not in the lookups folder");
                    self.problems.push(LoadProblem {
                        origin: definition.origin.clone(),
                        message: format!("lookup `{}`: {reason}", definition.name),
                    });
                    definition.source = Source::Unavailable(reason);
                }
            }
        }
    }

    fn problem(&mut self, origin: &str, message: String) {
        self.problems.push(LoadProblem {
            origin: origin.to_string(),
            message,
        });
    }

    /// The table and settings for `name`: a definition, else a CSV file of that name.
    pub fn resolve(&self, name: &str) -> Result<Resolved<'_>, LookupError> {
        if let Some(definition) = self.definitions.get(name) {
            return match &definition.source {
                Source::File { filename, settings } => match self.files.get(filename) {
                    Some(table) => Ok(Resolved { table, settings }),
                    None => Err(LookupError::Unavailable {
                        name: name.to_string(),
                        reason: format!("its file `{filename}` is not loaded"),
                    }),
                },
                Source::Unavailable(reason) => Err(LookupError::Unavailable {
                    name: name.to_string(),
                    reason: reason.clone(),
                }),
            };
        }
        match self.files.get(name) {
            Some(table) => Ok(Resolved {
                table,
                settings: &DEFAULT_SETTINGS,
            }),
            None => Err(LookupError::Unknown {
                name: name.to_string(),
            }),
        }
    }

    /// The definitions, in load order.
    pub fn definitions(&self) -> impl Iterator<Item = &Definition> {
        self.definitions.values()
    }

    /// The CSV file names loaded.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// What could not be loaded.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_transforms_conf_yaml_and_csv() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("nets.csv", "net,zone\n10.0.0.0/8,inside\n");
        write("tools.csv", "tool,bad\n*.ps1,yes\n");
        write(
            "transforms.conf",
            "[zones]\nfilename = nets.csv\nmatch_type = CIDR(net)\n\n[gone]\nfilename = gone.csv\n",
        );
        write(
            "tools.yml",
            "name: tools\nfilename: tools.csv\nmatch_type: WILDCARD(tool)\n",
        );
        write("broken.yml", "name: [unclosed\n");
        write("notes.txt", "ignored");

        let library = LookupLibrary::load_dir(dir.path()).unwrap();
        let names: Vec<_> = library.definitions().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["tools", "zones", "gone"],
            "files load in name order"
        );
        let files: Vec<_> = library.files().collect();
        assert_eq!(files, ["nets.csv", "tools.csv"]);

        let zones = library.resolve("zones").unwrap();
        assert_eq!(zones.settings.match_type("net"), MatchType::Cidr);
        // Named by its file, a table is matched with Splunk's defaults.
        let direct = library.resolve("tools.csv").unwrap();
        assert_eq!(direct.settings, &MatchSettings::default());
        assert_eq!(
            library
                .resolve("tools")
                .unwrap()
                .settings
                .match_type("tool"),
            MatchType::Wildcard
        );

        let gone = library.resolve("gone").unwrap_err().to_string();
        assert!(
            gone.contains("`gone.csv` is not in the lookups folder"),
            "{gone}"
        );
        assert!(matches!(
            library.resolve("nothing"),
            Err(LookupError::Unknown { .. })
        ));
        let origins: Vec<_> = library
            .problems()
            .iter()
            .map(|p| p.origin.as_str())
            .collect();
        assert_eq!(origins, ["broken.yml", "transforms.conf:5"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let e = LookupLibrary::load_dir(Path::new("/nonexistent/lookups")).unwrap_err();
        assert!(
            e.to_string().contains("cannot read the lookups folder"),
            "{e}"
        );
    }
}
