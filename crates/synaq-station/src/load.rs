//! Where the kiosk's bank, keys and trusted state come from.
//!
//! A kiosk keeps its state in `SYNAQ_DATA_DIR` (default `$XDG_DATA_HOME/synaq`). Its secret
//! key is the systemd credential `synaq-kiosk-key` (sealed at rest by `systemd-creds`); ЕУМЦ's
//! public keys are `/etc/synaq/{issuer,evidence}.pub` (or `SYNAQ_ISSUER_PUB`,
//! `SYNAQ_EVIDENCE_PUB`); the bank and roster are the last imported ones (or `SYNAQ_BANK`,
//! `SYNAQ_ROSTER`). Only with `SYNAQ_DEMO=1` does it fall back to the demo bank, roster and
//! the clearly named demo keys from `assets/demo/`, built into the binary; otherwise a missing
//! key is said on the start screen and nothing is made up. The bank stays encrypted on disk;
//! it is decrypted into memory only.

use std::path::{Path, PathBuf};
use std::sync::Arc;
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

/// Where ЕУМЦ's public keys are installed on a kiosk PC (`synaq-kiosk` package).
pub const ETC_DIR: &str = "/etc/synaq";

/// What the environment says about the kiosk's keys, read once at start.
#[derive(Debug, Clone, Default)]
pub struct KeyEnv {
    /// `SYNAQ_DEMO=1` (`synaq-kiosk --demo`): the demo bank, roster and keys built into the
    /// binary may be used. Without it, nothing of the demo is.
    pub demo: bool,
    /// The kiosk key systemd handed the kiosk as a credential (sealed at rest).
    pub credential: Option<PathBuf>,
    /// `SYNAQ_KIOSK_KEY`: a key file given by hand (development and tests: it sits in clear).
    pub given: Option<PathBuf>,
    /// `SYNAQ_ISSUER_PUB`, else `/etc/synaq/issuer.pub` when it exists.
    pub issuer: Option<PathBuf>,
    /// `SYNAQ_EVIDENCE_PUB`, else `/etc/synaq/evidence.pub` when it exists.
    pub evidence: Option<PathBuf>,
}

impl KeyEnv {
    /// The process's environment.
    pub fn read() -> KeyEnv {
        let installed = |name: &str| {
            let p = Path::new(ETC_DIR).join(name);
            p.is_file().then_some(p)
        };
        KeyEnv {
            demo: std::env::var_os("SYNAQ_DEMO").is_some_and(|v| v == "1"),
            credential: synaq_store::identity::credential(),
            given: env_path("SYNAQ_KIOSK_KEY"),
            issuer: env_path("SYNAQ_ISSUER_PUB").or_else(|| installed("issuer.pub")),
            evidence: env_path("SYNAQ_EVIDENCE_PUB").or_else(|| installed("evidence.pub")),
        }
    }
}

/// The kiosk's keys, found once at start: its own secret key, and ЕУМЦ's issuer and evidence
/// public keys. Each may be missing, with the reason, and the kiosk says so on its start
/// screen instead of falling back to anything.
#[derive(Debug, Clone)]
pub struct Keys {
    /// Whether this is the demo (`SYNAQ_DEMO=1`).
    pub demo: bool,
    /// Where the kiosk's key came from, for people checking the PC (`--self-check`).
    pub kiosk_source: &'static str,
    kiosk: Result<Arc<KioskSecret>, LoadError>,
    issuer: Result<IssuerPublic, LoadError>,
    evidence: Result<synaq_proctor::EvidencePublic, LoadError>,
}

fn keys_error(code: Refusal, detail: String) -> LoadError {
    LoadError {
        code: code.into(),
        detail,
    }
}

impl Keys {
    /// The keys the process's environment names, with `dir` the kiosk's data directory.
    pub fn from_env(dir: &Path) -> Keys {
        Keys::resolve(dir, &KeyEnv::read())
    }

    /// The demo's keys (what `SYNAQ_DEMO=1` alone gives), for tests and the demo.
    pub fn demo(dir: &Path) -> Keys {
        Keys::resolve(
            dir,
            &KeyEnv {
                demo: true,
                ..KeyEnv::default()
            },
        )
    }

