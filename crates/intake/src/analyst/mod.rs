//! Readers for the analyst commands' input tables (`jili index`, `jili mcda`).

mod coinr;
mod matrix;

pub use coinr::{read_idata, read_imeta};
pub use matrix::read_matrix;
