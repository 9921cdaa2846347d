//! Providers' data files: XLSX, XLS, CSV (UTF-8, GB18030/GBK, UTF-16; `,` `;` or tab) and
//! SDMX-CSV, read into observations with every problem located. Checks that need the store
//! (revisions, completeness against plans, anomalies against history) live in `checks` and
//! `anomaly` and take plain data, so the app can run them inside its import use-case.

pub mod anomaly;
mod benford;
mod bounds;
pub mod checks;
pub mod cross;
mod decode;
mod excel;
mod finding;
mod grid;
mod header;
pub mod kind;
mod lookup;
mod mapping;
mod measure;
mod names;
mod read;
pub mod report;
mod robust;
mod seen;
mod text;
mod value;
mod xls_guard;
mod zip_guard;

pub use decode::named as encoding_named;
pub use finding::{Finding, Severity, flag_label};
pub use grid::{Cell, CompactString, DateCell, Format, Grid, Merge, Workbook};
pub use mapping::Mapping;
pub use measure::factor as measure_factor;
pub use names::{UnitMatch, UnitNames};
pub use read::{MAX_FINDINGS, Origin, Parsed, ReadOptions, read_workbook};
pub use report::report_xlsx;
pub use value::{Value, read_value};

use crate::error::IntakeError;
use encoding_rs::Encoding;
use jili_model::Limits;

/// Open a provider's file from its bytes within the default [`Limits`] (see [`open_within`]).
pub fn open(file: &str, bytes: &[u8], encoding: Option<&'static Encoding>) -> Result<Workbook, IntakeError> {
    open_within(file, bytes, encoding, &Limits::default())
}

/// Open a provider's file from its bytes: the format is told by its first bytes, not its name
/// (a `.xls` that is really HTML or CSV is common). `encoding` applies to text files only. A
/// file beyond `limits` is refused before the memory it would need is allocated.
pub fn open_within(
    file: &str,
    bytes: &[u8],
    encoding: Option<&'static Encoding>,
    limits: &Limits,
) -> Result<Workbook, IntakeError> {
    if bytes.starts_with(b"PK\x03\x04") {
        excel::read_excel(file, bytes, Format::Xlsx, limits)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        excel::read_excel(file, bytes, Format::Xls, limits)
    } else if bytes.iter().take(512).any(|b| *b == 0) && Encoding::for_bom(bytes).is_none() {
        Err(IntakeError::at(
            jili_model::Location::file(file),
            "不是可识别的文件：请导入 .xlsx、.xls 或 .csv 文件（WPS 的 .et 请另存为 .xlsx）",
        ))
    } else {
        let lower = file.to_ascii_lowercase();
        let named_excel = lower.ends_with(".xlsx") || lower.ends_with(".xls");
        if named_excel && decode::decode(file, bytes, encoding).is_err() {
            return Err(IntakeError::at(
                jili_model::Location::file(file),
                "扩展名是 Excel，但内容既不是 Excel 工作簿也不是文本表格：文件可能已损坏；请在 Excel/WPS 中打开后另存为 .xlsx 再导入",
            ));
        }
        text::read_text(file, bytes, encoding, limits)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
