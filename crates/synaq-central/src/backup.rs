//! Backup and restore of a central data directory (`synaq-central admin backup` / `restore`).
//!
//! A backup is a directory: a consistent snapshot of the database (`VACUUM INTO`, taken under
//! the connection's lock, so no half-written ingest), every other file of the data directory
//! (keys, the TLS identity kiosks pin, evidence), and `backup.json` listing each file with its
//! size and SHA-256. Restore checks every file against that list before it writes anything, and
//! writes only into an empty directory; then it opens the restored instance and counts what it
//! holds, so a backup that does not open is refused rather than left half-restored.
//!
//! Evidence comes from the evidence store: with the local store it is part of the data
//! directory; with S3 every completed attempt's evidence is read from the bucket into
//! `evidence/<attempt>/` of the backup (uploads still in progress are left out: their kiosks
//! still hold the files and send them again). A restore writes `evidence/<attempt>/…` into the
//! target's store (which must hold nothing yet) and reads every object back against the
//! manifest's SHA-256.
//!
//! The keys are copied as they are in the data directory (in clear today: keep backups where
//! the keys may be, or encrypt the medium).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::evidence::EVIDENCE_DIR;
use crate::sql::Database;
use crate::store::EvidenceStore;
use crate::{Central, CentralError, DB_FILE};

/// The manifest's file name inside a backup.
pub const MANIFEST: &str = "backup.json";

/// One file of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    /// Its path inside the data directory, `/`-separated.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// What `backup.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always `synaq-central-backup`.
    pub kind: String,
    /// Unix seconds.
    pub created: i64,
    /// Every file, the database snapshot included.
    pub files: Vec<BackupFile>,
}

const KIND: &str = "synaq-central-backup";

/// What a backup or a restore handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// Files written.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Certificates in the registry.
    pub certificates: i64,
    /// Results stored.
    pub results: i64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CentralError + '_ {
    move |source| CentralError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn sha256_of(path: &Path) -> Result<(u64, String), CentralError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
    Ok((bytes.len() as u64, hex::encode(digest)))
}

