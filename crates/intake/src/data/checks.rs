//! Per-series rules.
