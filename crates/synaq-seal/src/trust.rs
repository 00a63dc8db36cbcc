//! The kiosk's trusted state: the highest bank version seen per series (no rollback).
//!
//! Saved only after every other check of a bank has passed, and written atomically (temp
//! file, fsync, rename), so a crash never leaves a half-written trust file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where high-water marks live.
pub trait TrustStore {
    /// The highest version accepted so far for `series`.
    fn high_water(&self, series: &str) -> Option<u64>;
    /// Records `version` for `series` (only ever raised).
    fn record(&mut self, series: &str, version: u64) -> std::io::Result<()>;
}

/// A store with no high-water marks that records nothing: for reading a bank without being a
/// kiosk (`synaq bank verify`, central, fuzzing, tests), never for a kiosk's own state.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMarks;

impl TrustStore for NoMarks {
    fn high_water(&self, _series: &str) -> Option<u64> {
        None
    }

    fn record(&mut self, _series: &str, _version: u64) -> std::io::Result<()> {
        Ok(())
    }
}

/// High-water marks in a JSON file.
#[derive(Debug)]
pub struct FileTrustStore {
    path: PathBuf,
    marks: BTreeMap<String, u64>,
}

impl FileTrustStore {
    /// Opens (or starts) the store at `path`. A damaged file is an error, not an empty store:
    /// treating it as empty would let an old bank back in.
    pub fn open(path: &Path) -> std::io::Result<FileTrustStore> {
        let marks = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} is damaged: {e}", path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
        };
        Ok(FileTrustStore {
            path: path.to_owned(),
            marks,
        })
    }
}

impl TrustStore for FileTrustStore {
    fn high_water(&self, series: &str) -> Option<u64> {
        self.marks.get(series).copied()
    }

    fn record(&mut self, series: &str, version: u64) -> std::io::Result<()> {
        let entry = self.marks.entry(series.to_owned()).or_insert(version);
        *entry = (*entry).max(version);
        crate::fs::write_atomic(&self.path, &serde_json::to_vec_pretty(&self.marks)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_persist_and_only_rise() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trust.json");
        let mut s = FileTrustStore::open(&path).unwrap();
        assert_eq!(s.high_water("demo"), None);
        s.record("demo", 5).unwrap();
        s.record("demo", 3).unwrap();
        let s = FileTrustStore::open(&path).unwrap();
        assert_eq!(s.high_water("demo"), Some(5));
    }

    #[test]
    fn a_damaged_store_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trust.json");
        std::fs::write(&path, "{not json").unwrap();
        assert!(FileTrustStore::open(&path).is_err());
    }
}
