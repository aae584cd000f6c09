//! Orchestration: settings in, work done by the library modules, output out.

pub mod check;
pub mod export;
pub mod measures;
pub mod new;
pub mod search;
pub mod tech;
