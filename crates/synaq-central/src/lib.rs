//! The reference ЕУМЦ central service.
//!
//! - [`Central`]: the data directory (keys, SQLite WAL), the admin operations (branches,
//!   enrollment codes, staff, roster, banks, revocations), enrollment, pull, and the ingest of
//!   signed results ([`ingest`]) with its rules: certificates, retake windows, ОО statistics.
//! - [`http`]: the axum router (`/v1/enroll`, `/v1/pull`, `/v1/push`, certificates, `/v/{n}`),
//!   served over HTTPS only.
//! - [`tls`]: the self-signed TLS certificate kept in the data directory (kiosks pin its
//!   SHA-256 fingerprint) and the rustls listener.
//!
//! The central key is the issuer key (`synaq-seal`'s `IssuerSecret`): it signs banks, rosters,
//! kiosk certificates, receipts, every HTTP answer and the certificates' QR tokens, each with
//! its own domain string. A second key (`reader.key`, a kiosk-type key) lets central open the
//! banks it publishes to re-score results.
#![forbid(unsafe_code)]

pub mod backup;
pub mod certificate;
pub mod db;
pub mod evidence;
pub mod http;
pub mod ingest;
mod page;
pub mod pg;
pub mod portal;
mod pull;
pub mod refusal;
pub mod review;
pub mod sql;
pub mod store;
pub mod tls;
pub mod verdict;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::sql::{Conn, OptionalExtension as _};
use chrono::NaiveDate;
use ring::rand::{SecureRandom, SystemRandom};
use synaq_core::ExamBank;
use synaq_core::OfficeZone;
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::bank::{self, BankError};
use synaq_seal::keys::write_secret;
use synaq_seal::roster::RosterSource;
use synaq_seal::{IssuerPublic, IssuerSecret, KeyError, KioskPublic, KioskSecret, NoMarks};
use synaq_sync::proto::{EnrollRequest, KioskCertBody};
use synaq_sync::sign::{sha256_hex, Signed};
use synaq_sync::CentralPin;
use synaq_sync::{KioskCertificate, PROTOCOL_VERSION};

pub use ingest::Refusal;

/// The date at the instant `unix_ms` in the default office zone ([`OfficeZone::ALMATY`]);
/// a central with another zone uses [`Central::office_zone`].
pub fn local_date(unix_ms: i64) -> NaiveDate {
    OfficeZone::default().date_of_ms(unix_ms)
}

/// `YYYY-MM-DD HH:MM:SS` in the default office zone, for reports.
pub fn local_time(unix_ms: i64) -> String {
    OfficeZone::default().format_datetime_ms(unix_ms)
}

/// Unix seconds now.
pub fn unix_now() -> i64 {
    synaq_sync::client::unix_now()
}

/// How long a kiosk certificate is valid.
pub const KIOSK_CERT_DAYS: i64 = 730;
/// Wrong enrollment codes one address may send before it is slowed down.
pub const ENROLL_FREE_FAILURES: i64 = 3;
/// The longest wait between enrollment attempts from one address (1 hour).
pub const ENROLL_MAX_DELAY_SECS: i64 = 3600;
/// How long an enrollment code can be used.
pub const ENROLL_CODE_HOURS: i64 = 72;

