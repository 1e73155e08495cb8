//! Invitations to an organization: how long a link works and what it looks like. Shared by the
//! people page and `gramota user create`, so neither the pages nor the command line owns it.

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// The link a new person opens to set their password.
pub fn invitation_link(public_url: &str, token: &str) -> String {
    format!("{}/app/invite/{token}", public_url.trim_end_matches('/'))
}
