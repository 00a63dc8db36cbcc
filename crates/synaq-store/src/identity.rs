//! The kiosk's own keys, never written to the journal or the database.
//!
//! An installed kiosk gets its key from systemd as the credential [`CREDENTIAL`], sealed at
//! rest with `systemd-creds` (TPM2, or the host key) and decrypted only into the service's
//! private credentials directory while it runs: when that credential is there it is the key,
//! and nothing is written. Otherwise (development, the demo, tools run on a copy of a data
//! directory) the key is `kiosk.key` in the data directory, created once with mode 0600.
//!
//! Creation is crash-safe: the key is written and synced under a temporary name, then linked
//! into place only if no key is there yet, so a kiosk killed mid-creation finds either no key
//! (and makes one) or the whole key — never a half-written file — and two processes starting
//! at once end up with the same key.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use synaq_seal::keys::write_secret;
use synaq_seal::{KeyError, KioskSecret};

/// File name of the kiosk's secret key inside the data directory.
pub const KEY_FILE: &str = "kiosk.key";
/// File name of its public key (for enrollment).
pub const PUB_FILE: &str = "kiosk.pub";

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The name of the systemd credential that holds the kiosk's secret key
/// (`LoadCredentialEncrypted=synaq-kiosk-key:…` in the kiosk's unit).
pub const CREDENTIAL: &str = "synaq-kiosk-key";

/// The kiosk key systemd handed this process (`$CREDENTIALS_DIRECTORY/synaq-kiosk-key`), if any.
pub fn credential() -> Option<PathBuf> {
    let dir = std::env::var_os("CREDENTIALS_DIRECTORY").filter(|d| !d.is_empty())?;
    let path = Path::new(&dir).join(CREDENTIAL);
    path.is_file().then_some(path)
}

/// Loads the kiosk key: the systemd credential when there is one, else `kiosk.key` in `dir`,
/// created on first start (the public key file is (re)written when it is missing).
pub fn load_or_create(dir: &Path) -> Result<KioskSecret, KeyError> {
    if let Some(sealed) = credential() {
        return KioskSecret::load(&sealed);
    }
    let path = dir.join(KEY_FILE);
    let key = if path.exists() {
        let key = KioskSecret::load(&path)?;
        remove_orphans(dir);
        key
    } else {
        create(&path)?
    };
    let public = dir.join(PUB_FILE);
    if !public.exists() {
        synaq_seal::fs::write_atomic(&public, key.public().to_toml().as_bytes())
            .map_err(io_err(&public))?;
    }
    Ok(key)
}

/// Removes temporary keys of creations that were cut short (the key is in place by now).
fn remove_orphans(dir: &Path) {
    let prefix = format!("{KEY_FILE}.new.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            // Best effort: a file that cannot be removed now is tried again next start.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn create(path: &Path) -> Result<KioskSecret, KeyError> {
    place(path, KioskSecret::generate()?)
}

/// Makes `key` this kiosk's identity when it has none yet (a key issued from outside, or the
/// demo's), as safely as a new one is made; returns the identity the kiosk has afterwards.
pub fn install(dir: &Path, key: KioskSecret) -> Result<KioskSecret, KeyError> {
    let path = dir.join(KEY_FILE);
    if path.exists() {
        return KioskSecret::load(&path);
    }
    place(&path, key)
}

/// Writes `key` whole under a temporary name (`kiosk.key.new.<pid>`), then links it into place
/// ([`write_secret`], `synaq_seal::fs`): a kill at any moment leaves either no key file or a
/// complete one, and an existing key is never replaced.
fn place(path: &Path, key: KioskSecret) -> Result<KioskSecret, KeyError> {
    match write_secret(path, &key.to_toml()) {
        Ok(()) => Ok(key),
        // Another process made the key first: there is one identity, and it is theirs.
        Err(KeyError::Io { source, .. }) if source.kind() == ErrorKind::AlreadyExists => {
            KioskSecret::load(path)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let second = load_or_create(dir.path()).unwrap();
        assert_eq!(
            first.public(),
            second.public(),
            "the same key on the second call"
        );
        assert_eq!(first.id(), second.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "kiosk.key mode {mode:o}");
        }
        let public = std::fs::read_to_string(dir.path().join(PUB_FILE)).unwrap();
        assert_eq!(public, first.public().to_toml());
        // Nothing is left under a temporary name.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn a_creation_cut_short_is_finished_by_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        // Killed after writing half a temporary key, before linking it into place.
        let stale = dir
            .path()
            .join(format!("{KEY_FILE}.new.{}", std::process::id()));
        std::fs::write(&stale, "kind = \"synaq").unwrap();
        let key = load_or_create(dir.path()).unwrap();
        assert!(!stale.exists());
        // Another process's temporary key, left when it was killed, goes at the next start.
        let orphan = dir.path().join(format!("{KEY_FILE}.new.4000000"));
        std::fs::write(&orphan, "kind = \"synaq").unwrap();
        assert_eq!(load_or_create(dir.path()).unwrap().public(), key.public());
        assert!(!orphan.exists());
        // Killed after the key was in place, before its public file was written.
        std::fs::remove_file(dir.path().join(PUB_FILE)).unwrap();
        let again = load_or_create(dir.path()).unwrap();
        assert_eq!(again.public(), key.public());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(PUB_FILE)).unwrap(),
            key.public().to_toml()
        );
    }
}