/// Why a central operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CentralError {
    /// The database failed.
    #[error("central database error: {0}")]
    Db(String),
    /// A key file could not be read or written.
    #[error("central key: {0}")]
    Key(#[from] KeyError),
    /// A bank could not be published or opened.
    #[error("bank: {0}")]
    Bank(#[from] BankError),
    /// Something the operator named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Invalid input from the operator.
    #[error("{0}")]
    Invalid(String),
    /// Refused (enrollment, a bundle).
    #[error("{}: {}", .0.code(), .0)]
    Refused(Refusal),
    /// The evidence store failed.
    #[error("evidence store: {0}")]
    Store(#[from] store::StoreError),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl From<sql::SqlError> for CentralError {
    fn from(e: sql::SqlError) -> Self {
        CentralError::Db(e.to_string())
    }
}

/// File names inside the data directory.
pub const KEY_FILE: &str = "central.key";
/// The central public key (give it to kiosks: they trust answers, banks and QR codes by it).
pub const PUB_FILE: &str = "central.pub";
const READER_FILE: &str = "reader.key";
/// The database file inside the data directory.
pub const DB_FILE: &str = "central.sqlite3";
/// The file of the data directory that names its database (`sqlite` or the PostgreSQL
/// database's address, never a password).
pub const DATABASE_FILE: &str = "database";
/// The setting that records which central key a database belongs to.
const CENTRAL_KEY_SETTING: &str = "central_key";
/// The setting that records which evidence store a data directory uses.
const EVIDENCE_STORE_SETTING: &str = "evidence_store";
use evidence::EVIDENCE_DIR;

/// The central service's state: keys, database, opened banks.
pub struct Central {
    dir: PathBuf,
    key: IssuerSecret,
    reader: KioskSecret,
    base_url: String,
    db: sql::Db,
    banks: Mutex<HashMap<(String, u64), Arc<ExamBank>>>,
    zone: OfficeZone,
    /// Where sealed evidence is kept ([`store`]).
    evidence: store::EvidenceStore,
    /// The certificate renderer, loaded when the first PDF is needed.
    paper: OnceLock<synaq_paper::Paper>,
    /// Loads of the public verification page per client address.
    pub(crate) verify_limit: certificate::RateLimit,
}

impl std::fmt::Debug for Central {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Central")
            .field("dir", &self.dir)
            .field("key", &self.key.id())
            .finish_non_exhaustive()
    }
}

fn load_or_create<K>(
    path: &Path,
    load: impl Fn(&Path) -> Result<K, KeyError>,
    create: impl Fn() -> Result<(K, String), KeyError>,
) -> Result<K, KeyError> {
    if path.exists() {
        return load(path);
    }
    let (k, toml) = create()?;
    write_secret(path, &toml)?;
    Ok(k)
}

/// A random code of `n` characters from an alphabet without look-alikes.
fn random_code(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut b = vec![0u8; n];
    SystemRandom::new()
        .fill(&mut b)
        .expect("the system random generator works");
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

/// A roster entry to add (what a training organisation registered).
#[derive(Debug, Clone)]
pub struct NewRosterEntry {
    /// The branch where the person sits the check.
    pub branch: String,
    /// ИИН.
    pub iin: Iin,
    /// Full name.
    pub name: String,
    /// Category id.
    pub category: CategoryId,
    /// БИН of the training organisation.
    pub oo_bin: Bin,
    /// Its name.
    pub oo_name: String,
    /// 1 for the first attempt, 2 for a retake registration, …
    pub attempt: u32,
    /// First allowed day.
    pub allowed_from: NaiveDate,
    /// Last allowed day.
    pub allowed_to: NaiveDate,
}

/// What [`Central::install_issuer_key`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyInstall {
    /// The key was written as `central.key` (and `central.pub`).
    Installed,
    /// The very same key was already there: nothing changed.
    AlreadyThere,
}

impl Central {
    /// Installs `issuer_key` (an issuer secret key file) as central's key in `dir`, before the
    /// first [`Central::open`] would make a random one. The same key again changes nothing;
    /// a different key already there is refused (kiosks and banks trust the key in place).
    pub fn install_issuer_key(dir: &Path, issuer_key: &Path) -> Result<KeyInstall, CentralError> {
        let given = IssuerSecret::load(issuer_key)?;
        let key_path = dir.join(KEY_FILE);
        if key_path.exists() {
            let have = IssuerSecret::load(&key_path)?;
            if have.id() == given.id() {
                return Ok(KeyInstall::AlreadyThere);
            }
            return Err(CentralError::Invalid(format!(
                "{} already holds central key {}, not the given key {}: refusing to replace it (kiosks, banks and certificates trust the key in place); use another data directory",
                key_path.display(),
                have.id(),
                given.id()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|source| CentralError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        write_secret(&key_path, &given.to_toml())?;
        let pub_path = dir.join(PUB_FILE);
        synaq_seal::fs::write_atomic(&pub_path, given.public().to_toml().as_bytes()).map_err(
            |source| CentralError::Io {
                path: pub_path.display().to_string(),
                source,
            },
        )?;
        Ok(KeyInstall::Installed)
    }

    /// Opens the data directory `dir`, creating keys and database on first use. `base_url`
    /// is the public address put in QR codes (e.g. `https://verify.eumc.kz`). Evidence is kept
    /// in `<dir>/evidence` ([`Central::open_with`] for another store).
    pub fn open(dir: &Path, base_url: &str) -> Result<Central, CentralError> {
        Self::open_with(
            dir,
            base_url,
            store::EvidenceStore::local(dir.join(EVIDENCE_DIR)),
        )
    }

    /// [`Central::open`] with evidence kept in `evidence`. The store's identity (never its
    /// credentials) is recorded on first use; a data directory is not opened with another
    /// store, so that retention, backups and reviewers never look in the wrong place.
    pub fn open_with(
        dir: &Path,
        base_url: &str,
        evidence: store::EvidenceStore,
    ) -> Result<Central, CentralError> {
        Self::open_on(dir, base_url, evidence, &sql::Database::Sqlite)
    }

    /// [`Central::open_with`] keeping records in `database`. The data directory then holds
    /// the keys (and the TLS identity) only; every central process serving the same database
    /// and evidence store is given a copy of it. A data directory and a database stay
    /// together: a directory is not opened with another database than the one it was first
    /// used with, nor a database with another central key than the one it was made with.
    pub fn open_on(
        dir: &Path,
        base_url: &str,
        evidence: store::EvidenceStore,
        database: &sql::Database,
    ) -> Result<Central, CentralError> {
        Self::open_inner(dir, base_url, evidence, database, false)
    }

    /// `adopt`: record `evidence` as this directory's store whatever was recorded (a restore
    /// that copied the evidence into it).
    pub(crate) fn open_inner(
        dir: &Path,
        base_url: &str,
        evidence: store::EvidenceStore,
        database: &sql::Database,
        adopt: bool,
    ) -> Result<Central, CentralError> {
        std::fs::create_dir_all(dir).map_err(|source| CentralError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let key = load_or_create(&dir.join(KEY_FILE), IssuerSecret::load, || {
            let k = IssuerSecret::generate()?;
            let t = k.to_toml().to_string();
            Ok((k, t))
        })?;
        let pub_path = dir.join(PUB_FILE);
        if !pub_path.exists() {
            synaq_seal::fs::write_atomic(&pub_path, key.public().to_toml().as_bytes()).map_err(
                |source| CentralError::Io {
                    path: pub_path.display().to_string(),
                    source,
                },
            )?;
        }
        let reader = load_or_create(&dir.join(READER_FILE), KioskSecret::load, || {
            let k = KioskSecret::generate()?;
            let t = k.to_toml().to_string();
            Ok((k, t))
        })?;
        let db = Self::open_database(dir, database)?;
        let conn = db.conn();
        let key_id = key.id().to_string();
        match db::setting(&conn, CENTRAL_KEY_SETTING)? {
            Some(had) if had != key_id => {
                return Err(CentralError::Invalid(format!(
                    "the database {} belongs to central key {had}, not to {key_id} of {}: give the data directory (keys) that database was made with; nothing was changed",
                    database.identity(),
                    dir.display()
                )))
            }
            Some(_) => {}
            None => {
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                    params![CENTRAL_KEY_SETTING, key_id],
                )?;
            }
        }
        let identity = evidence.identity();
        match db::setting(&conn, EVIDENCE_STORE_SETTING)? {
            Some(had) if had != identity && !adopt => {
                return Err(CentralError::Invalid(format!(
                    "{} keeps its evidence in {had}, not {identity}: give the same --evidence (and S3 endpoint) as before; nothing was changed",
                    dir.display()
                )))
            }
            Some(had) if had == identity => {}
            _ => {
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![EVIDENCE_STORE_SETTING, identity],
                )?;
            }
        }
        drop(conn);
        Ok(Central {
            dir: dir.to_owned(),
            key,
            reader,
            base_url: base_url.trim_end_matches('/').to_owned(),
            db,
            banks: Mutex::new(HashMap::new()),
            zone: OfficeZone::default(),
            evidence,
            paper: OnceLock::new(),
            verify_limit: certificate::RateLimit::default(),
        })
    }

    /// Opens `database` for the data directory `dir`, which records the database it is used
    /// with (the file `database`) and is not opened with another.
    fn open_database(dir: &Path, database: &sql::Database) -> Result<sql::Db, CentralError> {
        let marker = dir.join(DATABASE_FILE);
        let identity = database.identity();
        // Directories from before PostgreSQL have no marker and a SQLite database.
        let had = match std::fs::read_to_string(&marker) {
            Ok(t) => Some(t.trim().to_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                dir.join(DB_FILE).exists().then(|| "sqlite".to_owned())
            }
            Err(source) => {
                return Err(CentralError::Io {
                    path: marker.display().to_string(),
                    source,
                })
            }
        };
        if let Some(had) = had.filter(|h| *h != identity) {
            return Err(CentralError::Invalid(format!(
                "{} keeps its records in {had}, not {identity}: give the same --database as before; nothing was changed",
                dir.display()
            )));
        }
        let db = match database {
            sql::Database::Sqlite => db::open(&dir.join(DB_FILE))?,
            sql::Database::Postgres(url) => db::open_postgres(url)?,
        };
        synaq_seal::fs::write_atomic(&marker, format!("{identity}\n").as_bytes()).map_err(
            |source| CentralError::Io {
                path: marker.display().to_string(),
                source,
            },
        )?;
        Ok(db)
    }

    /// Whether records are kept in PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.db.is_postgres()
    }

    /// The zone whose calendar dates exams, certificates and retake windows (default
    /// [`OfficeZone::ALMATY`]).
    pub fn office_zone(&self) -> OfficeZone {
        self.zone
    }

    /// Sets the office zone (a setting: `--office-zone` of `synaq-central`).
    pub fn with_office_zone(mut self, zone: OfficeZone) -> Central {
        self.zone = zone;
        self
    }

    /// The central public key kiosks trust.
    pub fn public(&self) -> IssuerPublic {
        self.key.public()
    }

    /// The central secret key (signing).
    pub fn key(&self) -> &IssuerSecret {
        &self.key
    }

    /// The public base URL used in QR codes.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Where sealed evidence is kept.
    pub fn evidence_store(&self) -> &store::EvidenceStore {
        &self.evidence
    }

    /// A connection to the database (SQLite's one, serialized, or one of PostgreSQL's pool).
    pub fn db(&self) -> Conn<'_> {
        self.db.conn()
    }

    // ---- admin ----

    /// Creates (or renames) a branch.
    pub fn add_branch(&self, code: &str, name: &str) -> Result<(), CentralError> {
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(CentralError::Invalid(format!(
                "branch code {code:?} must be letters, digits and '-', e.g. ALM-01"
            )));
        }
        self.db().execute(
            "INSERT INTO branches (code, name) VALUES (?1, ?2)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            params![code, name],
        )?;
        Ok(())
    }

    fn require_branch(conn: &Conn<'_>, code: &str) -> Result<(), CentralError> {
        let ok: Option<i64> = conn
            .query_row("SELECT 1 FROM branches WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .optional()?;
        ok.map(|_| ()).ok_or_else(|| {
            CentralError::NotFound(format!(
                "no branch {code}: create it first with `synaq-central admin branch-add`"
            ))
        })
    }

    /// Issues a one-time enrollment code for a branch (valid [`ENROLL_CODE_HOURS`]).
    pub fn enrollment_code(&self, branch: &str) -> Result<String, CentralError> {
        let conn = self.db();
        Self::require_branch(&conn, branch)?;
        let code = random_code(10);
        conn.execute(
            "INSERT INTO enroll_codes (code_hash, branch, expires) VALUES (?1, ?2, ?3)",
            params![
                sha256_hex(code.as_bytes()),
                branch,
                unix_now() + ENROLL_CODE_HOURS * 3600
            ],
        )?;
        Ok(code)
    }

    /// A fresh one-time code for `branch` in an enrollment file, signed by the central key:
    /// central's address `url`, its TLS fingerprint `pin`, the branch and the code. The branch
    /// admin enrolls a kiosk by picking this file on removable media.
    pub fn enrollment_file(
        &self,
        branch: &str,
        url: &str,
        pin: CentralPin,
    ) -> Result<Vec<u8>, CentralError> {
        let code = self.enrollment_code(branch)?;
        Ok(synaq_sync::enrollment::invite_file(
            &self.key, url, pin, branch, &code,
        ))
    }

    /// Adds or updates a staff member of a branch.
    pub fn set_staff(
        &self,
        branch: &str,
        id: &str,
        name: &str,
        role: &str,
        active: bool,
    ) -> Result<(), CentralError> {
        if role != "admin" && role != "proctor" {
            return Err(CentralError::Invalid(format!(
                "role {role:?} must be admin or proctor"
            )));
        }
        let conn = self.db();
        Self::require_branch(&conn, branch)?;
        let rev = db::next(&conn, "rev")?;
        conn.execute(
            "INSERT INTO staff (branch, id, name, role, active, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (branch, id) DO UPDATE SET name = excluded.name, role = excluded.role,
               active = excluded.active, rev = excluded.rev",
            params![branch, id, name, role, active, rev],
        )?;
        Ok(())
    }

    /// Adds a registration to the roster. Returns its id.
    pub fn add_roster_entry(&self, e: &NewRosterEntry) -> Result<i64, CentralError> {
        Ok(self.add_roster_entries(std::slice::from_ref(e))?[0])
    }

    /// One roster row at the next revision; returns its id.
    pub(crate) fn insert_roster(tx: &sql::Tx<'_>, e: &NewRosterEntry) -> Result<i64, CentralError> {
        let rev = db::next(tx, "rev")?;
        Ok(tx.query_row(
            "INSERT INTO roster (branch, iin, name, category, oo_bin, oo_name, attempt,
                allowed_from, allowed_to, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             RETURNING id",
            params![
                e.branch,
                e.iin.as_str(),
                e.name,
                e.category.as_str(),
                e.oo_bin.as_str(),
                e.oo_name,
                e.attempt,
                e.allowed_from.to_string(),
                e.allowed_to.to_string(),
                rev
            ],
            |r| r.get(0),
        )?)
    }

    /// Adds registrations to the roster in one transaction. Returns their ids.
    pub fn add_roster_entries(&self, entries: &[NewRosterEntry]) -> Result<Vec<i64>, CentralError> {
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let mut ids = Vec::with_capacity(entries.len());
        for e in entries {
            if e.allowed_to < e.allowed_from || e.attempt == 0 || e.name.trim().is_empty() {
                return Err(CentralError::Invalid(format!(
                    "roster entry for {}: it needs a name, attempt ≥ 1 and allowed_from ≤ allowed_to",
                    e.iin.masked()
                )));
            }
            Self::require_branch(&tx, &e.branch)?;
            ids.push(Self::insert_roster(&tx, e)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Adds every entry of a roster source (`docs/formats/roster.md`, the format of
    /// `synaq roster build`) to the roster of its branch. An entry already there (same person,
    /// category, attempt, window, ОО and name) is skipped, so importing twice adds nothing.
    /// Returns (added, already there).
    pub fn import_roster(&self, src: &RosterSource) -> Result<(usize, usize), CentralError> {
        let mut conn = self.db();
        let tx = conn.transaction()?;
        Self::require_branch(&tx, &src.branch)?;
        let (mut added, mut skipped) = (0, 0);
        for e in &src.entries {
            let there: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM roster WHERE branch = ?1 AND iin = ?2 AND category = ?3
                       AND attempt = ?4 AND allowed_from = ?5 AND allowed_to = ?6
                       AND oo_bin = ?7 AND name = ?8 LIMIT 1",
                    params![
                        src.branch,
                        e.iin.as_str(),
                        e.category.as_str(),
                        e.attempt,
                        e.allowed_from.to_string(),
                        e.allowed_to.to_string(),
                        e.oo_bin.as_str(),
                        e.name
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if there.is_some() {
                skipped += 1;
                continue;
            }
            Self::insert_roster(
                &tx,
                &NewRosterEntry {
                    branch: src.branch.clone(),
                    iin: e.iin.clone(),
                    name: e.name.clone(),
                    category: e.category.clone(),
                    oo_bin: e.oo_bin.clone(),
                    oo_name: e.oo_name.clone(),
                    attempt: e.attempt,
                    allowed_from: e.allowed_from,
                    allowed_to: e.allowed_to,
                },
            )?;
            added += 1;
        }
        tx.commit()?;
        Ok((added, skipped))
    }

    /// Offline enrollment: checks a kiosk's request file (its signature, then exactly the
    /// checks of `POST /v1/enroll`) and returns the certificate file to carry back, which also
    /// holds central's `url` and TLS `pin` for network sync later.
    pub fn enroll_offline(
        &self,
        request: &[u8],
        url: &str,
        pin: CentralPin,
        now: i64,
    ) -> Result<Vec<u8>, CentralError> {
        let req = synaq_sync::enrollment::open_request_file(request)
            .map_err(|e| CentralError::Invalid(format!("enrollment request: {e}")))?;
        let cert = self.enroll(&req, now).map_err(CentralError::Refused)?;
        Ok(synaq_sync::enrollment::certificate_file(
            &self.key, url, pin, cert,
        ))
    }

    /// Publishes a bank built with the central key: central adds its reader key as a
    /// recipient (to re-score results) and serves it to every enrolled kiosk on pull.
    pub fn publish_bank(&self, bytes: &[u8]) -> Result<(String, u64), CentralError> {
        let with_reader = bank::add_recipient(bytes, &self.key, &self.reader.public())?;
        let header = bank::verify(&with_reader, &self.key.public())?;
        let opened = self.open_bank(&with_reader, header.not_before)?;
        let conn = self.db();
        let rev = db::next(&conn, "rev")?;
        conn.execute(
            "INSERT INTO banks (series, version, bytes, published, rev) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (series, version) DO NOTHING",
            params![
                header.series,
                header.version as i64,
                with_reader,
                unix_now(),
                rev
            ],
        )?;
        self.banks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((header.series.clone(), header.version), opened);
        Ok((header.series, header.version))
    }

    fn open_bank(&self, bytes: &[u8], now: i64) -> Result<Arc<ExamBank>, CentralError> {
        let o = bank::open_unrecorded(bytes, &self.key.public(), &self.reader, now, &NoMarks)?;
        Ok(Arc::new(ExamBank::new(
            o.header.series,
            o.header.version,
            o.profile,
            o.content.questions,
        )))
    }

    /// The opened bank `series` v`version`, if central published it.
    pub fn bank(&self, series: &str, version: u64) -> Result<Option<Arc<ExamBank>>, CentralError> {
        let k = (series.to_owned(), version);
        if let Some(b) = self.banks.lock().unwrap_or_else(|p| p.into_inner()).get(&k) {
            return Ok(Some(Arc::clone(b)));
        }
        let bytes: Option<Vec<u8>> = self
            .db()
            .query_row(
                "SELECT bytes FROM banks WHERE series = ?1 AND version = ?2",
                params![series, version as i64],
                |r| r.get(0),
            )
            .optional()?;
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        let header = bank::verify(&bytes, &self.key.public())?;
        let b = self.open_bank(&bytes, header.not_before)?;
        self.banks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(k, Arc::clone(&b));
        Ok(Some(b))
    }

    /// Revokes a bank (a leaked or wrong bank): results made with it are refused from now on,
    /// and kiosks stop admitting examinees with it at their next pull.
    pub fn revoke_bank(&self, series: &str, version: u64) -> Result<(), CentralError> {
        let conn = self.db();
        let rev = db::next(&conn, "rev")?;
        let n = conn.execute(
            "UPDATE banks SET revoked = ?3, rev = ?4 WHERE series = ?1 AND version = ?2 AND revoked IS NULL",
            params![series, version as i64, unix_now(), rev],
        )?;
        if n == 0 {
            return Err(CentralError::NotFound(format!(
                "no published, unrevoked bank {series} v{version}"
            )));
        }
        Ok(())
    }

    /// Sets the oldest kiosk version ЕУМЦ accepts (`MAJOR.MINOR.PATCH`), or none: every kiosk
    /// learns it at its next pull, and an older one admits nobody until it is updated.
    pub fn set_min_kiosk_version(&self, version: Option<&str>) -> Result<(), CentralError> {
        let conn = self.db();
        match version.map(str::trim) {
            Some(v) => {
                if synaq_sync::proto::parse_version(v).is_none() {
                    return Err(CentralError::Invalid(format!(
                        "{v:?} is not a kiosk version (MAJOR.MINOR.PATCH, e.g. 0.2.0)"
                    )));
                }
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('min_kiosk_version', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [v],
                )?;
            }
            None => {
                conn.execute("DELETE FROM settings WHERE key = 'min_kiosk_version'", ())?;
            }
        }
        Ok(())
    }

    /// The oldest kiosk version ЕУМЦ accepts, if set.
    pub fn min_kiosk_version(&self) -> Result<Option<String>, CentralError> {
        Ok(db::setting(&self.db(), "min_kiosk_version")?)
    }

    /// Revokes a kiosk: its requests and results are refused from now on.
    pub fn revoke_kiosk(&self, kiosk_id: &str) -> Result<(), CentralError> {
        let conn = self.db();
        let rev = db::next(&conn, "rev")?;
        let n = conn.execute(
            "UPDATE kiosks SET revoked = ?2, rev = ?3 WHERE id = ?1",
            params![kiosk_id, unix_now(), rev],
        )?;
        if n == 0 {
            return Err(CentralError::NotFound(format!(
                "no enrolled kiosk {kiosk_id}"
            )));
        }
        Ok(())
    }

    /// Enrolls a kiosk with a one-time code; returns its certificate. Repeating the same
    /// request (the answer was lost) returns a new certificate for the same kiosk.
    pub fn enroll(&self, req: &EnrollRequest, now: i64) -> Result<KioskCertificate, Refusal> {
        let public =
            KioskPublic::from_toml(&req.kiosk_public).map_err(|e| Refusal::BadKioskKey {
                error: e.to_string(),
            })?;
        let id = public.id().to_string();
        let mut conn = self.db();
        // The code is read and spent in one transaction: two kiosks racing with one code (on
        // one central process or two) cannot both enroll.
        let tx = conn.transaction().map_err(Refusal::db)?;
        let row: (String, i64, Option<String>) = tx
            .query_row(
                "SELECT branch, expires, used_by FROM enroll_codes WHERE code_hash = ?1",
                [sha256_hex(req.code.trim().to_ascii_uppercase().as_bytes())],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(Refusal::db)
            .and_then(|r| r.ok_or(Refusal::EnrollCodeUnknown))?;
        let (branch, expires, used_by) = row;
        if branch != req.branch {
            return Err(Refusal::EnrollCodeOtherBranch {
                branch: req.branch.clone(),
            });
        }
        match used_by {
            Some(k) if k != id => return Err(Refusal::EnrollCodeUsed),
            None if now > expires => return Err(Refusal::EnrollCodeExpired),
            _ => {}
        }
        tx.execute(
            "UPDATE enroll_codes SET used_by = ?2 WHERE code_hash = ?1",
            params![
                sha256_hex(req.code.trim().to_ascii_uppercase().as_bytes()),
                id
            ],
        )
        .map_err(Refusal::db)?;
        tx.execute(
            "INSERT INTO kiosks (id, branch, ed25519, public_toml, enrolled) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO NOTHING",
            params![id, branch, public.ed25519.to_vec(), req.kiosk_public, now],
        )
        .map_err(Refusal::db)?;
        tx.commit().map_err(Refusal::db)?;
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        Ok(Signed::sign(
            KioskCertBody {
                v: PROTOCOL_VERSION,
                kiosk_id: id,
                branch,
                ed25519: b64.encode(public.ed25519),
                x25519: b64.encode(public.x25519),
                not_before: now,
                not_after: now + KIOSK_CERT_DAYS * 86_400,
                central_id: self.key.id().to_string(),
            },
            self.key.ed25519(),
        ))
    }

    /// [`Central::enroll`] from the network address `ip`: after [`ENROLL_FREE_FAILURES`]
    /// wrong codes from one address, each further attempt must wait twice as long as the
    /// one before (2 s, 4 s, … up to [`ENROLL_MAX_DELAY_SECS`]); attempts in the wait are
    /// refused `enroll-throttled` without looking at the code. A success forgets the address.
    /// A wrong code writes nothing but the address's counter.
    pub fn enroll_from(
        &self,
        ip: &str,
        req: &EnrollRequest,
        now: i64,
    ) -> Result<KioskCertificate, Refusal> {
        let row: Option<(i64, i64)> = self
            .db()
            .query_row(
                "SELECT failures, until FROM enroll_failures WHERE ip = ?1",
                [ip],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(Refusal::db)?;
        if let Some((_, until)) = row.filter(|r| r.1 > now) {
            return Err(Refusal::EnrollThrottled {
                retry_after_secs: until - now,
            });
        }
        match self.enroll(req, now) {
            Ok(c) => {
                self.db()
                    .execute("DELETE FROM enroll_failures WHERE ip = ?1", [ip])
                    .map_err(Refusal::db)?;
                Ok(c)
            }
            Err(r) if r.code().starts_with("enroll-code") => {
                let failures = row.map_or(0, |r| r.0) + 1;
                let delay = if failures > ENROLL_FREE_FAILURES {
                    (1i64 << (failures - ENROLL_FREE_FAILURES).min(20)).min(ENROLL_MAX_DELAY_SECS)
                } else {
                    0
                };
                self.db()
                    .execute(
                        "INSERT INTO enroll_failures (ip, failures, until) VALUES (?1, ?2, ?3)
                         ON CONFLICT (ip) DO UPDATE SET failures = excluded.failures, until = excluded.until",
                        params![ip, failures, now + delay],
                    )
                    .map_err(Refusal::db)?;
                Err(r)
            }
            Err(r) => Err(r),
        }
    }

    /// The kiosk's branch, Ed25519 key and revocation, if enrolled.
    pub fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, CentralError> {
        Ok(self
            .db()
            .query_row(
                "SELECT branch, ed25519, revoked FROM kiosks WHERE id = ?1",
                [id],
                |r| {
                    let ed: Vec<u8> = r.get(1)?;
                    Ok(KioskRow {
                        branch: r.get(0)?,
                        ed25519: ed.try_into().unwrap_or([0; 32]),
                        revoked: r.get::<_, Option<i64>>(2)?.is_some(),
                    })
                },
            )
            .optional()?)
    }

    /// Records a request nonce; `false` when it was seen before (a replay).
    pub fn use_nonce(&self, kiosk: &str, nonce: &str, now: i64) -> Result<bool, CentralError> {
        let n = self.db().execute(
            "INSERT INTO nonces (kiosk, nonce, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![kiosk, nonce, now],
        )?;
        Ok(n == 1)
    }

    /// Forgets nonces older than twice the allowed clock skew (they cannot pass the time check).
    pub fn prune_nonces(&self, now: i64) -> Result<(), CentralError> {
        self.db().execute(
            "DELETE FROM nonces WHERE at < ?1",
            [now - 2 * synaq_sync::sign::MAX_SKEW_SECS],
        )?;
        Ok(())
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// An enrolled kiosk as central knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskRow {
    /// Its branch.
    pub branch: String,
    /// Its Ed25519 key.
    pub ed25519: [u8; 32],
    /// Whether it was revoked.
    pub revoked: bool,
}
