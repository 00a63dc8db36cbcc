//! Sync with ЕУМЦ from the kiosk: enrollment (online, or by files on removable media), and
//! "Sync now": push the outbox, deliver sealed evidence, pull bank, roster, staff and
//! certificates.
//!
//! The network never runs under the kiosk's lock: a job takes what it needs, talks to central
//! on its own thread with its own database connection, and takes the lock only for a moment
//! to report progress and to put pulled files to use. An exam on this kiosk never waits for
//! the network.

use std::sync::Mutex;
use std::time::Duration;

use synaq_store::outbox::{Delivery, EvidenceState};
use synaq_sync::apply::MIN_KIOSK_VERSION;
use synaq_sync::client::{Progress, Stage};
use synaq_sync::enrollment::{self, Enrollment};
use synaq_sync::{Backoff, CentralPin, Client, PullResponse, SyncError};

use super::*;

/// Results per push request.
const BATCH: usize = 20;
pub(super) use synaq_sync::apply::CENTRAL_STAFF;
/// How often the kiosk syncs by itself while enrolled.
pub const AUTO_SYNC_EVERY: Duration = Duration::from_secs(10 * 60);

/// What the admin's sync screen shows between calls.
#[derive(Debug, Default)]
pub(super) struct SyncStatus {
    running: bool,
    progress: Option<Progress>,
    pulling: bool,
    last_ok_ms: Option<i64>,
    /// When a sync was last started (by the admin or by itself).
    last_try_ms: Option<i64>,
    offline: bool,
    error: Option<Code>,
    /// Per-item problems of the last sync (evidence of one attempt, a pulled file refused).
    problems: Vec<Code>,
    pulled: Vec<String>,
}

fn sync_code(e: &SyncError) -> Code {
    eprintln!("synaq-kiosk: sync: {e}");
    let r = match e {
        SyncError::Network { .. } => Refusal::SyncOffline,
        SyncError::WrongCentral { .. } => Refusal::WrongCentral,
        SyncError::UnsignedAnswer { .. } => Refusal::UnsignedAnswer,
        SyncError::Refused { code, .. } if code.starts_with("enroll-code-") => {
            Refusal::BadEnrollmentCode
        }
        SyncError::Refused { code, .. } if code == "kiosk-revoked" => Refusal::KioskRevoked,
        SyncError::Refused { code, .. } if code == "kiosk-not-enrolled" => Refusal::UnknownKiosk,
        SyncError::Refused { code, .. } if code == "stale-request" => Refusal::SyncClock,
        SyncError::Refused { .. } => Refusal::SyncRefused,
        SyncError::Store(e) => return e.to_code(),
        SyncError::BadReceipt(_) => Refusal::BadReceipt,
        SyncError::Media { .. } => Refusal::SyncMedia,
        _ => Refusal::SyncFailed,
    };
    r.into()
}

fn client_for(
    enrollment: &Enrollment,
    key: Arc<synaq_seal::KioskSecret>,
    issuer: &synaq_seal::IssuerPublic,
) -> Result<Client, SyncError> {
    // The admin is waiting at the screen: a few quick tries, then "offline".
    Ok(enrollment.client(key, issuer)?.with_backoff(Backoff {
        min: Duration::from_millis(300),
        max: Duration::from_secs(2),
        times: 2,
    }))
}

fn runtime() -> R<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("synaq-kiosk: runtime: {e}");
            Code::from(Refusal::SyncFailed)
        })
}

/// An enrollment the admin asked for, to run without the kiosk's lock.
pub struct EnrollJob {
    client: Client,
    branch: String,
    code: String,
}

impl std::fmt::Debug for EnrollJob {
    // The one-time code stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollJob")
            .field("central", &self.client.base_url())
            .field("branch", &self.branch)
            .finish_non_exhaustive()
    }
}

impl EnrollJob {
    /// Sends the kiosk's public keys with the one-time code; central's certificate comes back.
    pub async fn run(self) -> R<Enrollment> {
        let certificate = self
            .client
            .enroll(&self.branch, &self.code)
            .await
            .map_err(|e| sync_code(&e))?;
        Ok(Enrollment {
            url: self.client.base_url().to_owned(),
            pin: self.client.pin(),
            certificate,
            cursor: 0,
        })
    }
}

