//! `gramota keys`: the signing keys of a single server (its key file) or of a deployment of several
//! instances (the database, with the shared secret), whichever the settings say this one is.

use crate::config::{Settings, SigningSecret};
use crate::db::Db;
use crate::trust::{shared, Keyring};

/// The deployment's database and secret, when this instance shares its keys with others.
fn deployment(settings: &Settings) -> anyhow::Result<Option<(Db, &SigningSecret)>> {
    settings
        .signing_secret
        .as_ref()
        .map(|secret| Ok((Db::connect(&settings.database_url, 1)?, secret)))
        .transpose()
}

fn keyring(settings: &Settings) -> anyhow::Result<Keyring> {
    Ok(match deployment(settings)? {
        Some((db, secret)) => shared::open_beside(&mut *db.conn()?, secret, &settings.data_dir)?,
        None => Keyring::open_or_create(&settings.data_dir)?,
    })
}

/// Lists the keys: id, status, creation time; the public halves are at /.well-known/gramota-keys.json.
pub fn list(settings: &Settings) -> anyhow::Result<Vec<String>> {
    Ok(keyring(settings)?
        .keys()
        .iter()
        .map(|k| format!("{}  {:<11}  {}", k.kid_hex(), k.status.as_str(), k.created_at))
        .collect())
}

/// Makes a new signing key; the old one is kept to verify what it signed.
pub fn rotate(settings: &Settings) -> anyhow::Result<String> {
    if let Some((db, secret)) = deployment(settings)? {
        let mut conn = db.conn()?;
        shared::open_beside(&mut conn, secret, &settings.data_dir)?;
        return Ok(shared::rotate(&mut conn, secret)?);
    }
    let mut keyring = Keyring::open_or_create(&settings.data_dir)?;
    Ok(keyring.rotate()?.kid_hex())
}

pub fn compromise(settings: &Settings, kid: &str) -> anyhow::Result<()> {
    if let Some((db, secret)) = deployment(settings)? {
        let mut conn = db.conn()?;
        shared::open_beside(&mut conn, secret, &settings.data_dir)?;
        return Ok(shared::mark_compromised(&mut conn, secret, kid)?);
    }
    let mut keyring = Keyring::open_or_create(&settings.data_dir)?;
    keyring.mark_compromised(kid)?;
    Ok(())
}

/// A new secret for a deployment of several instances, to give to each of them.
pub fn secret() -> String {
    SigningSecret::generate()
}
