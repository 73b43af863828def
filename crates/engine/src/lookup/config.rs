//! Reading lookup definitions: ESCU YAML files and `transforms.conf` stanzas.
//!
//! Both carry the settings of `transforms.conf.spec`; ESCU's YAML writes them as keys of
//! one mapping (`name`, `filename`, `collection`, `match_type`, ...), with booleans often
//! quoted (`'false'`). This module turns either into a [`Definition`]; it does not read
//! the CSV files.

use super::matcher::MatchType;
use super::{Definition, Source};

/// `max_matches` when not given: 100 for lookups without `time_field`
/// (transforms.conf.spec, Splunk 9.x and later; 8.x's spec said 1000).
pub const DEFAULT_MAX_MATCHES: usize = 100;

/// The largest `max_matches` Splunk accepts (transforms.conf.spec: "range 1 - 1000").
pub const MAX_MAX_MATCHES: usize = 1000;

/// How a lookup's rows match, from its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchSettings {
    /// `case_sensitive_match`, default true.
    pub case_sensitive: bool,
    /// `match_type`: columns matched other than exactly, in the order written.
    pub match_types: Vec<(String, MatchType)>,
    /// `max_matches`, 1 to 1000, default 100.
    pub max_matches: usize,
    /// `min_matches`, default 0.
    pub min_matches: usize,
    /// `default_match`, default empty.
    pub default_match: String,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            case_sensitive: true,
            match_types: Vec::new(),
            max_matches: DEFAULT_MAX_MATCHES,
            min_matches: 0,
            default_match: String::new(),
        }
    }
}

impl MatchSettings {
    /// How `column` matches.
    pub fn match_type(&self, column: &str) -> MatchType {
        self.match_types
            .iter()
            .find(|(c, _)| c == column)
            .map_or(MatchType::Exact, |(_, t)| *t)
    }
}

/// One definition from the settings of a stanza or YAML mapping, in the order written.
/// Settings that make it unusable (a KV store collection, a script, a bad value) make an
/// [`Source::Unavailable`] definition whose reason says so.
fn definition(name: String, origin: String, settings: &[(String, String)]) -> Definition {
    let source = match file_settings(settings) {
        Ok((filename, settings)) => Source::File { filename, settings },
        Err(reason) => Source::Unavailable(reason),
    };
    Definition {
        name,
        origin,
        source,
    }
}

fn file_settings(settings: &[(String, String)]) -> Result<(String, MatchSettings), String> {
    let get = |key: &str| {
        settings
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
    };

    if let Some(collection) = get("collection") {
        return Err(format!(
            "it is the KV store collection `{collection}`, which spelunk cannot read"
        ));
    }
    if get("external_cmd").is_some() || get("external_type").is_some() {
        return Err("it is an external (scripted, KV store or geo) lookup".to_string());
    }
    if get("time_field").is_some() {
        return Err("it is a time-bound lookup (`time_field`), which spelunk does not run".into());
    }
    let Some(filename) = get("filename").filter(|f| !f.is_empty()) else {
        return Err("it names no `filename`".to_string());
    };
    if !filename.to_ascii_lowercase().ends_with(".csv") {
        return Err(format!(
            "its file `{filename}` is not a CSV table (MLTK models and KMZ files are not lookups spelunk reads)"
        ));
    }

    let mut out = MatchSettings::default();
    if let Some(v) = get("case_sensitive_match") {
        out.case_sensitive = boolean(v).ok_or_else(|| bad("case_sensitive_match", v))?;
    }
    if let Some(v) = get("match_type") {
        out.match_types = match_types(v)?;
    }
    if let Some(v) = get("max_matches") {
        out.max_matches = v
            .parse()
            .ok()
            .filter(|n| (1..=MAX_MAX_MATCHES).contains(n))
            .ok_or_else(|| bad("max_matches", v))?;
    }
    if let Some(v) = get("min_matches") {
        out.min_matches = v.parse().map_err(|_| bad("min_matches", v))?;
    }
    if let Some(v) = get("default_match") {
        out.default_match = v.to_string();
    }
    // Only a file name is meaningful: Splunk strips any path (transforms.conf.spec).
    let filename = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    Ok((filename.to_string(), out))
}

fn bad(key: &str, value: &str) -> String {
    format!("`{key} = {value}` is not a valid value")
}

/// A boolean as Splunk's config files write them.
fn boolean(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" | "y" => Some(true),
        "false" | "f" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// `WILDCARD(a), CIDR(b)`: "a comma and space-delimited list of <match_type>(<field_name>)".
fn match_types(v: &str) -> Result<Vec<(String, MatchType)>, String> {
    let mut out = Vec::new();
    for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let parsed = item.split_once('(').and_then(|(kind, rest)| {
            let column = rest.strip_suffix(')')?.trim();
            let kind = match kind.trim().to_ascii_uppercase().as_str() {
                "WILDCARD" => MatchType::Wildcard,
                "CIDR" => MatchType::Cidr,
                "EXACT" => MatchType::Exact,
                _ => return None,
            };
            (!column.is_empty()).then(|| (column.to_string(), kind))
        });
        match parsed {
            Some(pair) => out.push(pair),
            None => {
                return Err(format!(
                    "`match_type` item `{item}` is not WILDCARD(f), CIDR(f) or EXACT(f)"
                ))
            }
        }
    }
    Ok(out)
}

