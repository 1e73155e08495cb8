use crate::config::Settings;
use crate::db::{self, accounts::NewUser};
use crate::domain::account::{acceptable_password, hash_password, Email, Role, MIN_PASSWORD_CHARS};
use crate::domain::time::format_timestamp;
use crate::domain::OrgSlug;
use crate::invitations::{invitation_link, INVITATION_DAYS};
use crate::startup::open;

pub struct UserRequest {
    pub org: String,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
    /// The password (the command line reads it from standard input); without one, an invitation.
    pub password: Option<String>,
}

/// What `gramota user create` did: an account with the password given, or a link to set one.
pub enum UserCreated {
    Account { email: String },
    Invitation { link: String },
}

pub fn create_user(settings: &Settings, request: UserRequest) -> anyhow::Result<UserCreated> {
    let slug = OrgSlug::parse(&request.org).ok_or_else(|| {
        anyhow::anyhow!("--org must be 2–64 lower-case Latin letters, digits or dashes, e.g. dvorets-almaty")
    })?;
    let email =
        Email::parse(&request.email).ok_or_else(|| anyhow::anyhow!("--email is not an e-mail address"))?;
    let role = Role::parse(&request.role)
        .ok_or_else(|| anyhow::anyhow!("--role must be admin, organizer or jury"))?;
    if let Some(password) = &request.password {
        if !acceptable_password(password) {
            anyhow::bail!("the password must be at least {MIN_PASSWORD_CHARS} characters");
        }
    }
    let password = request.password;
    let issuance = open(settings)?;
    let mut conn = issuance.db.conn()?;
    let organization = db::organizations::find_or_create(&mut conn, &slug)?;
    match password {
        Some(password) => {
            let name = request.name.unwrap_or_else(|| email.as_str().to_string());
            let new = NewUser {
                organization_id: organization.id,
                email: email.clone(),
                name,
                role,
                password_hash: hash_password(&password).map_err(|e| anyhow::anyhow!(e))?,
            };
            db::accounts::create_user(&mut conn, new)?
                .ok_or_else(|| anyhow::anyhow!("{} already has an account", email.as_str()))?;
            Ok(UserCreated::Account {
                email: email.as_str().to_string(),
            })
        }
        None => {
            let expires = time::OffsetDateTime::now_utc() + time::Duration::days(INVITATION_DAYS);
            let token = db::accounts::invite_from_command_line(
                &mut conn,
                &organization.id,
                &email,
                role,
                &format_timestamp(expires),
            )?;
            Ok(UserCreated::Invitation {
                link: invitation_link(&settings.public_url, token.reveal()),
            })
        }
    }
}
