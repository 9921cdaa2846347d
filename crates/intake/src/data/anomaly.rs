//! Anomaly flags for reviewers (they never reject).
