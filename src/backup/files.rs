//! Files in and out of a backup: copied with their SHA-256 (so a restore can tell a damaged
//! backup), flushed to disk, private to the service's account (the keys are among them).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One file of a backup: its path inside the backup (`/`-separated), size and SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Copied {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

pub fn is_empty_or_missing(dir: &Path) -> io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Copies every file under `from` (missing = nothing) to `to`, leaving out temporary files being
/// written; `inside` is `from`'s path inside the backup.
pub fn copy_tree(from: &Path, to: &Path, inside: &Path) -> io::Result<Vec<Copied>> {
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut copied = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        // tempfile's names: a file on its way to a rename, not yet anything's.
        if name.to_string_lossy().starts_with(".tmp") {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copied.extend(copy_tree(&entry.path(), &to.join(&name), &inside.join(&name))?);
        } else if kind.is_file() {
            let (bytes, sha256) = copy_file(&entry.path(), &to.join(&name))?;
            copied.push(Copied {
                path: slashed(&inside.join(&name)),
                bytes,
                sha256,
            });
        }
    }
    Ok(copied)
}

/// A file already in the backup (the database copy), described for the manifest.
pub fn describe(root: &Path, inside: &Path) -> io::Result<Copied> {
    let path = root.join(inside);
    let (bytes, sha256) = hash(&mut File::open(&path)?)?;
    File::open(&path)?.sync_all()?;
    Ok(Copied {
        path: slashed(inside),
        bytes,
        sha256,
    })
}

/// Checks that a manifest's file is in the backup as it was written, and names no place outside.
pub fn check(root: &Path, file: &Copied) -> Result<(), String> {
    let inside = Path::new(&file.path);
    if !inside.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!("{} is not a path inside the backup", file.path));
    }
    let mut reader = File::open(root.join(inside)).map_err(|e| format!("{}: {e}", file.path))?;
    let (bytes, sha256) = hash(&mut reader).map_err(|e| format!("{}: {e}", file.path))?;
    if bytes != file.bytes || sha256 != file.sha256 {
        return Err(format!("{} is not the file that was backed up", file.path));
    }
    Ok(())
}

/// Puts a checked file in its place in the data folder.
pub fn place(from: &Path, to: &Path) -> io::Result<()> {
    copy_file(from, to).map(|_| ())
}

pub fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn copy_file(from: &Path, to: &Path) -> io::Result<(u64, String)> {
    if let Some(parent) = to.parent() {
        crate::data_dir::prepare(parent)?;
    }
    let mut target = private_file(to)?;
    let mut hasher = Sha256::new();
    let mut source = File::open(from)?;
    let mut buffer = vec![0; 256 * 1024];
    let mut bytes = 0;
    loop {
        let read = source.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        target.write_all(&buffer[..read])?;
        bytes += read as u64;
    }
    target.sync_all()?;
    Ok((bytes, hex(&hasher.finalize())))
}

fn hash(reader: &mut impl Read) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let bytes = io::copy(reader, &mut hasher)?;
    Ok((bytes, hex(&hasher.finalize())))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A new file only the owner may read (0600 on Unix); an existing one is refused.
fn private_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_checked_and_a_changed_or_outside_file_refused() {
        let root = tempfile::tempdir().unwrap();
        let from = root.path().join("data/documents");
        std::fs::create_dir_all(from.join("c1")).unwrap();
        std::fs::write(from.join("c1/a.pdfpack"), b"pack").unwrap();
        std::fs::write(from.join("c1/.tmpXYZ"), b"half").unwrap();
        let backup = root.path().join("backup");
        let copied = copy_tree(&from, &backup.join("documents"), Path::new("documents")).unwrap();
        assert_eq!(copied.len(), 1, "temporary files are left out");
        assert_eq!(copied[0].path, "documents/c1/a.pdfpack");
        check(&backup, &copied[0]).unwrap();
        std::fs::write(backup.join("documents/c1/a.pdfpack"), b"pick").unwrap();
        assert!(check(&backup, &copied[0]).is_err(), "changed bytes are found");
        let outside = Copied {
            path: "../data/documents/c1/a.pdfpack".into(),
            ..copied[0].clone()
        };
        assert!(
            check(&backup, &outside).is_err(),
            "a path out of the backup is refused"
        );
    }
}
