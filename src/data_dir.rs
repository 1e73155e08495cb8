//! The data folder holds the SQLite database (every holder's name, school and e-mail), the PDFs
//! and the signing keys. Nobody but the service's own account has business there, so the folder
//! is made private (0700) when it is created, and tightened at start-up if it was left open:
//! with the folder closed, what is inside cannot be reached whatever its own modes are.

use std::io;
use std::path::Path;

/// Creates the folder if needed and makes sure only its owner may enter it. Returns whether the
/// modes had to be tightened (so the caller can say so).
pub fn prepare(path: &Path) -> io::Result<bool> {
    std::fs::create_dir_all(path)?;
    private(path)
}

#[cfg(unix)]
fn private(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(false);
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    Ok(true)
}

#[cfg(not(unix))]
fn private(_: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_or_open_folder_becomes_private() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("a/data");
        prepare(&data).unwrap();
        assert_eq!(
            std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700
        );
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(prepare(&data).unwrap(), "tightened");
        assert_eq!(
            std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert!(!prepare(&data).unwrap(), "nothing to do the second time");
    }
}
