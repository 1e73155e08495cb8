//! From entries to papers: serials and codes are reserved, each document is rendered, its digest
//! recorded, and the PDFs kept for download.

pub mod bundle;
mod issue;
pub mod preview;
pub mod print;
mod reissue;
pub mod render;
pub mod storage;
pub mod worker;

pub use issue::{check_coverage, run_issue_job, verify_url, CoverageGap, Issuance, IssueError};
pub use reissue::reissue;
