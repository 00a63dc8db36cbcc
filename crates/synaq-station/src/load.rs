//! Where the kiosk's bank, keys and trusted state come from.
//!
//! A kiosk reads its bank file, its own secret key and the trusted ЕУМЦ issuer key from the
//! paths in `SYNAQ_BANK`, `SYNAQ_KIOSK_KEY` and `SYNAQ_ISSUER_PUB`, and keeps trusted state in
//! `SYNAQ_DATA_DIR` (default `$XDG_DATA_HOME/synaq`). Without them it runs the demo: the demo
//! bank and the clearly named demo keys from `assets/demo/`, built into the binary. The bank
//! stays encrypted on disk; it is decrypted into memory only.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use synaq_seal::bank::{self, OpenedBank};
use synaq_seal::{FileTrustStore, IssuerPublic, KioskSecret};

pub use crate::error::LoadError;
use crate::station::Refusal;
use synaq_core::Code;

pub const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
pub const DEMO_ISSUER_PUB: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
pub const DEMO_ROSTER: &[u8] = include_bytes!("../../../assets/demo/demo.synaqroster");
pub const DEMO_KIOSK_KEY: &str = include_str!("../../../assets/demo/keys/demo-kiosk.key");

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn read_or(var: &str, demo: &[u8], code: Refusal) -> Result<Vec<u8>, LoadError> {
    match env_path(var) {
        Some(p) => std::fs::read(&p).map_err(|e| LoadError {
            code: code.into(),
            detail: format!("{}: {e}", p.display()),
        }),
        None => Ok(demo.to_vec()),
    }
}

/// The directory for the kiosk's own state.
pub fn data_dir() -> PathBuf {
    env_path("SYNAQ_DATA_DIR")
        .or_else(|| env_path("XDG_DATA_HOME").map(|d| d.join("synaq")))
        .or_else(|| env_path("HOME").map(|h| h.join(".local/share/synaq")))
        .unwrap_or_else(|| PathBuf::from("synaq-data"))
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The ЕУМЦ issuer key this kiosk trusts.
pub fn issuer_from_env() -> Result<IssuerPublic, LoadError> {
    let issuer = read_or(
        "SYNAQ_ISSUER_PUB",
        DEMO_ISSUER_PUB.as_bytes(),
        Refusal::KioskKeys,
    )?;
    IssuerPublic::from_toml(&String::from_utf8_lossy(&issuer)).map_err(|e| LoadError {
        code: Refusal::KioskKeys.into(),
        detail: e.to_string(),
    })
}

/// The kiosk's one identity, kept as `kiosk.key` in its data directory: the key banks are
/// issued to and results are signed with (the store signs with the same file). On first start
/// it is `SYNAQ_KIOSK_KEY`'s key when that is set, the demo kiosk key when the kiosk trusts the
/// demo issuer (the demo bank is issued to it), and otherwise a new key made here. Afterwards a
/// `SYNAQ_KIOSK_KEY` naming another key is refused: one kiosk, one identity.
pub fn kiosk_key(dir: &Path) -> Result<KioskSecret, LoadError> {
    kiosk_key_from(
        dir,
        env_path("SYNAQ_KIOSK_KEY").as_deref(),
        env_path("SYNAQ_ISSUER_PUB").is_none(),
    )
}

/// [`kiosk_key`] with its environment spelled out: the key file given, if any, and whether the
/// kiosk trusts the demo issuer.
pub fn kiosk_key_from(
    dir: &Path,
    given: Option<&Path>,
    demo_issuer: bool,
) -> Result<KioskSecret, LoadError> {
    let keys = |detail: String| LoadError {
        code: Refusal::KioskKeys.into(),
        detail,
    };
    let given = given
        .map(|p| KioskSecret::load(p).map_err(|e| keys(format!("{}: {e}", p.display()))))
        .transpose()?;
    let path = dir.join(synaq_store::identity::KEY_FILE);
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|e| keys(e.to_string()))?;
        let install = match &given {
            Some(key) => Some(KioskSecret::from_toml(&key.to_toml())),
            None if demo_issuer => Some(KioskSecret::from_toml(DEMO_KIOSK_KEY)),
            // A real kiosk: the store makes its own key below.
            None => None,
        };
        if let Some(key) = install {
            let key = key.map_err(|e| keys(e.to_string()))?;
            synaq_store::identity::install(dir, key).map_err(|e| keys(e.to_string()))?;
        }
    }
    let key = synaq_store::identity::load_or_create(dir).map_err(|e| keys(e.to_string()))?;
    if given.is_some_and(|g| g.public().to_toml() != key.public().to_toml()) {
        return Err(keys(format!(
            "SYNAQ_KIOSK_KEY is not the key this kiosk already has in {}",
            path.display()
        )));
    }
    Ok(key)
}

