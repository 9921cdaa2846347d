//! jili's domain model: units, departments, series, observations, the yearly programme and
//! implementation plans — and the structural checks that turn what a user wrote into something
//! the engine may evaluate. No IO, no async: parsing takes `&str`, never a path.
//!
//! ```
//! use jili_model::{Level, Programme};
//!
//! let text = r#"
//! [programme]
//! year = 2024
//! province = "湖南省"
//! doc_no = "湘政办发〔2024〕16号"
//! title = "关于实施2024年大抓落实工作激励措施二十条的通知"
//! issuer = "湖南省人民政府办公厅"
//! date = "2024-05-29"
//! source = "example"
//! leads = ["省财政厅"]
//!
//! [rules]
//! channels = ["资金奖励"]
//!
//! [[measures]]
//! no = 1
//! short = "财源建设"
//! text = "对推进财源建设提质攻坚……成效明显的市州、县市区,给予资金奖励。"
//! lead = "省财政厅"
//! levels = ["市州", "县市区"]
//! channel = "资金奖励"
//! "#;
//! let programme = Programme::from_toml("programme.toml", text).unwrap();
//! assert_eq!(programme.measure(1).unwrap().levels, [Level::City, Level::County]);
//! ```

pub mod calendar;
mod case;
mod catalogue;
pub mod composite;
pub mod date;
mod department;
mod error;
mod funds;
mod grant;
mod job;
mod limits;
mod location;
pub mod method;
mod observation;
mod period;
pub mod pipeline;
pub mod plan;
mod programme;
mod programme_diff;
mod programme_notice;
mod programme_rules;
mod publication_request;
pub mod release;
mod series;
pub mod spreadsheet;
pub mod template;
pub mod uncertainty;
mod unit;
pub mod unit_measure;

pub use case::{CaseStatus, CaseStep, UnknownCaseWord};
pub use catalogue::Catalogue;
pub use department::Department;
pub use error::ModelError;
pub use funds::FundKind;
pub use grant::{Grant, GrantStatus};
pub use job::JobStatus;
pub use limits::{LimitInfo, Limits, show_amount};
pub use location::{Location, column_letters};
pub use method::{Aggregation, Direction, Normalise, Outlier, WeightMethod};
pub use observation::{Batch, CompactString, Observation, ObservationKey, Status, UnknownObservationStatus};
pub use period::{Part, Period, PeriodError};
pub use plan::{Plan, PlanStatus};
pub use programme::{Commendation, Declared, Measure, Programme, PublicationPolicy, RecoveryRule, VetoDisclosure};
pub use programme_diff::{MeasureChange, ProgrammeDiff, diff_programmes};
pub use programme_notice::{NoticeForm, achievement};
pub use programme_rules::{Cap, IndicatorLimits, Rules, UnitKind};
pub use publication_request::{RequestStatus, UnknownRequestStatus};
pub use rust_decimal::Decimal;
pub use series::{Nature, Series};
pub use unit::{Level, Plate, Unit};