/// Removable media: export or import receipts, run off the kiosk's lock (evidence can be large).
#[derive(Debug)]
pub struct MediaJob {
    db: PathBuf,
    evidence: PathBuf,
    key: Arc<synaq_seal::KioskSecret>,
    central: synaq_seal::IssuerPublic,
    /// The office's time zone: the bundle's name carries the office's date and time.
    zone: OfficeZone,
}

impl MediaJob {
    /// Writes one signed bundle of everything not yet delivered (results and their sealed
    /// evidence) into `dir` on the removable media.
    pub fn export(self, dir: &str) -> R<MediaExport> {
        let conn = synaq_store::open_db(&self.db)?;
        let to = Path::new(dir.trim());
        if dir.trim().is_empty() || !to.is_dir() {
            return err(Refusal::FileUnreadable);
        }
        let now = crate::load::now();
        let r = synaq_sync::bundle::export_to(&conn, &self.key, &self.evidence, to, now)
            .map_err(|e| sync_code(&e))?;
        // A name people can read on the drive: the office's date and time first. (Central
        // finds the evidence folder beside it from the signed body, not from this name.)
        let path = r.path.map(|p| {
            let stamp = self
                .zone
                .datetime_of_ms(now * 1000)
                .format("%Y-%m-%d_%H-%M-%S");
            let readable = to.join(format!(
                "synaq-results-{stamp}-{}.{}",
                self.key.id(),
                synaq_sync::bundle::RESULTS_EXT
            ));
            match std::fs::rename(&p, &readable) {
                Ok(()) => readable,
                Err(e) => {
                    eprintln!("synaq-kiosk: naming {}: {e}", p.display());
                    p
                }
            }
        });
        Ok(MediaExport {
            results: r.results as u32,
            evidence: r.evidence_attempts as u32,
            megabytes: r.bytes as f64 / 1_048_576.0,
            path: path.map(|p| p.display().to_string()),
        })
    }

    /// Applies the receipts bundle ЕУМЦ wrote (each receipt verified; evidence deleted only
    /// after its own receipt).
    pub fn import_receipts(self, file: &str) -> R<MediaImport> {
        let conn = synaq_store::open_db(&self.db)?;
        let r = synaq_sync::bundle::import_receipts_from(
            &conn,
            &self.central,
            &self.key.id().to_string(),
            &self.evidence,
            Path::new(file.trim()),
        )
        .map_err(|e| sync_code(&e))?;
        Ok(MediaImport {
            delivered: r.delivered as u32,
            refused: r.refused as u32,
            unchanged: (r.unchanged + r.evidence_unchanged) as u32,
            evidence_delivered: r.evidence_delivered as u32,
            evidence_failed: r.evidence_failed.len() as u32,
        })
    }
}

/// A sync the admin started, to run on its own thread.
#[derive(Debug)]
pub struct SyncJob {
    db: PathBuf,
    evidence: PathBuf,
    client: Client,
    cursor: u64,
    /// Who started it: an admin's id, or `auto` for the kiosk's own.
    by: String,
}

impl SyncJob {
    /// Pushes results and evidence, then pulls; reports into the kiosk as it goes.
    pub fn run(self, kiosk: &Mutex<Station>) {
        let lock = || kiosk.lock().unwrap_or_else(|p| p.into_inner());
        let outcome = self.exchange(kiosk);
        let pulled = outcome.is_ok();
        let mut delivered = 0;
        {
            let mut k = lock();
            match outcome {
                Ok((problems, pull, sent)) => {
                    delivered = sent;
                    k.sync.problems = problems;
                    k.sync.last_ok_ms = Some(crate::load::now() * 1000);
                    let now = crate::load::now();
                    k.apply_pull(pull, now);
                }
                Err(e) => {
                    k.sync.offline = e.id() == Refusal::SyncOffline.code();
                    k.sync.error = (!k.sync.offline).then_some(e);
                }
            }
        }
        // The certificates' PDFs, for printing: those the pull announced and any an earlier
        // sync could not fetch.
        let pdf_problems = if pulled {
            self.fetch_pdfs()
        } else {
            Vec::new()
        };
        let mut k = lock();
        k.sync.problems.extend(pdf_problems);
        k.sync.running = false;
        k.sync.pulling = false;
        k.sync.progress = None;
        k.journal_sync(&self.by, delivered);
    }

