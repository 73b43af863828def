//! One line of Splunk's `XmlWinEventLog` export parsed into a [`WinEvent`].
//!
//! The line must hold exactly one complete, well-formed `<Event>` element (surrounding
//! whitespace allowed). The parser walks quick-xml's events once, builds no tree, and keeps
//! only the `System` values and `EventData/Data` values a [`WinEvent`] holds.
//!
//! Decisions:
//! * Namespaces are ignored: elements are matched by local name.
//! * Entity references are decoded: the five predefined ones (`&amp;` `&lt;` `&gt;` `&quot;`
//!   `&apos;`) and numeric ones (`&#x202E;`). Any other entity makes the line malformed, since
//!   an event line has no DTD to declare it. Apart from that, values are kept exactly as
//!   written: no trimming, no case change, no line-end normalization.
//! * An empty element (`<Data Name='X'></Data>` or `<Data Name='X'/>`) is an absent value.
//! * Text nested deeper than a value's own element is ignored; `Data` without a `Name` too.

use std::borrow::Cow;

use quick_xml::errors::SyntaxError;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Error as XmlError, Reader};

use super::SkipReason;
use crate::event::WinEvent;

/// Deepest element nesting accepted; real events stay under ten levels.
pub(crate) const MAX_DEPTH: usize = 64;

/// The leaf whose text is being collected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    EventId,
    Channel,
    Computer,
    Keywords,
    Data,
}

/// Which child of `<Event>` the parser is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    System,
    EventData,
    Other,
}

struct Walker<'a, 'e> {
    line: &'a str,
    reader: Reader<&'a [u8]>,
    event: &'e mut WinEvent<'a>,
    depth: usize,
    section: Section,
    slot: Option<Slot>,
    data_name: Option<Cow<'a, str>>,
    value: Option<Cow<'a, str>>,
}

/// Parses `line` into `event`, which is cleared first. On error `event` may be partly filled.
pub(crate) fn parse_line<'a>(line: &'a str, event: &mut WinEvent<'a>) -> Result<(), SkipReason> {
    event.clear();
    let mut walker = Walker {
        line,
        reader: Reader::from_str(line),
        event,
        depth: 0,
        section: Section::Other,
        slot: None,
        data_name: None,
        value: None,
    };
    walker.run()
}

