//! The data a search can read: tables of each data set, from logs or normalized files.
//!
//! Every table is aligned to its data set's field list (strings, with `_time` as epoch
//! seconds), so tables from different sources stack, and the data model's calculated fields
//! then apply to all of them alike.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use spelunk_cim::model::{self, Dataset};
use spelunk_cim::read::{self, ReadReport};
use spelunk_cim::store::Store;

use crate::datamodel;
use crate::error::Error;
use crate::timespec::TimeWindow;
use crate::values;

/// Tables per data set.
#[derive(Default)]
pub struct Catalog {
    tables: BTreeMap<&'static str, Vec<LazyFrame>>,
    /// Data sets read once into memory with their calculated fields (see
    /// [`Catalog::materialize`]); such a data set's `tables` are not read again.
    materialized: BTreeMap<&'static str, DataFrame>,
    /// Parquet parts of stores, per data set, with the UTC day each holds, so that a search
    /// with a time range reads only the days it covers.
    store_parts: BTreeMap<&'static str, Vec<StorePart>>,
}

/// One part of a store: its file, and the UTC day of every row in it (`None` when the
/// manifest's day cannot be read, so the part is always read).
#[derive(Debug, Clone)]
struct StorePart {
    path: PathBuf,
    day_start: Option<f64>,
}

/// Seconds in a day: a store part holds `[day_start, day_start + DAY)`.
const DAY: f64 = 86_400.0;

impl Catalog {
    /// An empty catalog: every data set has no rows.
    pub fn new() -> Self {
        Catalog::default()
    }

    /// Reads raw logs (files or folders), normalizes them and adds their rows. A folder that is
    /// a store (made by `spelunk ingest`) adds its Parquet parts instead, read lazily so a
    /// search scans only the columns it names and pushes its filter into the scan.
    pub fn add_logs(&mut self, paths: &[PathBuf]) -> Result<ReadReport, Error> {
        let (stores, logs): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.iter().cloned().partition(|p| Store::is_store(p));
        for dir in &stores {
            self.add_store(dir)?;
        }
        if logs.is_empty() {
            return Ok(ReadReport::default());
        }
        let output = read::read_paths(&logs)?;
        for (name, table) in output.tables {
            let Some(dataset) = model::dataset(&name) else {
                continue;
            };
            let frame = table.into_frame()?;
            self.tables
                .entry(dataset.name)
                .or_default()
                .push(frame.lazy());
        }
        Ok(output.report)
    }

    /// Adds every part of the store in `dir`. Parts are scanned lazily when a search runs,
    /// only those of the days its time range covers.
    pub fn add_store(&mut self, dir: &Path) -> Result<(), Error> {
        let store = Store::open(dir)?;
        for part in &store.manifest().parts {
            let Some(dataset) = model::dataset(&part.dataset) else {
                continue;
            };
            let day_start = chrono::NaiveDate::parse_from_str(&part.day, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp() as f64);
            self.store_parts
                .entry(dataset.name)
                .or_default()
                .push(StorePart {
                    path: dir.join(&part.file),
                    day_start,
                });
        }
        Ok(())
    }

    /// The store parts of `dataset` whose day overlaps `window`, as one lazy scan.
    fn store_scan(
        &self,
        dataset: &'static Dataset,
        window: TimeWindow,
    ) -> Result<Option<LazyFrame>, Error> {
        let paths: Vec<PlRefPath> = self
            .store_parts
            .get(dataset.name)
            .into_iter()
            .flatten()
            .filter(|part| match part.day_start {
                None => true,
                Some(start) => {
                    window.earliest.is_none_or(|e| start + DAY > e)
                        && window.latest.is_none_or(|l| start < l)
                }
            })
            .map(|part| {
                check_part(&part.path)?;
                Ok(PlRefPath::new(part.path.to_string_lossy().as_ref()))
            })
            .collect::<Result<_, Error>>()?;
        if paths.is_empty() {
            return Ok(None);
        }
        let frame = LazyFrame::scan_parquet_files(paths.into(), parquet_args())?;
        Ok(Some(frame))
    }