    /// Downloads every announced certificate PDF the kiosk lacks, keeping each only when it
    /// hashes to what the signed pull said. Returns the problems met (the rest continue).
    fn fetch_pdfs(&self) -> Vec<Code> {
        let fetch = || -> R<Vec<Code>> {
            let rt = runtime()?;
            let conn = synaq_store::open_db(&self.db)?;
            let mut problems = Vec::new();
            for m in synaq_store::certificate::missing_pdfs(&conn)? {
                let got = rt.block_on(self.client.certificate_pdf(&m.number, m.copy, &m.sha256));
                let stored = got.map_err(|e| sync_code(&e)).and_then(|pdf| {
                    synaq_store::certificate::store_pdf(&conn, &m.number, m.copy, &pdf)
                        .map_err(Code::from)
                });
                if let Err(e) = stored {
                    eprintln!("synaq-kiosk: the PDF of certificate {}: {e}", m.number);
                    problems.push(Code::from(Refusal::CertificatePdfMissing));
                    break; // offline or refused: the next sync tries again
                }
            }
            Ok(problems)
        };
        fetch().unwrap_or_else(|e| vec![e])
    }

    fn exchange(&self, kiosk: &Mutex<Station>) -> R<(Vec<Code>, PullResponse, usize)> {
        let lock = || kiosk.lock().unwrap_or_else(|p| p.into_inner());
        let rt = runtime()?;
        let conn = synaq_store::open_db(&self.db)?;
        let mut report_progress = |p: Progress| lock().sync.progress = Some(p);
        let report = rt
            .block_on(synaq_sync::client::sync_all_on(
                &conn,
                &self.client,
                &self.evidence,
                BATCH,
                &mut report_progress,
            ))
            .map_err(|e| sync_code(&e))?;
        let problems = report
            .evidence_failed
            .iter()
            .map(|f| {
                eprintln!("synaq-kiosk: evidence of {}: {}", f.attempt, f.message);
                Code::from(if f.code == "evidence-missing" {
                    Refusal::EvidenceMissing
                } else {
                    Refusal::EvidenceRefused
                })
            })
            .collect();
        lock().sync.pulling = true;
        let pull = rt
            .block_on(self.client.pull(self.cursor))
            .map_err(|e| sync_code(&e))?;
        Ok((problems, pull, report.delivered))
    }
}

impl Station {
    /// Why ЕУМЦ lets nobody be admitted here for now, if it does: the bank in use is revoked,
    /// or this kiosk is older than ЕУМЦ's minimum version (an exam already running goes on).
    pub(super) fn admission_blocked(&mut self) -> Option<Code> {
        if self.bank_revoked() {
            return Some(Refusal::BankRevoked.into());
        }
        let minimum = self
            .engine
            .as_ref()
            .ok()
            .and_then(|e| e.settings().get(MIN_KIOSK_VERSION).ok().flatten())
            .filter(|m| !m.is_empty())?;
        synaq_sync::proto::older_than(VERSION, &minimum).then(|| {
            Code::from(Refusal::KioskTooOld)
                .arg("version", VERSION)
                .arg("minimum", minimum)
        })
    }

    /// Whether ЕУМЦ revoked the bank in use.
    pub(super) fn bank_revoked(&mut self) -> bool {
        let Some(id) = self.engine.as_ref().ok().and_then(|e| {
            let b = e.bank()?;
            Some(synaq_sync::apply::revoked_bank_key(&format!(
                "{}:{}",
                b.series, b.version
            )))
        }) else {
            return false;
        };
        self.engine
            .as_ref()
            .ok()
            .and_then(|e| e.settings().get(&id).ok().flatten())
            .is_some()
    }

    /// Admin: checks what was typed and prepares the enrollment (no network yet).
    pub fn enroll_prepare(
        &mut self,
        token: &str,
        url: &str,
        fingerprint: &str,
        branch: &str,
        code: &str,
    ) -> R<EnrollJob> {
        self.require_admin(token)?;
        let (url, branch, code) = (url.trim(), branch.trim(), code.trim());
        if url.is_empty() || branch.is_empty() || code.is_empty() || fingerprint.trim().is_empty() {
            return err(Refusal::MissingField);
        }
        let pin = CentralPin::parse(fingerprint.trim())
            .map_err(|_| Code::from(Refusal::BadFingerprint))?;
        let key = self.keys.kiosk()?;
        let issuer = self.keys.issuer()?;
        let client = Client::new(url, key, issuer, pin).map_err(|_| Code::from(Refusal::BadUrl))?;
        Ok(EnrollJob {
            client,
            branch: branch.to_owned(),
            code: code.to_owned(),
        })
    }