impl<'a> Walker<'a, '_> {
    fn run(&mut self) -> Result<(), SkipReason> {
        loop {
            let at = self.position();
            let ev = match self.reader.read_event() {
                Ok(ev) => ev,
                Err(err) => return Err(self.xml_error(err)),
            };
            let root_closed = match ev {
                Event::Start(e) => self.start(&e, at)?,
                Event::Empty(e) => self.empty(&e, at)?,
                Event::End(_) => self.end(),
                Event::Text(t) => {
                    let text = t.decode().map_err(|e| self.malformed(at, &e))?;
                    self.text(text)?;
                    false
                }
                Event::CData(c) => {
                    let text = c.decode().map_err(|e| self.malformed(at, &e))?;
                    self.text(text)?;
                    false
                }
                Event::GeneralRef(r) => {
                    let text = self.entity(&r, at)?;
                    self.text(Cow::Owned(text))?;
                    false
                }
                Event::Comment(_) | Event::PI(_) => false,
                Event::Decl(_) | Event::DocType(_) if self.depth == 0 => {
                    return Err(self.not_an_event("an XML declaration or DOCTYPE"));
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(SkipReason::Malformed {
                        column: at + 1,
                        message: "declaration inside an element".into(),
                    });
                }
                Event::Eof if self.depth == 0 => return Err(self.not_an_event("end of line")),
                Event::Eof => return Err(SkipReason::Truncated),
            };
            if root_closed {
                return self.check_rest();
            }
        }
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Handles a start tag; returns whether it closed the root (never, for a start tag).
    fn start(&mut self, e: &BytesStart<'_>, at: usize) -> Result<bool, SkipReason> {
        if self.depth == 0 {
            self.expect_event_root(e)?;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SkipReason::TooDeep {
                column: at + 1,
                limit: MAX_DEPTH,
            });
        }
        match self.depth {
            2 => self.section = section_of(e),
            3 => {
                self.leaf_attributes(e, at)?;
                self.slot = self.leaf_slot(e, at)?;
                self.value = None;
            }
            _ => {}
        }
        Ok(false)
    }

    /// Handles `<x/>`; returns whether it was the whole root (`<Event/>`).
    fn empty(&mut self, e: &BytesStart<'_>, at: usize) -> Result<bool, SkipReason> {
        match self.depth {
            0 => {
                self.expect_event_root(e)?;
                Ok(true)
            }
            2 => {
                self.leaf_attributes(e, at)?;
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// Handles an end tag (quick-xml has checked that it matches); returns whether the root
    /// just closed.
    fn end(&mut self) -> bool {
        if self.depth == 3 {
            self.finish_leaf();
        }
        self.depth = self.depth.saturating_sub(1);
        self.depth == 0
    }

    fn text(&mut self, text: Cow<'a, str>) -> Result<(), SkipReason> {
        if self.depth == 0 {
            if text.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(self.not_an_event(&describe_text(&text)));
        }
        if self.depth == 3 && self.slot.is_some() {
            append(&mut self.value, text);
        }
        Ok(())
    }

    fn entity(&self, r: &BytesRef<'_>, at: usize) -> Result<String, SkipReason> {
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c.to_string()),
                Ok(None) | Err(_) => Err(SkipReason::BadEntity {
                    column: at + 1,
                    entity: format!("&{};", String::from_utf8_lossy(r)),
                }),
            };
        }
        let name = String::from_utf8_lossy(r);
        match resolve_predefined_entity(&name) {
            Some(s) => Ok(s.to_owned()),
            None => Err(SkipReason::BadEntity {
                column: at + 1,
                entity: format!("&{name};"),
            }),
        }
    }

    fn expect_event_root(&self, e: &BytesStart<'_>) -> Result<(), SkipReason> {
        if e.local_name().as_ref() == b"Event" {
            return Ok(());
        }
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        Err(self.not_an_event(&format!("<{name}>")))
    }

    /// Reads the attribute values of a `System` leaf (`Provider`, `TimeCreated`, `Security`).
    fn leaf_attributes(&mut self, e: &BytesStart<'_>, at: usize) -> Result<(), SkipReason> {
        if self.section != Section::System {
            return Ok(());
        }
        type Field<'a> = for<'x> fn(&'x mut WinEvent<'a>) -> &'x mut Option<Cow<'a, str>>;
        let (attr, slot): (&[u8], Field<'a>) = match e.local_name().as_ref() {
            b"Provider" => (b"Name", |ev| &mut ev.provider),
            b"TimeCreated" => (b"SystemTime", |ev| &mut ev.system_time),
            b"Security" => (b"UserID", |ev| &mut ev.user_id),
            _ => return Ok(()),
        };
        if let Some(value) = self.attribute(e, attr, at)? {
            let target = slot(self.event);
            if target.is_none() && !value.is_empty() {
                *target = Some(value);
            }
        }
        Ok(())
    }

    /// Which value a depth-3 start tag collects; for `Data` also remembers its `Name`.
    fn leaf_slot(&mut self, e: &BytesStart<'_>, at: usize) -> Result<Option<Slot>, SkipReason> {
        let local = e.local_name();
        let slot = match (self.section, local.as_ref()) {
            (Section::System, b"EventID") => Some(Slot::EventId),
            (Section::System, b"Channel") => Some(Slot::Channel),
            (Section::System, b"Computer") => Some(Slot::Computer),
            (Section::System, b"Keywords") => Some(Slot::Keywords),
            (Section::EventData, b"Data") => {
                self.data_name = self.attribute(e, b"Name", at)?;
                self.data_name.as_ref().map(|_| Slot::Data)
            }
            _ => None,
        };
        Ok(slot)
    }

    fn finish_leaf(&mut self) {
        let (Some(slot), Some(value)) = (self.slot.take(), self.value.take()) else {
            return;
        };
        if value.is_empty() {
            return;
        }
        let target = match slot {
            Slot::EventId => &mut self.event.event_id,
            Slot::Channel => &mut self.event.channel,
            Slot::Computer => &mut self.event.computer,
            Slot::Keywords => &mut self.event.keywords,
            Slot::Data => {
                if let Some(name) = self.data_name.take() {
                    self.event.push_data(name, value);
                }
                return;
            }
        };
        if target.is_none() {
            *target = Some(value);
        }
    }

    /// The decoded value of attribute `key` of `e`, borrowed from the line when possible.
    fn attribute(
        &self,
        e: &BytesStart<'_>,
        key: &[u8],
        at: usize,
    ) -> Result<Option<Cow<'a, str>>, SkipReason> {
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.malformed(at, &err))?;
            if attr.key.local_name().as_ref() != key {
                continue;
            }
            let decoded: Result<Cow<'a, str>, ()> = match reborrow(self.line, &attr.value) {
                Some(raw) => quick_xml::escape::unescape(raw).map_err(drop),
                None => attr
                    .decode_and_unescape_value(self.reader.decoder())
                    .map(|c| Cow::Owned(c.into_owned()))
                    .map_err(drop),
            };
            return decoded.map(Some).map_err(|()| SkipReason::BadEntity {
                column: at + 1,
                entity: String::from_utf8_lossy(&attr.value).into_owned(),
            });
        }
        Ok(None)
    }

    /// After `</Event>`, only whitespace may follow on the line.
    fn check_rest(&self) -> Result<(), SkipReason> {
        let at = self.position().min(self.line.len());
        let rest = self.line.get(at..).unwrap_or_default();
        match rest.find(|c: char| !is_xml_space(c)) {
            None => Ok(()),
            Some(i) => Err(SkipReason::TrailingContent { column: at + i + 1 }),
        }
    }

    fn not_an_event(&self, found: &str) -> SkipReason {
        SkipReason::NotAnEvent {
            found: found.to_owned(),
        }
    }

    fn malformed(&self, at: usize, err: &dyn std::fmt::Display) -> SkipReason {
        SkipReason::Malformed {
            column: at + 1,
            message: err.to_string(),
        }
    }

    fn xml_error(&self, err: XmlError) -> SkipReason {
        let at = usize::try_from(self.reader.error_position()).unwrap_or(0);
        match err {
            // Every syntax error but this one means the input ended inside markup.
            XmlError::Syntax(SyntaxError::InvalidBangMarkup) => self.malformed(at, &err),
            XmlError::Syntax(_) => SkipReason::Truncated,
            other => self.malformed(at, &other),
        }
    }
}