    /// Adds an already-normalized table given as `DATASET=FILE` on the command line.
    pub fn add_table_arg(&mut self, arg: &str) -> Result<(), Error> {
        let Some((name, file)) = arg.split_once('=') else {
            return Err(Error::Usage(format!(
                "--table expects DATASET=FILE, such as Endpoint.Processes=rows.csv; found `{arg}`"
            )));
        };
        let Some(dataset) = model::dataset(name) else {
            return Err(Error::Usage(format!("--table: unknown data set `{name}`")));
        };
        self.add_table(dataset, Path::new(file))
    }

    /// Adds a CSV, JSON lines or Parquet file whose columns are CIM field names (with or
    /// without the `Processes.` prefix). The format is read from the content.
    pub fn add_table(&mut self, dataset: &'static Dataset, path: &Path) -> Result<(), Error> {
        let table_error = |message: String| Error::Table {
            path: path.to_path_buf(),
            message,
        };
        let format = sniff(path).map_err(|e| table_error(e.to_string()))?;
        let source = PlRefPath::new(path.to_string_lossy().as_ref());
        let scanned = match format {
            TableFormat::Parquet => LazyFrame::scan_parquet(source, parquet_args()),
            TableFormat::JsonLines => LazyJsonLineReader::new(source).finish(),
            TableFormat::Csv => LazyCsvReader::new(source)
                .with_has_header(true)
                .with_infer_schema_length(Some(0))
                .finish(),
        };
        let mut frame = scanned.map_err(|e| table_error(e.to_string()))?;
        let schema = frame
            .collect_schema()
            .map_err(|e| table_error(e.to_string()))?;

        let prefix = format!("{}.", dataset.object);
        let mut columns = Vec::new();
        for (name, dtype) in schema.iter() {
            let field = name.strip_prefix(prefix.as_str()).unwrap_or(name);
            if field == "_time" {
                columns.push(time_expr(col(name.clone()), dtype).map_err(table_error)?);
            } else if dataset.fields.contains(&field) {
                let expr = match dtype {
                    DataType::String => col(name.clone()),
                    DataType::List(_) => {
                        return Err(table_error(format!(
                        "column `{name}` holds lists; multivalue CIM fields are not supported yet"
                    )))
                    }
                    _ => col(name.clone()).cast(DataType::String),
                };
                columns.push(expr.alias(field));
            }
        }
        let frame = frame.select(columns);
        self.tables.entry(dataset.name).or_default().push(frame);
        Ok(())
    }

    /// Reads every data set that has data into memory once, aligned and with its calculated
    /// fields, so that many searches over the same catalog (the conformance runner) do not each
    /// scan the files and compute those fields again. Costs the memory of the tables.
    pub fn materialize(&mut self) -> Result<(), Error> {
        for dataset in model::datasets() {
            if self.materialized.contains_key(dataset.name) || self.is_empty(dataset) {
                continue;
            }
            let frame = self.frame(dataset)?.collect()?;
            self.materialized.insert(dataset.name, frame);
        }
        Ok(())
    }

    /// Whether the data set has no rows at all: nothing was read for it, or what was read
    /// into memory is empty. (A lazily scanned table or store may still hold no rows.)
    pub fn is_empty(&self, dataset: &'static Dataset) -> bool {
        match self.materialized.get(dataset.name) {
            Some(frame) => frame.height() == 0,
            None => {
                !self.tables.contains_key(dataset.name)
                    && !self.store_parts.contains_key(dataset.name)
            }
        }
    }

    /// All rows of a data set, aligned to its fields, with its calculated fields applied.
    pub fn frame(&self, dataset: &'static Dataset) -> Result<LazyFrame, Error> {
        self.frame_within(dataset, TimeWindow::default())
    }

    /// The rows of a data set as [`Catalog::frame`] gives them, leaving out store parts whose
    /// day lies outside `window`. Rows are not filtered by time here: the caller still keeps
    /// only those in the window.
    pub fn frame_within(
        &self,
        dataset: &'static Dataset,
        window: TimeWindow,
    ) -> Result<LazyFrame, Error> {
        if let Some(frame) = self.materialized.get(dataset.name) {
            return Ok(frame.clone().lazy());
        }
        let mut aligned = Vec::new();
        for frame in self.tables.get(dataset.name).into_iter().flatten() {
            aligned.push(align(frame.clone(), dataset)?);
        }
        if let Some(frame) = self.store_scan(dataset, window)? {
            aligned.push(align(frame, dataset)?);
        }
        let frame = match aligned.len() {
            0 => empty_frame(dataset)?,
            1 => aligned.remove(0),
            _ => concat(aligned, UnionArgs::default())?,
        };
        Ok(datamodel::with_calculations(frame, dataset))
    }
}

