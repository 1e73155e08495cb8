use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    /// Stopped on request; documents already rendered stay, the rest stay pending for a later job.
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Queued or running: the job still has work to do.
    pub fn is_active(self) -> bool {
        matches!(self, JobState::Queued | JobState::Running)
    }

    pub fn parse(text: &str) -> Option<JobState> {
        match text {
            "queued" => Some(JobState::Queued),
            "running" => Some(JobState::Running),
            "done" => Some(JobState::Done),
            "failed" => Some(JobState::Failed),
            "cancelled" => Some(JobState::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: String,
    pub organization_id: String,
    pub competition_id: String,
    pub kind: String,
    pub state: JobState,
    pub done: i32,
    pub total: i32,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Re-render the documents issued before and check they come out byte for byte the same.
    pub reverify: bool,
    /// How many earlier documents the re-verification found identical.
    pub verified: i32,
}