    /// The keys `env` names. The kiosk's secret key, in this order: the systemd credential; a
    /// key file given by hand (installed as the kiosk's identity on first start); the demo
    /// key, only in the demo; a `kiosk.key` already in `dir` that is not the demo's (a kiosk
    /// set up before keys were sealed). Otherwise there is none, and nothing is made in clear.
    pub fn resolve(dir: &Path, env: &KeyEnv) -> Keys {
        Keys::resolve_with(dir, env, true)
    }

    /// [`Keys::resolve`] that writes nothing: a key given by hand, or the demo's, is used
    /// without being installed (`synaq-kiosk --self-check`).
    pub fn resolve_read_only(dir: &Path, env: &KeyEnv) -> Keys {
        Keys::resolve_with(dir, env, false)
    }

    fn resolve_with(dir: &Path, env: &KeyEnv, install: bool) -> Keys {
        let kiosk_source = match (&env.credential, &env.given) {
            (Some(_), _) => "the sealed systemd credential",
            (None, Some(_)) => "SYNAQ_KIOSK_KEY (in clear: for development only)",
            (None, None) if env.demo => "the demo key (its secret is public)",
            (None, None) => "the data directory (in clear)",
        };
        Keys {
            demo: env.demo,
            kiosk_source,
            kiosk: kiosk_key_from(dir, env, install).map(Arc::new),
            issuer: issuer_from(env),
            evidence: evidence_from(env),
        }
    }

    /// The kiosk's own secret key.
    pub fn kiosk(&self) -> Result<Arc<KioskSecret>, LoadError> {
        self.kiosk.clone()
    }

    /// The ЕУМЦ issuer key this kiosk trusts (banks, rosters, central's answers).
    pub fn issuer(&self) -> Result<IssuerPublic, LoadError> {
        self.issuer.clone()
    }

    /// ЕУМЦ's evidence key (webcam frames are sealed to it).
    pub fn evidence(&self) -> Result<synaq_proctor::EvidencePublic, LoadError> {
        self.evidence.clone()
    }
}

fn read_key_file(path: &Path, what: &str) -> Result<String, LoadError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| {
            keys_error(
                Refusal::KioskKeys,
                format!("{what} {}: {e}", path.display()),
            )
        })
}

fn issuer_from(env: &KeyEnv) -> Result<IssuerPublic, LoadError> {
    let text = match (&env.issuer, env.demo) {
        (Some(path), _) => read_key_file(path, "the ЕУМЦ issuer key")?,
        (None, true) => DEMO_ISSUER_PUB.to_owned(),
        (None, false) => {
            return Err(keys_error(
                Refusal::EumcKeysMissing,
                format!(
                "no ЕУМЦ issuer key: {ETC_DIR}/issuer.pub is missing and SYNAQ_ISSUER_PUB is unset"
            ),
            ))
        }
    };
    IssuerPublic::from_toml(&text).map_err(|e| keys_error(Refusal::KioskKeys, e.to_string()))
}

fn evidence_from(env: &KeyEnv) -> Result<synaq_proctor::EvidencePublic, LoadError> {
    let text = match (&env.evidence, env.demo) {
        (Some(path), _) => read_key_file(path, "the evidence key")?,
        (None, true) => DEMO_EVIDENCE_PUB.to_owned(),
        (None, false) => {
            return Err(keys_error(
                Refusal::EumcKeysMissing,
                format!("no ЕУМЦ evidence key: {ETC_DIR}/evidence.pub is missing and SYNAQ_EVIDENCE_PUB is unset"),
            ))
        }
    };
    // `synaq keys gen --role evidence` key files, and the demo's one-line form.
    synaq_sync::evidence::parse_public(&text)
        .map_err(|e| keys_error(Refusal::KioskKeys, format!("the evidence public key: {e}")))
}

