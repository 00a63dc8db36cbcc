//! Durable file writing for removable media (and central's copy of evidence from it): a file
//! appears under its final name only once its bytes are on the device, and large files are
//! streamed, never read whole into memory.

use std::io::{Read as _, Write as _};
use std::path::Path;

use ring::digest::{Context, SHA256};

/// Which side of a [`copy_hashed`] failed: reading the source or writing the copy.
#[derive(Debug)]
pub enum CopyError {
    /// The source could not be read (missing, not a regular file, I/O error).
    Read(std::io::Error),
    /// The copy could not be written (device full, removed, read-only).
    Write(std::io::Error),
}

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyError::Read(e) => write!(f, "reading: {e}"),
            CopyError::Write(e) => write!(f, "writing: {e}"),
        }
    }
}

impl std::error::Error for CopyError {}

/// Flushes a directory's entries (names created or renamed in it) to the device. Some file
/// systems cannot sync a directory; that is not an error here.
pub fn sync_dir(dir: &Path) {
    synaq_seal::fs::sync_dir(dir).ok();
}

/// Writes `bytes` to `path` through a temporary file (`NAME.partial`) flushed to the device
/// before the rename, then flushes the directory: after a crash or a pulled stick, `path`
/// holds the whole content or does not exist. The one helper, `synaq_seal::fs::write_atomic`.
pub use synaq_seal::fs::write_atomic as write_durably;

/// The size and SHA-256 (hex) of a file, read in 64 KiB steps.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut ctx = Context::new(&SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        ctx.update(&buf[..n]);
    }
    Ok((size, hex::encode(ctx.finish())))
}

/// Copies the regular file `src` to the new file `dst` (which must not exist) in 64 KiB
/// steps, flushing the copy to the device; returns the size and SHA-256 (hex) of the bytes
/// copied. A symbolic link or anything else that is not a regular file is refused.
pub fn copy_hashed(src: &Path, dst: &Path) -> Result<(u64, String), CopyError> {
    let meta = std::fs::symlink_metadata(src).map_err(CopyError::Read)?;
    if !meta.file_type().is_file() {
        return Err(CopyError::Read(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    let mut from = std::fs::File::open(src).map_err(CopyError::Read)?;
    let mut to = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dst)
        .map_err(CopyError::Write)?;
    let mut ctx = Context::new(&SHA256);
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        ctx.update(&buf[..n]);
        to.write_all(&buf[..n]).map_err(CopyError::Write)?;
        size += n as u64;
    }
    to.sync_all().map_err(CopyError::Write)?;
    Ok((size, hex::encode(ctx.finish())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_hashed_and_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("a");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&src, &data).unwrap();
        let dst = d.path().join("b");
        let (size, sha) = copy_hashed(&src, &dst).unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(sha, crate::sign::sha256_hex(&data));
        assert_eq!(std::fs::read(&dst).unwrap(), data);
        assert!(matches!(copy_hashed(&src, &dst), Err(CopyError::Write(_))));
        assert!(matches!(
            copy_hashed(&d.path().join("missing"), &d.path().join("c")),
            Err(CopyError::Read(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&src, d.path().join("link")).unwrap();
            assert!(matches!(
                copy_hashed(&d.path().join("link"), &d.path().join("d")),
                Err(CopyError::Read(_))
            ));
            assert!(!d.path().join("d").exists());
        }
    }

    #[test]
    fn a_durable_write_leaves_no_partial_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.synaqout");
        write_durably(&p, b"one").unwrap();
        write_durably(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        assert!(write_durably(&d.path().join("no/such/dir/x"), b"x").is_err());
    }
}