    /// Admin: reads ЕУМЦ's enrollment file (central's address, TLS pin, branch and one-time
    /// code, signed by ЕУМЦ) from removable media and prepares the enrollment: nothing typed.
    pub fn enroll_from_file(&mut self, token: &str, path: &str) -> R<EnrollJob> {
        self.require_admin(token)?;
        let bytes = Self::read_import(path)?;
        let issuer = self.keys.issuer()?;
        let invite = enrollment::read_invite_file(&bytes, &issuer).map_err(|e| {
            eprintln!("synaq-kiosk: enrollment file {}: {e}", path.trim());
            Code::from(Refusal::BadEnrollmentFile)
        })?;
        let key = self.keys.kiosk()?;
        let client = Client::new(&invite.url, key, issuer, invite.pin)
            .map_err(|_| Code::from(Refusal::BadUrl))?;
        Ok(EnrollJob {
            client,
            branch: invite.branch,
            code: invite.code,
        })
    }

    /// Admin: stores the enrollment central signed.
    pub fn enroll_finish(&mut self, token: &str, enrollment: R<Enrollment>) -> R<SyncView> {
        let me = self.require_admin(token)?;
        let enrollment = enrollment?;
        let engine = self.engine()?;
        enrollment
            .save(engine.connection())
            .map_err(|e| sync_code(&e))?;
        engine.settings().set("branch", enrollment.branch())?;
        engine.journal_staff_action(
            Kind::Enrolled,
            &serde_json::json!({
                "by": me,
                "branch": enrollment.branch(),
                "kiosk": enrollment.kiosk_id(),
                "central": enrollment.url,
            }),
        )?;
        self.sync_view(token)
    }

    /// Admin, offline: writes the signed enrollment request to removable media.
    pub fn enroll_request_file(
        &mut self,
        token: &str,
        dir: &str,
        branch: &str,
        code: &str,
    ) -> R<String> {
        let me = self.require_admin(token)?;
        if branch.trim().is_empty() || code.trim().is_empty() || dir.trim().is_empty() {
            return err(Refusal::MissingField);
        }
        let key = self.keys.kiosk()?;
        let bytes = enrollment::request_file(&key, branch.trim(), code.trim());
        let path =
            Path::new(dir.trim()).join(format!("kiosk-{}.{}", key.id(), enrollment::REQUEST_EXT));
        std::fs::write(&path, bytes).map_err(|e| {
            eprintln!("synaq-kiosk: {}: {e}", path.display());
            Code::from(Refusal::ExportFailed)
        })?;
        let file = path.display().to_string();
        self.journal_staff(
            Kind::Exported,
            serde_json::json!({ "by": me, "what": "enrollment_request", "file": file }),
        )?;
        Ok(file)
    }

    /// Admin, offline: reads the certificate file ЕУМЦ sent back and stores the enrollment.
    pub fn enroll_import(&mut self, token: &str, path: &str, branch: &str) -> R<SyncView> {
        self.require_admin(token)?;
        let bytes = Self::read_import(path)?;
        let key = self.keys.kiosk()?;
        let issuer = self.keys.issuer()?;
        let enrollment = enrollment::read_certificate_file(&bytes, &issuer, &key, branch)
            .map_err(|e| sync_code(&e))?;
        self.enroll_finish(token, Ok(enrollment))
    }

    /// Admin: starts a sync unless one runs; the caller runs the job on another thread.
    pub fn sync_start(&mut self, token: &str) -> R<Option<SyncJob>> {
        let me = self.require_admin(token)?;
        if self.sync.running {
            return Ok(None);
        }
        self.sync.last_try_ms = Some(crate::load::now() * 1000);
        let job = self.start_job(&me)?;
        self.journal_staff(Kind::SyncStarted, serde_json::json!({ "by": me }))?;
        Ok(Some(job))
    }

