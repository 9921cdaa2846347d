//! What the office makes public: the results publication and its corrections, the regular data
//! releases, the public portal's reads and downloads, and the budget lines awards are held to.

pub mod budget;
pub mod portal;
pub mod publish;
pub mod release;
mod sdmx;