pub const DEMO_EVIDENCE_PUB: &str = include_str!("../../../assets/demo/keys/demo-evidence.pub");

/// ЕУМЦ's evidence key (frames are sealed to it): `SYNAQ_EVIDENCE_PUB` or the demo's.
pub fn evidence_public() -> Result<synaq_proctor::EvidencePublic, LoadError> {
    let text = read_or(
        "SYNAQ_EVIDENCE_PUB",
        DEMO_EVIDENCE_PUB.as_bytes(),
        Refusal::KioskKeys,
    )?;
    // `synaq keys gen --role evidence` key files, and the demo's one-line form.
    synaq_sync::evidence::parse_public(&String::from_utf8_lossy(&text)).map_err(|e| LoadError {
        code: Refusal::KioskKeys.into(),
        detail: format!("the evidence public key: {e}"),
    })
}

/// Where an imported bank or roster is kept.
pub const BANK_FILE: &str = "bank.synaqbank";
pub const ROSTER_FILE: &str = "roster.synaqroster";

/// The bank: `SYNAQ_BANK`, else the last imported one, else the demo's.
pub fn load_from_env() -> Result<OpenedBank, LoadError> {
    let dir = data_dir();
    let imported = dir.join(BANK_FILE);
    let bank = match env_path("SYNAQ_BANK") {
        None if imported.exists() => std::fs::read(&imported).map_err(|e| LoadError {
            code: Refusal::BankMissing.into(),
            detail: e.to_string(),
        })?,
        _ => read_or("SYNAQ_BANK", DEMO_BANK, Refusal::BankMissing)?,
    };
    open(&bank, &issuer_from_env()?, &kiosk_key(&dir)?, &dir, now())
}

/// The roster: `SYNAQ_ROSTER`, else the last imported one, else the demo's.
pub fn roster_from_env() -> Result<crate::roster::LoadedRoster, LoadError> {
    let dir = data_dir();
    let imported = dir.join(ROSTER_FILE);
    let bytes = match env_path("SYNAQ_ROSTER") {
        None if imported.exists() => std::fs::read(&imported).map_err(|e| LoadError {
            code: Refusal::RosterMissing.into(),
            detail: e.to_string(),
        })?,
        _ => read_or("SYNAQ_ROSTER", DEMO_ROSTER, Refusal::RosterMissing)?,
    };
    crate::roster::open(&bytes, &issuer_from_env()?, &dir, now())
}

/// Opens `bank` for this kiosk and raises its high-water mark in `dir`.
pub fn open(
    bank: &[u8],
    issuer: &IssuerPublic,
    kiosk: &KioskSecret,
    dir: &Path,
    now: i64,
) -> Result<OpenedBank, LoadError> {
    open_then(bank, issuer, kiosk, dir, now, || Ok(()))
}

/// [`open`], with `keep` run after every check passed and before the bank's version is
/// recorded as trusted: a bank that could not be kept does not raise the high-water mark
/// (which would make the kiosk refuse the bank it still has as a rollback).
pub fn open_then(
    bank: &[u8],
    issuer: &IssuerPublic,
    kiosk: &KioskSecret,
    dir: &Path,
    now: i64,
    keep: impl FnOnce() -> Result<(), LoadError>,
) -> Result<OpenedBank, LoadError> {
    let store_err = |e: std::io::Error| LoadError {
        code: Refusal::BankTrustStore.into(),
        detail: format!("{}: {e}", dir.display()),
    };
    std::fs::create_dir_all(dir).map_err(store_err)?;
    let mut trust = FileTrustStore::open(&dir.join("trust.json")).map_err(store_err)?;
    let bank_err = |e: bank::BankError| LoadError {
        code: Code::new(e.code()),
        detail: e.to_string(),
    };
    let opened = bank::open_unrecorded(bank, issuer, kiosk, now, &trust).map_err(bank_err)?;
    keep()?;
    use synaq_seal::TrustStore as _;
    trust
        .record(&opened.header.series, opened.header.version)
        .map_err(store_err)?;
    Ok(opened)
}
