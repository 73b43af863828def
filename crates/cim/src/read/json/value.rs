//! A parsed JSON value whose strings borrow from the input whenever they hold no escape.
//!
//! `serde_json::Value` owns every string; events are read by the million, and most values
//! (names, GUIDs, numbers as text) need no unescaping, so this tree keeps them as slices of
//! the file. Objects keep their members in document order, duplicates included, so the first
//! of a repeated name can win as it does for XML `Data` elements.
//!
//! Nesting depth is bounded by serde_json's recursion limit (128), which turns deeper input
//! into a parse error rather than a stack overflow.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Members in document order.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// A JSON number as serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer.
    Signed(i64),
    /// Anything with a fraction or exponent, or an integer out of 64-bit range.
    Float(f64),
}

impl fmt::Display for Number {
    /// Integers in decimal; floats in Rust's shortest round-trip form (`1.5`, `1e300`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Unsigned(n) => write!(f, "{n}"),
            Number::Signed(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

impl<'a> Json<'a> {
    /// What kind of value this is, for messages: `an object`, `a string`, ...
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::Str(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The first member called `key`, when this is an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Takes the first member called `key` out of an object, leaving `null` in its place.
    pub(crate) fn take(&mut self, key: &str) -> Option<Json<'a>> {
        match self {
            Json::Object(members) => members
                .iter_mut()
                .find(|(k, _)| k == key)
                .map(|(_, v)| std::mem::replace(v, Json::Null)),
            _ => None,
        }
    }

    /// A scalar as text: strings as written, numbers in decimal, booleans as `true`/`false`.
    /// `null`, arrays and objects have no text.
    pub(crate) fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Json::Str(s) => Some(s),
            Json::Number(n) => Some(Cow::Owned(n.to_string())),
            Json::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            Json::Null | Json::Array(_) | Json::Object(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Unsigned(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Signed(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Float(v)))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(Key(key)) = map.next_key()? {
            let value = map.next_value()?;
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}

/// An object key, borrowed from the input when it holds no escape.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json<'_> {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn plain_strings_borrow_and_escaped_ones_own() {
        let v = parse(r#"{"Image":"cmd.exe","Path":"C:\\x","k\"q":1}"#);
        let Json::Object(members) = &v else {
            panic!("an object: {v:?}")
        };
        assert!(matches!(
            members[0],
            (Cow::Borrowed("Image"), Json::Str(Cow::Borrowed(_)))
        ));
        assert!(matches!(members[1].1, Json::Str(Cow::Owned(_))));
        assert!(matches!(&members[1].1, Json::Str(s) if s == r"C:\x"));
        assert!(matches!(members[2].0, Cow::Owned(_)));
        assert_eq!(&members[2].0, "k\"q");
    }

    #[test]
    fn scalars_have_text_and_the_rest_none() {
        let cases = [
            ("6180", Some("6180")),
            ("-9223372036854775808", Some("-9223372036854775808")),
            ("18446744073709551615", Some("18446744073709551615")),
            ("1.5", Some("1.5")),
            ("true", Some("true")),
            ("\"x\"", Some("x")),
            ("null", None),
            ("[1]", None),
            ("{}", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).into_text().as_deref(), want, "{text}");
        }
    }

    #[test]
    fn duplicates_are_kept_in_order_and_the_first_is_found() {
        let mut v = parse(r#"{"a":1,"b":2,"a":3}"#);
        assert_eq!(v.get("a"), Some(&Json::Number(Number::Unsigned(1))));
        assert_eq!(v.take("a"), Some(Json::Number(Number::Unsigned(1))));
        assert_eq!(v.get("a"), Some(&Json::Null));
        assert_eq!(v.get("c"), None);
        assert_eq!(parse("[]").get("a"), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(serde_json::from_str::<Json<'_>>(&deep).is_err());
    }
}