    /// Journals how a sync ended. The kiosk's own syncs every few minutes are journalled only
    /// when they changed something or failed for a reason other than no network, so the
    /// journal is not filled with "nothing to do".
    fn journal_sync(&mut self, by: &str, delivered: usize) {
        let s = &self.sync;
        let error = s.error.as_ref().map(|e| e.id().to_owned());
        let eventful =
            delivered > 0 || !s.pulled.is_empty() || !s.problems.is_empty() || error.is_some();
        if by == "auto" && !eventful {
            return;
        }
        let data = serde_json::json!({
            "by": by,
            "ok": s.error.is_none() && !s.offline,
            "offline": s.offline,
            "error": error,
            "delivered": delivered,
            "pulled": s.pulled,
            "problems": s.problems.iter().map(|p| p.id().to_owned()).collect::<Vec<_>>(),
        });
        if let Err(e) = self.journal_staff(Kind::SyncFinished, data) {
            eprintln!("synaq-kiosk: journalling the sync: {e}");
        }
    }

    /// Admin: journals what an export to removable media wrote, and passes its outcome on.
    pub fn media_exported(&mut self, token: &str, done: R<MediaExport>) -> R<MediaExport> {
        let me = self.require_admin(token)?;
        let out = done?;
        self.journal_staff(
            Kind::Exported,
            serde_json::json!({
                "by": me, "what": "results", "file": out.path,
                "results": out.results, "evidence": out.evidence,
            }),
        )?;
        Ok(out)
    }

    /// Admin: journals what ЕУМЦ's receipts from removable media changed, and passes it on.
    pub fn receipts_imported(
        &mut self,
        token: &str,
        file: &str,
        done: R<MediaImport>,
    ) -> R<MediaImport> {
        let me = self.require_admin(token)?;
        let name = Path::new(file.trim())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match &done {
            Ok(r) => self.journal_staff(
                Kind::ReceiptsImported,
                serde_json::json!({
                    "by": me, "file": name, "delivered": r.delivered, "refused": r.refused,
                    "evidence_delivered": r.evidence_delivered,
                }),
            )?,
            Err(e) => self.journal_staff(
                Kind::ImportRefused,
                serde_json::json!({ "by": me, "file": name, "code": e.id() }),
            )?,
        }
        done
    }

    fn start_job(&mut self, by: &str) -> R<SyncJob> {
        let enrollment = Enrollment::load(self.engine()?.connection())
            .map_err(|e| sync_code(&e))?
            .ok_or(Code::from(Refusal::NotEnrolled))?;
        let key = self.keys.kiosk()?;
        let issuer = self.keys.issuer()?;
        let client = client_for(&enrollment, key, &issuer).map_err(|e| sync_code(&e))?;
        self.sync.running = true;
        self.sync.error = None;
        self.sync.offline = false;
        self.sync.progress = None;
        self.sync.problems.clear();
        self.sync.pulled.clear();
        Ok(SyncJob {
            db: self.dir.join("kiosk.sqlite3"),
            evidence: self.dir.join("evidence"),
            client,
            cursor: enrollment.cursor,
            by: by.to_owned(),
        })
    }

    /// Admin: prepares an export to, or a receipts import from, removable media.
    pub fn media_prepare(&mut self, token: &str) -> R<MediaJob> {
        self.require_admin(token)?;
        self.engine()?;
        Ok(MediaJob {
            db: self.dir.join("kiosk.sqlite3"),
            evidence: self.dir.join("evidence"),
            key: self.keys.kiosk()?,
            central: self.keys.issuer()?,
            zone: self.zone,
        })
    }

    /// Admin: sends a refused result again (after ЕУМЦ fixed what it refused it for).
    pub fn requeue(&mut self, token: &str, attempt: &str) -> R<SyncView> {
        self.require_admin(token)?;
        self.engine()?.requeue(attempt)?;
        self.sync_view(token)
    }

    /// The background sync: every [`AUTO_SYNC_EVERY`] while enrolled, without anyone asking.
    pub fn auto_sync(&mut self, now_ms: i64) -> Option<SyncJob> {
        let due = self
            .sync
            .last_try_ms
            .is_none_or(|t| now_ms - t >= AUTO_SYNC_EVERY.as_millis() as i64);
        if self.sync.running || !due {
            return None;
        }
        self.sync.last_try_ms = Some(now_ms);
        self.start_job("auto").ok()
    }

