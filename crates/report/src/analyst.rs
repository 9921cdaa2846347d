//! The analyst commands' result tables (`jili index`, `jili mcda`) as CSV, with COINr's `NA`
//! for a missing number, and as JSON. The computation is `jili_app::analyst`'s.

use jili_model::spreadsheet::safe_cell;

/// A result table: column names and rows of cells (`None` = missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// One cell of a result table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(Option<f64>),
}

impl Table {
    /// CSV with COINr's `NA` for missing numbers; text that a spreadsheet would take as a
    /// formula is neutralised ([`safe_cell`]).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(self.columns.iter().map(|c| safe_cell(c).into_owned()));
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => safe_cell(t).into_owned(),
                    Cell::Number(Some(x)) => x.to_string(),
                    Cell::Number(None) => "NA".into(),
                })
                .collect();
            let _ = w.write_record(&cells);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// An array of objects, one per row; missing numbers are `null`.
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                let map = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(k, c)| {
                        let v = match c {
                            Cell::Text(t) => serde_json::Value::from(t.as_str()),
                            Cell::Number(x) => x.map_or(serde_json::Value::Null, serde_json::Value::from),
                        };
                        (k.clone(), v)
                    })
                    .collect::<serde_json::Map<_, _>>();
                serde_json::Value::Object(map)
            })
            .collect();
        serde_json::to_string_pretty(&rows).unwrap_or_default()
    }
}
