//! From entries to papers: serials and codes are reserved, each document is rendered, its digest
//! recorded, and the PDFs kept for download.

mod batch;
mod batch_settings;
pub mod bundle;
pub mod design_cache;
mod issue;
pub mod jury_letters;
mod kept;
pub mod letters;
mod members;
pub mod own_designs;
mod parallel;
pub mod preview;
pub mod print;
mod raster;
mod reissue;
pub mod render;
pub mod storage;
pub mod sweep;
pub mod worker;

pub use batch::{run_issue_job, Outcome, Progress};
pub use batch_settings::BatchSettings;
pub use issue::{
    check_competition_coverage, check_coverage, check_text_coverage, verify_url, CoverageGap, Issuance,
    IssueError,
};
pub use reissue::reissue;