    /// Admin: a certificate ЕУМЦ issued for an exam on this kiosk, with its QR code.
    pub fn certificate(&mut self, token: &str, number: &str) -> R<CertificateView> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        let c = engine
            .certificates()?
            .into_iter()
            .find(|c| c.number == number)
            .ok_or(Code::from(Refusal::NoCertificate))?;
        let category = CategoryId::new(&c.category)
            .ok()
            .and_then(|id| engine.bank()?.profile.category(&id).cloned());
        let svg = qrcode::QrCode::with_error_correction_level(&c.qr, qrcode::EcLevel::M)
            .map_err(|e| {
                eprintln!("synaq-kiosk: QR for {number}: {e}");
                Code::from(Refusal::NoCertificate)
            })?
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(220, 220)
            .build();
        Ok(CertificateView {
            number: c.number,
            name: c.name,
            masked_iin: c.iin_masked,
            category_number: category.as_ref().map_or(0, |c| c.number),
            category_name: category.as_ref().map_or_else(
                || LocalizedName {
                    kk: c.category.clone(),
                    ru: c.category.clone(),
                    en: c.category.clone(),
                },
                |c| (&c.name).into(),
            ),
            issued: c.issued,
            valid_until: c.valid_until,
            status: c.status,
            qr_svg: format!("data:image/svg+xml;base64,{}", B64.encode(svg)),
            qr_text: c.qr,
            pdf_ready: engine.certificate_pdf(number, false)?.is_some(),
            prints: engine.prints_of(number)?,
        })
    }

    /// Puts what a pull brought to use: a bank (not while an exam is open: the next sync
    /// brings it again), the roster, staff who left, certificates. The cursor moves only when
    /// everything was applied.
    fn apply_pull(&mut self, pull: PullResponse, now: i64) {
        let mut complete = true;
        let mut pulled = Vec::new();
        for bank in &pull.banks {
            let label = format!("{} v{}", bank.series, bank.version);
            if self.bank_label.as_ref().is_some_and(|(l, _)| *l == label) {
                continue; // already in use (e.g. the demo bank the kiosk started with)
            }
            if self.exam_open() {
                complete = false;
                self.sync.problems.push(Code::from(Refusal::BankWaits));
                continue;
            }
            let bytes = B64.decode(&bank.bank).unwrap_or_default();
            match self.install_bank(&bytes, now) {
                Ok(v) => pulled.push(format!("{} v{}", v.name, v.version)),
                Err(e) => self.sync.problems.push(e),
            }
        }
        if let Some(roster) = &pull.roster {
            let bytes = B64.decode(roster).unwrap_or_default();
            match self.install_roster(&bytes, now) {
                Ok(v) => pulled.push(format!("{} v{}", v.name, v.version)),
                Err(e) => self.sync.problems.push(e),
            }
        }
        let Ok(engine) = self.engine() else { return };
        let applied = synaq_sync::apply::apply_records(
            engine.connection(),
            &pull,
            &engine.kiosk_id(),
            complete,
        );
        let mut errors: Vec<Code> = applied.errors.iter().map(sync_code).collect();
        if applied.kiosk_revoked {
            errors.push(Refusal::KioskRevoked.into());
        }
        self.sync.problems.extend(errors);
        self.sync.pulled = pulled;
    }

    /// ЕУМЦ's word on a delivered pass it has not certified: waiting for the webcam
    /// evidence, or held for a reviewer with its reasons, in the admin's language.
    fn pending_reason(&self, receipt: &str) -> Option<String> {
        let receipt: synaq_sync::Receipt = serde_json::from_str(receipt).ok()?;
        let synaq_sync::proto::Decision::Pending { state, reasons } = receipt.body.decision else {
            return None;
        };
        if state != "held" {
            return Some(self.l10n.text(self.lang, "result-awaiting-evidence"));
        }
        let reasons: Vec<String> = reasons
            .iter()
            .map(|r| {
                let key = format!("hold-{r}");
                if self.l10n.has(self.lang, &key) {
                    self.l10n.text(self.lang, &key)
                } else {
                    r.clone()
                }
            })
            .collect();
        let code = Code::new("result-held").arg("reasons", reasons.join("; "));
        Some(self.l10n.message(self.lang, &code))
    }

    /// Admin: enrollment, the last sync, and every result's way to ЕУМЦ.
    pub fn sync_view(&mut self, token: &str) -> R<SyncView> {
        self.require_admin(token)?;
        let zone = self.zone;
        let engine = self.engine()?;
        let conn = engine.connection();
        let enrollment = Enrollment::load(conn).map_err(|e| sync_code(&e))?;
        let mut entries = engine.outbox_status()?;
        entries.sort_by_key(|e| std::cmp::Reverse(e.finished_wall_ms));
        let queued = entries
            .iter()
            .filter(|e| matches!(e.delivery, Delivery::Queued))
            .count() as u32;
        // Whose exam each was: the roster's name, else the name on its certificate.
        let certificates = engine.certificates()?;
        let numbers: std::collections::HashMap<String, u32> = engine
            .bank()
            .map(|b| {
                b.profile
                    .categories_in_order()
                    .into_iter()
                    .map(|c| (c.id.to_string(), c.number))
                    .collect()
            })
            .unwrap_or_default();
        let roster = self.roster.as_ref().ok();
        let results = entries
            .into_iter()
            .map(|e| {
                let iin = Iin::parse(&e.iin).ok();
                let name = iin
                    .as_ref()
                    .and_then(|i| roster.and_then(|r| r.name_of(i)))
                    .or_else(|| {
                        certificates
                            .iter()
                            .find(|c| c.attempt == e.attempt)
                            .map(|c| c.name.clone())
                    });
                let (state, reason) = match e.delivery {
                    Delivery::Queued => (DeliveryState::Queued, None),
                    Delivery::Delivered { receipt, .. } if e.certificate.is_none() => {
                        // What ЕУМЦ decided, when it has not certified (yet).
                        (DeliveryState::Delivered, self.pending_reason(&receipt))
                    }
                    Delivery::Delivered { .. } => (DeliveryState::Delivered, None),
                    Delivery::Refused { code, reason, .. } => {
                        // ЕУМЦ's stable code, in the admin's language when the kiosk knows it.
                        let key = format!("refusal-{code}");
                        let text = if self.l10n.has(self.lang, &key) {
                            self.l10n.text(self.lang, &key)
                        } else {
                            format!("{code}: {reason}")
                        };
                        (DeliveryState::Refused, Some(text))
                    }
                };
                ResultSyncRow {
                    attempt: e.attempt,
                    name,
                    masked_iin: iin.map_or_else(|| "************".to_owned(), |i| i.masked()),
                    category_number: numbers.get(&e.category).copied().unwrap_or(0),
                    passed: e.passed,
                    percent_milli: e.percent_milli,
                    finished: office_time(zone, e.finished_wall_ms),
                    state,
                    reason,
                    evidence: match e.evidence {
                        EvidenceState::None => EvidenceDelivery::None,
                        EvidenceState::Queued => EvidenceDelivery::Queued,
                        EvidenceState::Delivered { .. } => EvidenceDelivery::Delivered,
                    },
                    certificate: e.certificate,
                }
            })
            .collect();
        let s = &self.sync;
        let (stage, done, total) = match (s.pulling, s.progress) {
            (true, _) => (Some(SyncStage::Pull), 0.0, 0.0),
            (false, Some(p)) => (
                Some(match p.stage {
                    Stage::Results => SyncStage::Results,
                    Stage::Evidence => SyncStage::Evidence,
                }),
                p.done as f64,
                p.total as f64,
            ),
            (false, None) => (None, 0.0, 0.0),
        };
        let view = SyncView {
            enrollment: enrollment.map(|e| EnrollmentView {
                url: e.url.clone(),
                fingerprint: e.pin.to_string(),
                branch: e.branch().to_owned(),
                kiosk_id: e.kiosk_id().to_owned(),
                valid_until: office_time(zone, e.certificate.body.not_after * 1000),
            }),
            running: s.running,
            stage,
            done,
            total,
            last_sync: s.last_ok_ms.map(|ms| office_time(zone, ms)),
            offline: s.offline,
            error: s.error.clone().map(|e| self.translate(e)),
            problems: s
                .problems
                .iter()
                .map(|e| self.translate(e.clone()))
                .collect(),
            pulled: s.pulled.clone(),
            queued,
            results,
        };
        Ok(view)
    }
}
