use crate::config::Settings;
use crate::trust::Keyring;

/// Lists the keys: id, status, creation time; the public halves are at /.well-known/gramota-keys.json.
pub fn list(settings: &Settings) -> anyhow::Result<Vec<String>> {
    let keyring = Keyring::open_or_create(&settings.data_dir)?;
    Ok(keyring
        .keys()
        .iter()
        .map(|k| {
            format!(
                "{}  {:<11}  {}",
                k.kid_hex(),
                format!("{:?}", k.status).to_lowercase(),
                k.created_at
            )
        })
        .collect())
}

/// Makes a new signing key; the old one is kept to verify what it signed.
pub fn rotate(settings: &Settings) -> anyhow::Result<String> {
    let mut keyring = Keyring::open_or_create(&settings.data_dir)?;
    Ok(keyring.rotate()?.kid_hex())
}

pub fn compromise(settings: &Settings, kid: &str) -> anyhow::Result<()> {
    let mut keyring = Keyring::open_or_create(&settings.data_dir)?;
    keyring.mark_compromised(kid)?;
    Ok(())
}