fn kiosk_key_from(dir: &Path, env: &KeyEnv, install: bool) -> Result<KioskSecret, LoadError> {
    let keys = |detail: String| keys_error(Refusal::KioskKeys, detail);
    if let Some(sealed) = &env.credential {
        return KioskSecret::load(sealed)
            .map_err(|e| keys(format!("the credential {}: {e}", sealed.display())));
    }
    let given = env
        .given
        .as_deref()
        .map(|p| KioskSecret::load(p).map_err(|e| keys(format!("{}: {e}", p.display()))))
        .transpose()?;
    let path = dir.join(synaq_store::identity::KEY_FILE);
    let demo_pub = KioskSecret::from_toml(DEMO_KIOSK_KEY)
        .map_err(|e| keys(e.to_string()))?
        .public()
        .to_toml();
    if !path.exists() {
        let install_key = match &given {
            Some(key) => KioskSecret::from_toml(&key.to_toml()),
            None if env.demo => KioskSecret::from_toml(DEMO_KIOSK_KEY),
            None => {
                return Err(keys_error(
                    Refusal::KioskKeyMissing,
                    format!(
                        "no kiosk key: no systemd credential {} (install synaq-kiosk-session), \
                         and not the demo (--demo)",
                        synaq_store::identity::CREDENTIAL
                    ),
                ))
            }
        }
        .map_err(|e| keys(e.to_string()))?;
        if !install {
            return Ok(install_key);
        }
        std::fs::create_dir_all(dir).map_err(|e| keys(e.to_string()))?;
        synaq_store::identity::install(dir, install_key).map_err(|e| keys(e.to_string()))?;
    }
    let key = KioskSecret::load(&path).map_err(|e| keys(format!("{}: {e}", path.display())))?;
    if given.is_some_and(|g| g.public().to_toml() != key.public().to_toml()) {
        return Err(keys(format!(
            "SYNAQ_KIOSK_KEY is not the key this kiosk already has in {}",
            path.display()
        )));
    }
    if !env.demo && key.public().to_toml() == demo_pub {
        return Err(keys_error(
            Refusal::KioskKeyMissing,
            format!(
                "{} is the demo kiosk key, whose secret is public: refused outside the demo",
                path.display()
            ),
        ));
    }
    Ok(key)
}

pub const DEMO_EVIDENCE_PUB: &str = include_str!("../../../assets/demo/keys/demo-evidence.pub");

/// Where an imported bank or roster is kept.
pub const BANK_FILE: &str = "bank.synaqbank";
pub const ROSTER_FILE: &str = "roster.synaqroster";

/// The file `var` names, else the one imported into `dir` as `name`, else (in the demo only)
/// the demo's.
fn read_chosen(
    var: &str,
    dir: &Path,
    name: &str,
    demo: Option<&[u8]>,
    code: Refusal,
) -> Result<Vec<u8>, LoadError> {
    let path = env_path(var).unwrap_or_else(|| dir.join(name));
    match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && env_path(var).is_none() => demo
            .map(<[u8]>::to_vec)
            .ok_or_else(|| keys_error(code, format!("{}: none yet", path.display()))),
        other => other.map_err(|e| keys_error(code, format!("{}: {e}", path.display()))),
    }
}

/// The bank: `SYNAQ_BANK`, else the last imported one, else (in the demo) the demo's.
pub fn bank_from_env(keys: &Keys, dir: &Path) -> Result<OpenedBank, LoadError> {
    let (kiosk, issuer) = (keys.kiosk()?, keys.issuer()?);
    let demo = keys.demo.then_some(DEMO_BANK);
    let bank = read_chosen("SYNAQ_BANK", dir, BANK_FILE, demo, Refusal::BankMissing)?;
    open(&bank, &issuer, &kiosk, dir, now())
}

/// The roster: `SYNAQ_ROSTER`, else the last imported one, else (in the demo) the demo's.
pub fn roster_from_env(keys: &Keys, dir: &Path) -> Result<crate::roster::LoadedRoster, LoadError> {
    let issuer = keys.issuer()?;
    let demo = keys.demo.then_some(DEMO_ROSTER);
    let bytes = read_chosen(
        "SYNAQ_ROSTER",
        dir,
        ROSTER_FILE,
        demo,
        Refusal::RosterMissing,
    )?;
    crate::roster::open(&bytes, &issuer, dir, now())
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
