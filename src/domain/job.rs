use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = JobRecord)]
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
    /// the job also renders every earlier document again and checks the bytes are unchanged
    pub reverify: bool,
    /// earlier documents found byte-identical by the re-verification
    pub verified: i32,
}
