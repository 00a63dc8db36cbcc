//! The one way Synaq writes a file that must survive a crash, a power cut or a pulled stick:
//! the bytes go to a temporary file, which is flushed to the device (fsync) and only then put
//! under its final name, and the directory is flushed so the name itself is durable. A reader
//! finds either the whole new content or what was there before, never a half-written file.
//!
//! It lives here because `synaq-seal` is the lowest crate that writes files (key files, the
//! trust store); the store, sync, proctor and CLI crates all depend on it.

use std::ffi::OsString;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

/// How [`write_atomic_with`] puts a file in place. [`WriteOptions::default`] is what
/// [`write_atomic`] does: replace, temporary file `NAME.partial`, default permissions.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The temporary file (in the same directory as the target); `None`: `NAME.partial`.
    /// Callers that recover leftovers after a crash name it the way their recovery expects.
    pub temp: Option<PathBuf>,
    /// Unix permission bits of the new file, e.g. `0o600` for a secret key; `None`: the
    /// process's default (umask). Ignored on other systems.
    pub mode: Option<u32>,
    /// Never replace an existing file: the temporary file is hard-linked to the target, which
    /// fails with [`ErrorKind::AlreadyExists`] when something is there, even when two
    /// processes race. Otherwise the temporary file is renamed over the target.
    pub create_new: bool,
}

/// Writes `bytes` to `path` atomically and durably, replacing what was there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, &WriteOptions::default())
}

/// Writes `bytes` to `path` atomically and durably, as `options` say. On any error the
/// temporary file is removed and `path` is as it was.
pub fn write_atomic_with(path: &Path, bytes: &[u8], options: &WriteOptions) -> std::io::Result<()> {
    let tmp = match &options.temp {
        Some(t) => t.clone(),
        None => {
            let mut name: OsString = path.file_name().unwrap_or_default().to_os_string();
            name.push(".partial");
            path.with_file_name(name)
        }
    };
    // Left over from a write that was cut short: start afresh, so `mode` applies.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let placed = write_synced(&tmp, bytes, options.mode).and_then(|()| {
        if options.create_new {
            link_new(&tmp, path)
        } else {
            std::fs::rename(&tmp, path)
        }
    });
    // After a link (or a failure) the temporary name is still there; after a rename it is not.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != ErrorKind::NotFound && placed.is_ok() => return Err(e),
        _ => {}
    }
    placed?;
    match path.parent() {
        Some(dir) => sync_dir(dir),
        None => Ok(()),
    }
}

fn write_synced(tmp: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut f = opts.open(tmp)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Puts `tmp` at `path` only when nothing is there.
fn link_new(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links (FAT on a stick): check, then rename. Only there
        // can two processes racing for the same new name both succeed.
        Err(_) if !path.exists() => std::fs::rename(tmp, path),
        Err(_) => Err(std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        )),
    }
}

/// Flushes a directory's entries (names created, renamed or linked in it) to the device. A
/// file system that cannot sync a directory (it answers "invalid argument" or "unsupported")
/// is not an error; any other failure is.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        Err(e) if matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported) => Ok(()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
        let err = write_atomic(&d.path().join("no/such/dir/x"), b"x").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn a_stale_temporary_file_is_replaced() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a");
        std::fs::write(d.path().join("a.partial"), b"half of an old write").unwrap();
        write_atomic(&p, b"whole").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"whole");
        assert!(!d.path().join("a.partial").exists());
    }

    #[test]
    fn create_new_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("k");
        let opts = WriteOptions {
            temp: Some(d.path().join("k.new.1")),
            mode: Some(0o600),
            create_new: true,
        };
        write_atomic_with(&p, b"first", &opts).unwrap();
        let err = write_atomic_with(&p, b"second", &opts).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        assert!(!d.path().join("k.new.1").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
