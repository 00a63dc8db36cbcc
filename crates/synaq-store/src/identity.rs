//! The kiosk's own keys: created once, kept in the data directory with mode 0600, never
//! written to the journal or the database.

use std::path::Path;

use synaq_seal::keys::write_secret;
use synaq_seal::{KeyError, KioskSecret};

/// File name of the kiosk's secret key inside the data directory.
pub const KEY_FILE: &str = "kiosk.key";
/// File name of its public key (for enrollment).
pub const PUB_FILE: &str = "kiosk.pub";

/// Loads the kiosk key, or creates it on first start.
pub fn load_or_create(dir: &Path) -> Result<KioskSecret, KeyError> {
    let path = dir.join(KEY_FILE);
    if path.exists() {
        return KioskSecret::load(&path);
    }
    let key = KioskSecret::generate()?;
    write_secret(&path, &key.to_toml())?;
    std::fs::write(dir.join(PUB_FILE), key.public().to_toml()).map_err(|source| KeyError::Io {
        path: dir.join(PUB_FILE).display().to_string(),
        source,
    })?;
    Ok(key)
}
