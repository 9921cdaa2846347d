//! The reference data, programme and example plans shipped inside the binary, so `jili demo`
//! works from any directory. The files themselves live in `data/` and name their sources.

use jili_intake::{NamedBytes, ReferenceFiles};

macro_rules! bundle {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../", $path)))),*]
    };
}

/// (path, text) pairs.
pub type Files = &'static [(&'static str, &'static str)];

/// Departments.
pub const DEPARTMENTS: Files = bundle!["data/departments/hunan.csv"];
/// Divisions.
pub const DIVISIONS: Files = bundle!["data/divisions/hunan.csv"];
/// Parks.
pub const PARKS: Files = bundle!["data/parks/hunan.csv"];
/// The series catalogue.
pub const SERIES: Files =
    bundle!["data/series/core.csv", "data/series/plans-a.csv", "data/series/plans-b.csv", "data/series/quarterly.csv",];
/// Programmes by year, loaded by `init` and `demo`.
pub const PROGRAMMES: Files = bundle!["data/programmes/hunan-2024.toml"];
/// Earlier programmes known only in part: read by `programme diff`, never loaded as a
/// programme to evaluate.
pub const EARLIER_PROGRAMMES: Files = bundle!["data/programmes/hunan-2023.toml"];
/// The example plans.
pub const PLANS: Files = bundle![
    "data/plans/2024/measure-01.toml",
    "data/plans/2024/measure-02.toml",
    "data/plans/2024/measure-03.toml",
    "data/plans/2024/measure-04.toml",
    "data/plans/2024/measure-05.toml",
    "data/plans/2024/measure-06.toml",
    "data/plans/2024/measure-07.toml",
    "data/plans/2024/measure-08.toml",
    "data/plans/2024/measure-09.toml",
    "data/plans/2024/measure-10.toml",
    "data/plans/2024/measure-11.toml",
    "data/plans/2024/measure-12.toml",
    "data/plans/2024/measure-13.toml",
    "data/plans/2024/measure-14.toml",
    "data/plans/2024/measure-15.toml",
    "data/plans/2024/measure-16.toml",
    "data/plans/2024/measure-17.toml",
    "data/plans/2024/measure-18.toml",
    "data/plans/2024/measure-19.toml",
    "data/plans/2024/measure-20.toml",
];
/// The intake rules (bounds, county-sum tolerance, anomaly settings).
pub const CHECKS: (&str, &str) =
    ("data/checks/hunan.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/checks/hunan.toml")));
/// The release calendar of the main indicator data (an example; the office loads its own).
pub const RELEASE_CALENDAR: (&str, &str) = (
    "data/releases/calendar.toml",
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/releases/calendar.toml")),
);
/// The demo generator's inputs.
pub const DEMO_PROFILE: (&str, &str) =
    ("data/demo/profile.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/profile.toml")));

fn named(files: Files) -> Vec<NamedBytes> {
    files.iter().map(|(name, text)| NamedBytes::new(*name, text.as_bytes())).collect()
}

/// The bundled reference files.
pub fn reference_files() -> ReferenceFiles {
    ReferenceFiles {
        departments: named(DEPARTMENTS),
        divisions: named(DIVISIONS),
        parks: named(PARKS),
        series: named(SERIES),
    }
}