/// One ESCU YAML lookup definition.
pub(super) fn yaml_definition(text: &str, origin: &str) -> Result<Definition, String> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
    let Some(mapping) = value.as_mapping() else {
        return Err("not a YAML mapping of lookup settings".to_string());
    };

    let mut settings = Vec::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str() else { continue };
        let text = match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Bool(b) => b.to_string(),
            serde_yaml::Value::Number(n) => n.to_string(),
            // Descriptions and other non-scalar keys say nothing about matching.
            _ => continue,
        };
        settings.push((key.to_string(), text));
    }

    let name = settings
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.trim().to_string())
        .filter(|n| !n.is_empty())
        .ok_or("the definition has no `name`")?;
    Ok(definition(name, origin.to_string(), &settings))
}

/// A `transforms.conf` stanza being read: its name, header line and settings.
type Stanza = (String, usize, Vec<(String, String)>);

/// The lookup stanzas of a `transforms.conf`, with problems by `file:line`.
pub(super) fn transforms_definitions(
    text: &str,
    origin: &str,
) -> (Vec<Definition>, Vec<(String, String)>) {
    let mut definitions = Vec::new();
    let mut problems = Vec::new();
    let mut current: Option<Stanza> = None;

    let finish = |stanza: Option<Stanza>, definitions: &mut Vec<Definition>| {
        let Some((name, line, settings)) = stanza else {
            return;
        };
        let is_lookup = settings
            .iter()
            .any(|(k, _)| matches!(k.as_str(), "filename" | "collection" | "external_cmd"));
        if is_lookup {
            definitions.push(definition(name, format!("{origin}:{line}"), &settings));
        }
    };

    let mut lines = text.lines().enumerate().peekable();
    while let Some((index, raw)) = lines.next() {
        let line_no = index + 1;
        // A trailing backslash continues the value on the next line.
        let mut line = raw.to_string();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, next)) => line.push_str(next),
                None => break,
            }
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }

        if let Some(header) = line.strip_prefix('[') {
            finish(current.take(), &mut definitions);
            match header.strip_suffix(']') {
                Some(name) if !name.trim().is_empty() => {
                    current = Some((name.trim().to_string(), line_no, Vec::new()));
                }
                _ => problems.push((
                    format!("{origin}:{line_no}"),
                    format!("`{line}` is not a stanza header"),
                )),
            }
            continue;
        }
        match (line.split_once('='), current.as_mut()) {
            (Some((key, value)), Some((_, _, settings))) => {
                settings.push((key.trim().to_string(), value.trim().to_string()));
            }
            // Settings before any stanza are [default] settings, which lookups ignore.
            (Some(_), None) => {}
            (None, _) => problems.push((
                format!("{origin}:{line_no}"),
                format!("`{line}` is neither a stanza header nor `key = value`"),
            )),
        }
    }
    finish(current.take(), &mut definitions);
    (definitions, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(def: &Definition) -> &MatchSettings {
        match &def.source {
            Source::File { settings, .. } => settings,
            Source::Unavailable(reason) => panic!("unavailable: {reason}"),
        }
    }

    #[test]
    fn escu_yaml_with_quoted_booleans_and_two_wildcards() {
        let text = "description: Hijack libraries\nfilename: hijacklibs_loaded.csv\n\
                    name: hijacklibs_loaded\ndefault_match: 'false'\n\
                    match_type: WILDCARD(library),WILDCARD(excludes)\nmin_matches: 1\n\
                    case_sensitive_match: 'false'";
        let def = yaml_definition(text, "hijacklibs_loaded.yml").unwrap();
        assert_eq!(def.name, "hijacklibs_loaded");
        let s = settings(&def);
        assert!(!s.case_sensitive);
        assert_eq!(s.min_matches, 1);
        assert_eq!(s.default_match, "false");
        assert_eq!(s.max_matches, DEFAULT_MAX_MATCHES);
        assert_eq!(s.match_type("excludes"), MatchType::Wildcard);
        assert_eq!(s.match_type("other"), MatchType::Exact);
    }

    #[test]
    fn collections_models_and_bad_values_are_unavailable_with_a_reason() {
        let unavailable = |text: &str| match yaml_definition(text, "x.yml").unwrap().source {
            Source::Unavailable(reason) => reason,
            Source::File { .. } => panic!("{text}: expected unavailable"),
        };
        assert!(unavailable("name: a\ncollection: a\nfields_list: x, y").contains("KV store"));
        assert!(unavailable("name: a\nfilename: a.mlmodel").contains("not a CSV"));
        assert!(unavailable("name: a\nfilename: a.csv\nmax_matches: 0").contains("max_matches"));
        assert!(unavailable("name: a\nfilename: a.csv\nmatch_type: FUZZY(x)").contains("FUZZY"));
        assert!(yaml_definition("description: no name", "x.yml").is_err());
        assert!(yaml_definition(": : :", "x.yml").is_err());
    }

    #[test]
    fn transforms_conf_stanzas() {
        let text = "# comment\n[extract_stuff]\nREGEX = (a)\n\n[ips]\nfilename = ips.csv\n\
                    match_type = CIDR(net), \\\n  WILDCARD(host)\ncase_sensitive_match = f\n\
                    max_matches = 1\n[kv]\ncollection = kv\nbroken line\n";
        let (defs, problems) = transforms_definitions(text, "transforms.conf");
        assert_eq!(defs.len(), 2, "the REGEX transform is not a lookup");
        assert_eq!(defs[0].origin, "transforms.conf:5");
        let s = settings(&defs[0]);
        assert_eq!(s.match_type("net"), MatchType::Cidr);
        assert_eq!(s.match_type("host"), MatchType::Wildcard);
        assert_eq!(s.max_matches, 1);
        assert!(!s.case_sensitive);
        assert!(matches!(defs[1].source, Source::Unavailable(_)));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "transforms.conf:13");
    }
}