/// Whitespace as XML defines it: space, tab, carriage return, line feed.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn section_of(e: &BytesStart<'_>) -> Section {
    match e.local_name().as_ref() {
        b"System" => Section::System,
        b"EventData" => Section::EventData,
        _ => Section::Other,
    }
}

/// Appends a piece of text to a value being collected, allocating only for a second piece.
fn append<'a>(value: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match value {
        None => *value = Some(piece),
        Some(v) => v.to_mut().push_str(&piece),
    }
}

/// `part` as a slice of `line` when it points into `line` (quick-xml hands out attribute
/// values borrowed from its event, not from the input; this recovers the input's lifetime).
fn reborrow<'a>(line: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(line.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    if end > line.len() {
        return None;
    }
    line.get(start..end)
}

/// A short, printable description of stray text for a skip reason.
fn describe_text(text: &str) -> String {
    const SHOWN: usize = 24;
    let trimmed = text.trim_start_matches(is_xml_space);
    let mut shown: String = trimmed.chars().take(SHOWN).collect();
    if trimmed.chars().count() > SHOWN {
        shown.push('…');
    }
    format!("text {shown:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = concat!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>",
        "<Provider Name='Microsoft-Windows-Sysmon' Guid='{0}'/><EventID>1</EventID>",
        "<Keywords>0x8000000000000000</Keywords>",
        "<TimeCreated SystemTime='2024-01-02T03:04:05.1234567Z'/>",
        "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer> lab-PC </Computer>",
        "<Security UserID='S-1-5-18'/></System><EventData>",
        r"<Data Name='Image'>C:\Tools\a&amp;b.exe</Data>",
        "<Data Name='Empty'></Data><Data Name='Closed'/>",
        "<Data Name='Rtlo'>x&#x202E;y&lt;&gt;&quot;&apos;</Data>",
        "<Data Name='Cdata'><![CDATA[<raw>]]></Data>",
        "<Data>no name</Data><Data Name='Nested'>a<b>hidden</b>c</Data>",
        "</EventData></Event>"
    );

    fn parse(line: &str) -> Result<WinEvent<'_>, SkipReason> {
        let mut ev = WinEvent::default();
        parse_line(line, &mut ev).map(|()| ev)
    }

    #[test]
    fn reads_system_and_event_data() {
        let ev = parse(SAMPLE).expect("well-formed");
        assert_eq!(ev.provider.as_deref(), Some("Microsoft-Windows-Sysmon"));
        assert_eq!(ev.event_id.as_deref(), Some("1"));
        assert_eq!(ev.keywords.as_deref(), Some("0x8000000000000000"));
        assert_eq!(
            ev.system_time.as_deref(),
            Some("2024-01-02T03:04:05.1234567Z")
        );
        assert_eq!(
            ev.channel.as_deref(),
            Some("Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(ev.computer.as_deref(), Some(" lab-PC "), "kept as written");
        assert_eq!(ev.user_id.as_deref(), Some("S-1-5-18"));
        assert_eq!(ev.data("Image"), Some(r"C:\Tools\a&b.exe"));
        assert_eq!(ev.data("Rtlo"), Some("x\u{202E}y<>\"'"));
        assert_eq!(ev.data("Cdata"), Some("<raw>"));
        assert_eq!(ev.data("Nested"), Some("ac"));
        assert_eq!(ev.data("Empty"), None);
        assert_eq!(ev.data("Closed"), None);
        assert_eq!(ev.data_values().count(), 4);
    }

    #[test]
    fn plain_values_borrow_from_the_line() {
        let ev = parse(SAMPLE).expect("well-formed");
        assert!(matches!(ev.provider, Some(Cow::Borrowed(_))));
        assert!(matches!(ev.computer, Some(Cow::Borrowed(_))));
        assert!(matches!(
            ev.data.first(),
            Some((Cow::Borrowed(_), Cow::Owned(_)))
        ));
    }

    #[test]
    fn namespaces_prefixes_and_whitespace_around_the_root_are_accepted() {
        let line = concat!(
            "  <e:Event xmlns:e='urn:x'><e:System><e:EventID>7</e:EventID></e:System>",
            "<!-- note --></e:Event>  \t"
        );
        let ev = parse(line).expect("well-formed");
        assert_eq!(ev.event_id.as_deref(), Some("7"));
        assert_eq!(parse("<Event/>"), Ok(WinEvent::default()));
    }

    #[test]
    fn broken_lines_say_why() {
        let cases: &[(&str, SkipReason)] = &[
            ("<Event><System><EventID>1</EventID>", SkipReason::Truncated),
            ("<Event><System><EventID>1</Even", SkipReason::Truncated),
            ("<Event><System><Provider Name='x", SkipReason::Truncated),
            (
                "garbage here",
                SkipReason::NotAnEvent {
                    found: "text \"garbage here\"".into(),
                },
            ),
            (
                "<Foo/>",
                SkipReason::NotAnEvent {
                    found: "<Foo>".into(),
                },
            ),
            (
                "<?xml version='1.0'?><Event/>",
                SkipReason::NotAnEvent {
                    found: "an XML declaration or DOCTYPE".into(),
                },
            ),
            (
                "<Event></Event>x",
                SkipReason::TrailingContent { column: 16 },
            ),
            (
                "<Event/><Event/>",
                SkipReason::TrailingContent { column: 9 },
            ),
            (
                "<Event><EventData><Data Name='a'>&#0;</Data></EventData></Event>",
                SkipReason::BadEntity {
                    column: 34,
                    entity: "&#0;".into(),
                },
            ),
            (
                "<Event><EventData><Data Name='a'>&bogus;</Data></EventData></Event>",
                SkipReason::BadEntity {
                    column: 34,
                    entity: "&bogus;".into(),
                },
            ),
            (
                "<Event><System><Provider Name='&bogus;'/></System></Event>",
                SkipReason::BadEntity {
                    column: 16,
                    entity: "&bogus;".into(),
                },
            ),
        ];
        for (line, want) in cases {
            assert_eq!(parse(line).as_ref().err(), Some(want), "line {line:?}");
        }
    }

    #[test]
    fn mismatched_tags_are_malformed() {
        let err = parse("<Event><System></Event>").expect_err("mismatch");
        assert!(matches!(err, SkipReason::Malformed { .. }), "{err:?}");
        let err = parse("</Event>").expect_err("unmatched");
        assert!(matches!(err, SkipReason::Malformed { .. }), "{err:?}");
        let err = parse("<Event a='1' a='2'></Event>").map(|_| ());
        assert!(err.is_ok(), "attributes of the root are not read: {err:?}");
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let depth = MAX_DEPTH + 10;
        let line = format!(
            "<Event>{}{}</Event>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        let err = parse(&line).expect_err("too deep");
        assert!(
            matches!(
                err,
                SkipReason::TooDeep {
                    limit: MAX_DEPTH,
                    ..
                }
            ),
            "{err:?}"
        );

        let ok = MAX_DEPTH - 1;
        let line = format!("<Event>{}{}</Event>", "<a>".repeat(ok), "</a>".repeat(ok));
        assert!(parse(&line).is_ok());
    }
}
