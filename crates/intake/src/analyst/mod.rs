//! Readers for the analyst commands' input tables (`jili index`, `jili mcda`).

mod coinr;
mod matrix;

pub use coinr::{read_idata, read_idata_with, read_imeta};
pub use matrix::read_matrix;