/// Every regular file under `root` (relative, `/`-separated, sorted), skipping `skip`.
fn files_under(root: &Path, skip: &[&str]) -> Result<Vec<String>, CentralError> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = rel.join(entry.file_name());
            let kind = entry.file_type().map_err(io(&dir))?;
            let text = name.to_string_lossy().replace('\\', "/");
            if kind.is_dir() {
                stack.push(name);
            } else if kind.is_file() && !skip.contains(&text.as_str()) {
                out.push(text);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn counts(c: &Central) -> Result<(i64, i64), CentralError> {
    let conn = c.db();
    let certificates = conn.query_row("SELECT count(*) FROM certificates", (), |r| r.get(0))?;
    let results = conn.query_row("SELECT count(*) FROM results", (), |r| r.get(0))?;
    Ok((certificates, results))
}

fn empty_or_absent(dir: &Path) -> Result<(), CentralError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(CentralError::Invalid(format!(
                "{} is not empty: give a new or empty directory (nothing was written)",
                dir.display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))
}

impl Central {
    /// Whether this instance can serve: the database answers and the evidence store takes,
    /// gives back and deletes a small object (`/readyz`).
    pub fn ready(&self) -> Result<(), CentralError> {
        self.db().query_row("SELECT 1", (), |_| Ok(()))?;
        Ok(self.evidence_store().probe()?)
    }

    /// Writes a backup of this instance into `out` (new or empty), with its manifest.
    pub fn backup(&self, out: &Path, now: i64) -> Result<BackupReport, CentralError> {
        empty_or_absent(out)?;
        let snapshot = out.join(DB_FILE);
        if self.on_postgres() {
            // The same SQLite file as the embedded database's backup: one moment of
            // PostgreSQL (a repeatable-read snapshot; ingest goes on) copied into it.
            let file = crate::db::open(&snapshot)?;
            let mut to = file.conn();
            let mut from = self.db();
            let read = from.snapshot()?;
            let write = to.transaction()?;
            crate::db::copy_tables(&read, &write)?;
            write.commit()?;
        } else {
            let conn = self.db();
            conn.execute("VACUUM INTO ?1", [snapshot.to_string_lossy().into_owned()])?;
        }
        // The database file lives in the data directory only with SQLite; the directory's
        // note of its database is written again by the restore, for the database it restores
        // into.
        let live_db = [
            DB_FILE.to_owned(),
            format!("{DB_FILE}-wal"),
            format!("{DB_FILE}-shm"),
            crate::DATABASE_FILE.to_owned(),
        ];
        let skip: Vec<&str> = live_db.iter().map(String::as_str).collect();
        for rel in files_under(self.dir(), &skip)? {
            let (from, to) = (self.dir().join(&rel), out.join(&rel));
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::copy(&from, &to).map_err(io(&from))?;
        }
        if self.evidence_store().is_s3() {
            // Every attempt whose evidence was received and not deleted by retention.
            let kept: Vec<String> = {
                let conn = self.db();
                let mut stmt = conn.prepare(
                    "SELECT attempt FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM reviews v
                       WHERE v.attempt = e.attempt AND v.action = 'evidence-deleted')
                     ORDER BY attempt",
                )?;
                let rows = stmt.query_map((), |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            for attempt in kept {
                let to = out.join(EVIDENCE_DIR).join(&attempt);
                self.evidence_store().export(&attempt, &to)?;
            }
        }
        let mut files = Vec::new();
        for rel in files_under(out, &[])? {
            let (size, sha256) = sha256_of(&out.join(&rel))?;
            files.push(BackupFile {
                path: rel,
                size,
                sha256,
            });
        }
        let manifest = Manifest {
            kind: KIND.into(),
            created: now,
            files,
        };
        let path = out.join(MANIFEST);
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serializes");
        synaq_seal::fs::write_atomic(&path, &json).map_err(io(&path))?;
        let (certificates, results) = counts(self)?;
        Ok(BackupReport {
            files: manifest.files.len(),
            bytes: manifest.files.iter().map(|f| f.size).sum(),
            certificates,
            results,
        })
    }

    /// Restores the backup in `from` into the data directory `to` (new or empty): every file
    /// is checked against the manifest first; then the instance is opened with `base_url`.
    /// Evidence goes to `<to>/evidence` ([`Central::restore_with`] for another store).
    pub fn restore(from: &Path, to: &Path, base_url: &str) -> Result<BackupReport, CentralError> {
        Self::restore_with(
            from,
            to,
            base_url,
            EvidenceStore::local(to.join(EVIDENCE_DIR)),
        )
    }

    /// [`Central::restore`] with the evidence written into `evidence` (which must hold
    /// nothing yet), each object read back and checked against the manifest's SHA-256.
    pub fn restore_with(
        from: &Path,
        to: &Path,
        base_url: &str,
        evidence: EvidenceStore,
    ) -> Result<BackupReport, CentralError> {
        Self::restore_on(from, to, base_url, evidence, &Database::Sqlite)
    }

    /// [`Central::restore_with`] with the records restored into `database`: SQLite (the
    /// backup's file becomes the data directory's database) or PostgreSQL (every row copied
    /// in one transaction into a database that holds none yet).
    pub fn restore_on(
        from: &Path,
        to: &Path,
        base_url: &str,
        evidence: EvidenceStore,
        database: &Database,
    ) -> Result<BackupReport, CentralError> {
        let path = from.join(MANIFEST);
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            CentralError::Invalid(format!(
                "{}: not a Synaq central backup ({e})",
                path.display()
            ))
        })?;
        if manifest.kind != KIND || !manifest.files.iter().any(|f| f.path == DB_FILE) {
            return Err(CentralError::Invalid(format!(
                "{}: not a Synaq central backup (no database listed)",
                path.display()
            )));
        }
        let on_disk = files_under(from, &[MANIFEST])?;
        let listed: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
        if let Some(extra) = on_disk.iter().find(|p| !listed.contains(&p.as_str())) {
            return Err(CentralError::Invalid(format!(
                "{}: {extra} is not in the backup's manifest; nothing was restored",
                from.display()
            )));
        }
        for f in &manifest.files {
            if f.path.split('/').any(|c| c == ".." || c.is_empty()) {
                return Err(CentralError::Invalid(format!(
                    "the backup names an unsafe path {:?}; nothing was restored",
                    f.path
                )));
            }
            let (size, sha256) = sha256_of(&from.join(&f.path))?;
            if size != f.size || sha256 != f.sha256 {
                return Err(CentralError::Invalid(format!(
                    "{}: {} changed since the backup was made (SHA-256 {sha256}, listed {}); nothing was restored",
                    from.display(),
                    f.path,
                    f.sha256
                )));
            }
        }
        empty_or_absent(to)?;
        if evidence.is_s3() && !evidence.is_empty()? {
            return Err(CentralError::Invalid(format!(
                "{} already holds objects: restore into an empty bucket or prefix (nothing was written)",
                evidence.describe()
            )));
        }
        let pg = match database {
            Database::Sqlite => None,
            Database::Postgres(url) => {
                let db = crate::db::open_postgres(url)?;
                if !crate::db::is_empty(&db.conn())? {
                    return Err(CentralError::Invalid(format!(
                        "{} already holds records: restore into an empty database (nothing was written)",
                        database.identity()
                    )));
                }
                Some(db)
            }
        };
        let s3 = evidence.is_s3();
        let restored = (|| {
            for f in &manifest.files {
                if pg.is_some() && f.path == DB_FILE {
                    continue;
                }
                let src = from.join(&f.path);
                let in_evidence = f
                    .path
                    .strip_prefix(&format!("{EVIDENCE_DIR}/"))
                    .and_then(|rest| rest.split_once('/'));
                if let (true, Some((attempt, path))) = (s3, in_evidence) {
                    if attempt.contains('.') {
                        // An upload or media copy in progress at the backup: not evidence yet.
                        continue;
                    }
                    let bytes = std::fs::read(&src).map_err(io(&src))?;
                    evidence.put_completed(attempt, path, &bytes)?;
                    let back = evidence.read(attempt, crate::store::Area::Upload, path)?;
                    let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, &back));
                    if sha != f.sha256 {
                        return Err(CentralError::Invalid(format!(
                            "{}: {} reads back with SHA-256 {sha}, the backup lists {}",
                            evidence.describe(),
                            f.path,
                            f.sha256
                        )));
                    }
                    continue;
                }
                let dst = to.join(&f.path);
                if let Some(parent) = dst.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::copy(&src, &dst).map_err(io(&src))?;
            }
            if let Some(pg) = &pg {
                // A copy of the backup's file, brought to this version's schema; the backup
                // itself is never written to.
                let work = to.join(format!("{DB_FILE}.restoring"));
                std::fs::copy(from.join(DB_FILE), &work).map_err(io(&work))?;
                let copied = (|| {
                    let file = crate::db::open(&work)?;
                    let (mut read, mut write) = (file.conn(), pg.conn());
                    let (read, write) = (read.snapshot()?, write.transaction()?);
                    crate::db::copy_tables(&read, &write)?;
                    write.commit()?;
                    Ok::<_, CentralError>(())
                })();
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
                }
                copied?;
            }
            counts(&Central::open_inner(
                to, base_url, evidence, database, true,
            )?)
        })();
        let (certificates, results) = match restored {
            Ok(c) => c,
            Err(e) => {
                // Leave the directory (and the database) as they were: empty.
                if let Some(pg) = &pg {
                    let _ = pg
                        .conn()
                        .execute_batch(&format!("TRUNCATE {}", crate::db::TABLES.join(", ")));
                }
                let _ = std::fs::remove_dir_all(to);
                let _ = std::fs::create_dir_all(to);
                return Err(e);
            }
        };
        Ok(BackupReport {
            files: manifest.files.len(),
            bytes: manifest.files.iter().map(|f| f.size).sum(),
            certificates,
            results,
        })
    }
}

