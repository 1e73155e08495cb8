//! The data folder holds the SQLite database (every holder's name, school and e-mail), the PDFs
//! and the signing keys. Nobody but the service's own account has business there: the folder is
//! private (0700) and every file in it private to the owner (0600).
//!
//! Two things keep it so. The process's umask is 077 from the first line of `main`, so whatever
//! the service writes later (the database and its journal, packs of PDFs, backups, previews) is
//! born private, whoever writes it: our code, SQLite or a library. And at start-up what an older
//! version or an operator left open is tightened, folder and files, once.

use std::io;
use std::path::Path;

/// Makes every file and folder this process creates from now on private to its owner. Called
/// first thing in `main`, before any thread starts (the umask is the process's).
pub fn private_by_default() {
    #[cfg(unix)]
    // SAFETY: umask only changes the process's creation mask and cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Creates the folder if needed and makes sure only its owner may enter it (the folder alone:
/// cheap enough to call before every file written into it). Returns whether it was tightened.
pub fn prepare(path: &Path) -> io::Result<bool> {
    std::fs::create_dir_all(path)?;
    tighten_one(path)
}

/// Tightens the folder and everything below it: group and others lose every right. Returns how
/// many folders and files had to be tightened. Symbolic links are left alone (their own modes mean
/// nothing, and their targets are not ours).
pub fn tighten(path: &Path) -> io::Result<usize> {
    let mut tightened = usize::from(tighten_one(path)?);
    if std::fs::symlink_metadata(path)?.is_dir() {
        for entry in std::fs::read_dir(path)? {
            tightened += tighten(&entry?.path())?;
        }
    }
    Ok(tightened)
}

#[cfg(unix)]
fn tighten_one(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(path)?;
    let mode = meta.permissions().mode();
    if meta.file_type().is_symlink() || mode & 0o077 == 0 {
        return Ok(false);
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
    Ok(true)
}

#[cfg(not(unix))]
fn tighten_one(_: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_or_open_folder_and_its_files_become_private() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("a/data");
        prepare(&data).unwrap();
        assert_eq!(mode(&data), 0o700);

        // What an older version left: an open folder, a readable database, an open subfolder.
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let database = data.join("gramota.db");
        std::fs::write(&database, b"names").unwrap();
        std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
        let documents = data.join("documents/2026");
        std::fs::create_dir_all(&documents).unwrap();
        std::fs::set_permissions(&documents, std::fs::Permissions::from_mode(0o755)).unwrap();
        let pdf = documents.join("x.pdf");
        std::fs::write(&pdf, b"%PDF").unwrap();
        std::fs::set_permissions(&pdf, std::fs::Permissions::from_mode(0o664)).unwrap();

        assert_eq!(
            tighten(&data).unwrap(),
            5,
            "folder, database, two subfolders and PDF"
        );
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&database), 0o600);
        assert_eq!(mode(&documents), 0o700);
        assert_eq!(mode(&pdf), 0o600);
        assert_eq!(tighten(&data).unwrap(), 0, "nothing to do the second time");
    }
}