/// The data set's fields with no rows. Aligning `DataFrame::empty()` instead would select only
/// literals, which polars broadcasts to one all-null row: a data set without data would then
/// count one event.
fn empty_frame(dataset: &Dataset) -> Result<LazyFrame, Error> {
    let columns: Vec<Column> = dataset
        .fields
        .iter()
        .map(|&field| {
            let dtype = if field == "_time" {
                DataType::Float64
            } else {
                DataType::String
            };
            Column::new_empty(field.into(), &dtype)
        })
        .collect();
    Ok(DataFrame::new(0, columns)?.lazy())
}

/// Selects the data set's fields in a fixed order, adding absent ones as nulls.
fn align(mut frame: LazyFrame, dataset: &Dataset) -> Result<LazyFrame, Error> {
    let schema = frame.collect_schema()?;
    let columns: Vec<Expr> = dataset
        .fields
        .iter()
        .map(|&field| match (field, schema.get(field)) {
            ("_time", Some(_)) => col(field),
            ("_time", None) => lit(NULL).cast(DataType::Float64).alias(field),
            (_, Some(_)) => col(field),
            (_, None) => lit(NULL).cast(DataType::String).alias(field),
        })
        .collect();
    Ok(frame.select(columns))
}

/// `_time` as epoch seconds, from numbers or from text holding a number or an ISO 8601 time.
fn time_expr(expr: Expr, dtype: &DataType) -> Result<Expr, String> {
    if dtype.is_primitive_numeric() {
        return Ok(expr.cast(DataType::Float64).alias("_time"));
    }
    if *dtype != DataType::String {
        return Err(format!(
            "`_time` has type {dtype}; give epoch seconds or ISO 8601 text"
        ));
    }
    Ok(expr
        .map(
            |column: Column| {
                let strings = column.str()?;
                let mut out = Vec::with_capacity(strings.len());
                for (row, value) in strings.iter().enumerate() {
                    out.push(match value {
                        None => None,
                        Some(text) => Some(parse_time(text).ok_or_else(|| {
                            polars_err!(ComputeError: "row {}: `_time` value {:?} is neither epoch seconds nor ISO 8601", row + 1, text)
                        })?),
                    });
                }
                Ok(Column::new("_time".into(), out))
            },
            |_, _| Ok(Field::new("_time".into(), DataType::Float64)),
        )
        .alias("_time"))
}

/// Epoch seconds or ISO 8601 (with an offset or `Z`; without one it is UTC).
pub fn parse_time(text: &str) -> Option<f64> {
    if let Some(n) = values::parse_number(text) {
        return Some(n);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_micros() as f64 / 1e6);
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc().timestamp_micros() as f64 / 1e6);
        }
    }
    None
}

/// Reads a store part's Parquet footer, so that a damaged or missing part is an error naming
/// its file before the scan starts (the scan's own errors name none).
fn check_part(path: &Path) -> Result<(), Error> {
    let table_error = |message: String| Error::Table {
        path: path.to_path_buf(),
        message: format!(
            "{message}; the store part is damaged: ingest its input again into a new store"
        ),
    };
    let file = std::fs::File::open(path).map_err(|e| table_error(e.to_string()))?;
    ParquetReader::new(file)
        .num_rows()
        .map(|_| ())
        .map_err(|e| table_error(e.to_string()))
}

/// Scan options for Parquet. Hive partitioning is off: a store's `day=...` folders are for
/// people and for pruning by the store itself, not columns (and polars would try to read them
/// as dates, which this build has no type for).
fn parquet_args() -> ScanArgsParquet {
    ScanArgsParquet {
        hive_options: HiveOptions {
            enabled: Some(false),
            ..HiveOptions::default()
        },
        ..ScanArgsParquet::default()
    }
}

enum TableFormat {
    Parquet,
    JsonLines,
    Csv,
}

fn sniff(path: &Path) -> std::io::Result<TableFormat> {
    let mut head = [0u8; 64];
    let mut file = std::fs::File::open(path)?;
    let read = file.read(&mut head)?;
    let head = &head[..read];
    if head.starts_with(b"PAR1") {
        return Ok(TableFormat::Parquet);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(TableFormat::JsonLines),
        _ => Ok(TableFormat::Csv),
    }
}