impl Central {
    /// Evidence retention: deletes the sealed webcam evidence of exams certified (and still
    /// valid) whose evidence arrived more than `days` days before `now`. Held, rejected and
    /// revoked exams keep theirs for the people who decide. Each deletion is journalled in the
    /// review journal (`evidence-deleted`, by `retention`). Returns how many were deleted.
    pub fn prune_evidence(&self, days: u32, now: i64) -> Result<usize, CentralError> {
        let before = now - i64::from(days) * 86_400;
        let due: Vec<String> = {
            let conn = self.db();
            let mut stmt = conn.prepare(
                "SELECT e.attempt FROM evidence e
                 JOIN results r ON r.attempt = e.attempt
                 JOIN certificates c ON c.attempt = e.attempt
                 WHERE e.received < ?1 AND r.state = 'certified' AND c.status = 'valid'
                   AND NOT EXISTS (SELECT 1 FROM reviews v
                                   WHERE v.attempt = e.attempt AND v.action = 'evidence-deleted')
                 ORDER BY e.received",
            )?;
            let rows = stmt.query_map([before], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        for attempt in &due {
            self.evidence_store().delete(attempt)?;
            self.db().execute(
                "INSERT INTO reviews (attempt, action, reviewer, reason, at)
                 VALUES (?1, 'evidence-deleted', 'retention', ?2, ?3)",
                crate::params![attempt, format!("kept {days} days after it arrived"), now],
            )?;
        }
        Ok(due.len())
    }
}
