//! Jobs (next commit).
