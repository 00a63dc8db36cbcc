//! The kiosk's logic behind the commands: sessions and roles, the exam engine, the roster.
//! Every public method takes the caller's token and checks its role first; the Tauri commands
//! in `lib.rs` are one-line calls into here, so tests exercise exactly what the window calls.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use synaq_core::{Category, CategoryId, Iin, Lang, QuestionKind};
use synaq_i18n::Localizer;
use synaq_seal::OpenedBank;
use synaq_store::engine::{FinishReason, State};
use synaq_store::staff::StaffRole;
use synaq_store::{Clock, Engine, ExamBank, StoreError};

use crate::ipc::*;
use crate::load::LoadError;

mod camera;
mod refusal;
mod sync;

pub use refusal::Refusal;
pub use synaq_core::Code;
pub use sync::{EnrollJob, MediaJob, SyncJob};

/// Reasons a proctor may give, from the incident list.
pub const INCIDENTS: [&str; 7] = [
    "identity-doubt",
    "phone-or-notes",
    "talking",
    "left-seat",
    "technical-fault",
    "health",
    "other",
];

/// Who a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Examinee,
    Proctor(String),
    Admin(String),
}

#[derive(Debug)]
struct SessionEntry {
    token: String,
    role: Role,
}

/// The examinee on the kiosk now, as the roster names them.
#[derive(Debug, Clone)]
struct Examinee {
    name: String,
    masked_iin: String,
}

/// Everything the window's commands act on.
pub struct Station {
    l10n: Localizer,
    lang: Lang,
    /// The kiosk's store and exam engine (an error only when the store itself cannot open).
    engine: Result<Engine, Code>,
    /// Why no exam is possible (no bank, an expired or refused one): only admission needs one.
    bank_problem: Option<Code>,
    media: Arc<std::collections::BTreeMap<String, Vec<u8>>>,
    roster: Result<crate::roster::LoadedRoster, Code>,
    sessions: Vec<SessionEntry>,
    examinee: Option<Examinee>,
    allow_exit: bool,
    dir: PathBuf,
    bank_label: Option<(String, i64)>,
    /// Webcam proctoring, previews and evidence.
    camera: camera::CameraState,
    /// The last and the running sync with ЕУМЦ.
    sync: sync::SyncStatus,
}

impl std::fmt::Debug for Station {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Station")
            .field("sessions", &self.sessions.len())
            .finish_non_exhaustive()
    }
}

impl From<LoadError> for Code {
    fn from(e: LoadError) -> Self {
        e.code
    }
}

type R<T> = Result<T, Code>;

fn err<T>(r: Refusal) -> R<T> {
    Err(r.into())
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    SystemRandom::new()
        .fill(&mut b)
        .expect("the system random generator works");
    hex::encode(b)
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Running => "running",
        State::Paused => "paused",
        State::Interrupted => "interrupted",
        State::Finished => "finished",
    }
}

fn ms(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Station {
    /// A kiosk over an opened (or refused) bank, keeping its state in `dir`.
    pub fn new(
        bank: Result<OpenedBank, LoadError>,
        roster: Result<crate::roster::LoadedRoster, LoadError>,
        dir: &Path,
        clock: Arc<dyn Clock>,
    ) -> Result<Station, synaq_i18n::I18nError> {
        let mut kiosk = Station {
            l10n: Localizer::new()?,
            lang: Lang::Kk,
            engine: Engine::open_store(dir, Arc::clone(&clock)).map_err(Code::from),
            bank_problem: None,
            media: Arc::default(),
            roster: roster.map_err(Code::from),
            sessions: Vec::new(),
            examinee: None,
            allow_exit: false,
            dir: dir.to_owned(),
            bank_label: None,
            camera: camera::CameraState::from_env(),
            sync: sync::SyncStatus::default(),
        };
        kiosk.use_bank(bank.map_err(Code::from));
        Ok(kiosk)
    }

    /// Puts an opened bank to use, or records why there is none. The store stays open either
    /// way: staff, sync, imports and the journal never need a bank.
    fn use_bank(&mut self, bank: R<OpenedBank>) {
        let problem = match (bank, self.engine.as_mut()) {
            (Err(e), _) => Some(e),
            (Ok(_), Err(e)) => Some(e.clone()),
            (Ok(b), Ok(engine)) => {
                let label = (
                    format!("{} v{}", b.header.series, b.header.version),
                    b.header.not_after,
                );
                let exam_bank = Arc::new(ExamBank::new(
                    b.header.series,
                    b.header.version,
                    b.profile,
                    b.content.questions,
                ));
                match engine.use_bank(exam_bank) {
                    Ok(()) => {
                        self.bank_label = Some(label);
                        self.media = Arc::new(b.content.media);
                        None
                    }
                    Err(e) => Some(Code::from(e)),
                }
            }
        };
        if let Some(e) = &problem {
            eprintln!("synaq-kiosk: no exam possible: {e}");
        }
        self.bank_problem = problem;
    }

    /// The engine with a bank in use: admission and exams need one.
    fn exam_engine(&mut self) -> R<&mut Engine> {
        if let Some(problem) = &self.bank_problem {
            return Err(problem.clone());
        }
        self.engine()
    }

    /// Formats an error code with its arguments in the current language.
    pub fn translate(&self, e: Code) -> IpcError {
        IpcError {
            message: self.l10n.message(self.lang, &e),
            args: e.args.iter().map(|(k, v)| (k.clone(), v.into())).collect(),
            code: e.code.into_owned(),
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub(crate) fn engine(&mut self) -> R<&mut Engine> {
        self.engine.as_mut().map_err(|e| e.clone())
    }

    fn role(&self, token: &str) -> Option<&Role> {
        self.sessions
            .iter()
            .find(|s| s.token == token)
            .map(|s| &s.role)
    }

    fn require_examinee(&self, token: &str) -> R<()> {
        match self.role(token) {
            Some(Role::Examinee) => Ok(()),
            _ => err(Refusal::Forbidden),
        }
    }

    fn require_proctor(&self, token: &str) -> R<String> {
        match self.role(token) {
            Some(Role::Proctor(id)) => Ok(id.clone()),
            _ => err(Refusal::Forbidden),
        }
    }

    fn require_admin(&self, token: &str) -> R<String> {
        match self.role(token) {
            Some(Role::Admin(id)) => Ok(id.clone()),
            _ => err(Refusal::Forbidden),
        }
    }

    fn open_session(&mut self, role: Role) -> String {
        // One session per role at a time: a new login ends the previous one.
        let same = |r: &Role| std::mem::discriminant(r) == std::mem::discriminant(&role);
        self.sessions.retain(|s| !same(&s.role));
        let token = random_token();
        self.sessions.push(SessionEntry {
            token: token.clone(),
            role,
        });
        token
    }

    /// Ends the session of `token` (any role).
    pub fn logout(&mut self, token: &str) {
        self.sessions.retain(|s| s.token != token);
    }

    // ---- public ----

    pub fn status(&mut self) -> AppStatus {
        let revoked = self
            .bank_revoked()
            .then(|| Code::from(Refusal::BankRevoked));
        let problem = self
            .engine
            .as_ref()
            .err()
            .or(self.bank_problem.as_ref())
            .cloned()
            .or(revoked)
            .map(|e| self.translate(e));
        let (first_run, kiosk_name, attempt) = match &mut self.engine {
            Ok(e) => {
                let first = !e.staff().any().unwrap_or(true);
                let name = e.settings().get("kiosk_name").ok().flatten();
                let attempt = e.status().ok().map(|s| state_name(s.state).to_owned());
                (first, name, attempt)
            }
            Err(_) => (false, None, None),
        };
        AppStatus {
            first_run,
            kiosk_name,
            problem,
            attempt,
            disk_low_mb: self
                .disk_low()
                .map(|mb| u32::try_from(mb).unwrap_or(u32::MAX)),
        }
    }

    pub fn categories(&mut self) -> R<Vec<CategorySummary>> {
        if self.bank_revoked() {
            return err(Refusal::BankRevoked);
        }
        let engine = self.exam_engine()?;
        let bank = engine.bank().ok_or(Refusal::BankMissing)?;
        Ok(category_summaries(&bank.profile, bank.questions()))
    }

    /// First start only: the kiosk's name and branch, and the first admin.
    pub fn first_run_setup(
        &mut self,
        kiosk_name: &str,
        branch: &str,
        admin_id: &str,
        admin_name: &str,
        password: &str,
        now: i64,
    ) -> R<Session> {
        let engine = self.engine()?;
        if engine.staff().any()? {
            return err(Refusal::Forbidden);
        }
        if kiosk_name.trim().is_empty() || branch.trim().is_empty() {
            return err(Refusal::MissingField);
        }
        engine
            .staff()
            .add(admin_id, admin_name, StaffRole::Admin, password, now)?;
        engine.settings().set("kiosk_name", kiosk_name.trim())?;
        engine.settings().set("branch", branch.trim())?;
        let token = self.open_session(Role::Admin(admin_id.trim().to_owned()));
        Ok(Session {
            token,
            name: admin_name.trim().to_owned(),
        })
    }

    pub fn login(&mut self, role: StaffRoleView, id: &str, password: &str) -> R<Session> {
        let engine = self.engine()?;
        let r = match role {
            StaffRoleView::Admin => StaffRole::Admin,
            StaffRoleView::Proctor => StaffRole::Proctor,
        };
        let member = engine.staff().verify(id.trim(), password, r)?;
        let role = match r {
            StaffRole::Admin => Role::Admin(member.id.clone()),
            StaffRole::Proctor => Role::Proctor(member.id.clone()),
        };
        let token = self.open_session(role);
        Ok(Session {
            token,
            name: member.name,
        })
    }

    // ---- proctor ----

    fn category(&mut self, id: &CategoryId) -> R<Category> {
        let engine = self.exam_engine()?;
        engine
            .bank()
            .ok_or(Refusal::BankMissing)?
            .profile
            .category(id)
            .cloned()
            .ok_or(Code::new("store-unknown-category"))
    }

    /// Looks an examinee up on today's roster. The ИИН is validated first, with the reason.
    pub fn find(
        &mut self,
        token: &str,
        iin: &str,
        today: chrono::NaiveDate,
    ) -> R<Vec<RosterMatch>> {
        self.require_proctor(token)?;
        let iin = Iin::parse(iin.trim()).map_err(|e| e.to_code())?;
        let roster = self.roster.as_ref().map_err(|e| e.clone())?;
        let entries: Vec<_> = roster.find(&iin, today);
        if entries.is_empty() {
            return err(Refusal::NotOnRoster);
        }
        let mut out = Vec::new();
        for e in entries {
            let cat = self.category(&e.category)?;
            out.push(RosterMatch {
                name: e.name,
                masked_iin: iin.masked(),
                category: cat.id.to_string(),
                category_number: cat.number,
                category_name: (&cat.name).into(),
                oo_name: e.oo_name,
                attempt: e.attempt,
            });
        }
        Ok(out)
    }

    /// Admits the examinee after the identity document was checked; returns their session.
    pub fn admit(
        &mut self,
        token: &str,
        iin: &str,
        category: &str,
        document_checked: bool,
        today: chrono::NaiveDate,
    ) -> R<Session> {
        let proctor = self.require_proctor(token)?;
        if self.bank_revoked() {
            return err(Refusal::BankRevoked);
        }
        if !document_checked {
            return err(Refusal::DocumentUnchecked);
        }
        let iin = Iin::parse(iin.trim()).map_err(|e| e.to_code())?;
        let entry = self
            .roster
            .as_ref()
            .map_err(|e| e.clone())?
            .find(&iin, today)
            .into_iter()
            .find(|e| e.category.as_str() == category)
            .ok_or(Code::from(Refusal::NotOnRoster))?;
        let cat = self.category(&entry.category)?.id;
        let engine = self.exam_engine()?;
        // The roster entry lists the questions of failed attempts at other kiosks.
        let attempt = engine.admit_after(&iin, &cat, &proctor, &entry.seen)?;
        self.start_proctoring(&proctor, &attempt)?;
        self.examinee = Some(Examinee {
            name: entry.name.clone(),
            masked_iin: iin.masked(),
        });
        let token = self.open_session(Role::Examinee);
        Ok(Session {
            token,
            name: entry.name,
        })
    }

    pub fn attempt(&mut self, token: &str) -> R<Option<AttemptView>> {
        self.require_proctor(token)?;
        self.attempt_view()
    }

    fn attempt_view(&mut self) -> R<Option<AttemptView>> {
        if self.engine()?.attempt_summary().is_none() {
            return Ok(None);
        }
        let examinee = self.examinee_for_attempt()?;
        let engine = self.engine()?;
        let Ok(s) = engine.status() else {
            return Ok(None);
        };
        let (_, cat, _) = engine.attempt_summary().expect("status implies an attempt");
        Ok(Some(AttemptView {
            state: state_name(s.state).to_owned(),
            name: examinee.name,
            masked_iin: examinee.masked_iin,
            category_number: cat.number,
            remaining_ms: ms(s.remaining_ms),
            answered: s.answered as u32,
            total: s.total as u32,
            flags: self.camera.flags.clone(),
        }))
    }

    /// The examinee of the attempt on the kiosk (from memory, or the roster after a restart).
    fn examinee_for_attempt(&mut self) -> R<Examinee> {
        if let Some(e) = &self.examinee {
            return Ok(e.clone());
        }
        let engine = self.engine()?;
        let (iin, _, _) = engine
            .attempt_summary()
            .ok_or(Code::new("store-no-attempt"))?;
        let iin = Iin::parse(&iin).map_err(|e| e.to_code())?;
        let name = self
            .roster
            .as_ref()
            .ok()
            .and_then(|r| r.name_of(&iin))
            .unwrap_or_else(|| iin.masked());
        let e = Examinee {
            name,
            masked_iin: iin.masked(),
        };
        self.examinee = Some(e.clone());
        Ok(e)
    }

    fn check_reason(reason: &str) -> R<()> {
        if INCIDENTS.contains(&reason) {
            Ok(())
        } else {
            err(Refusal::ReasonRequired)
        }
    }

    pub fn pause(&mut self, token: &str, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        self.engine()?
            .pause(&proctor, &format!("{reason}: {note}"))?;
        Ok(())
    }

    /// Resumes a paused or interrupted exam; returns a fresh examinee session (after a
    /// restart the window has none).
    pub fn resume(&mut self, token: &str, reason: &str, note: &str) -> R<Session> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        let restarted = self.engine()?.status()?.state == State::Interrupted;
        let status = self
            .engine()?
            .resume(&proctor, &format!("{reason}: {note}"))?;
        if restarted && self.camera.proctor.is_none() {
            // After a restart: the camera again, in a new evidence segment.
            self.start_proctoring(&proctor, &status.attempt)?;
        }
        let name = self.examinee_for_attempt()?.name;
        let token = self.open_session(Role::Examinee);
        Ok(Session { token, name })
    }

    pub fn extend(&mut self, token: &str, minutes: u32, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        if !(1..=120).contains(&minutes) {
            return err(Refusal::BadMinutes);
        }
        self.engine()?
            .extend(&proctor, minutes, &format!("{reason}: {note}"))?;
        Ok(())
    }

    pub fn end(&mut self, token: &str, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        self.seal_evidence();
        self.engine()?.end_for_violation(&proctor, reason, note)?;
        Ok(())
    }

    // ---- examinee ----

    pub fn exam_status(&mut self, token: &str) -> R<ExamStatus> {
        self.require_examinee(token)?;
        let examinee = self.examinee_for_attempt()?;
        let engine = self.engine()?;
        let s = engine.status()?;
        let (_, cat, _) = engine
            .attempt_summary()
            .ok_or(Code::new("store-no-attempt"))?;
        let answers = engine.answers().cloned().unwrap_or_default();
        let flagged = engine.flagged();
        let grid = (0..s.total)
            .map(|p| GridCell {
                answered: answers.contains_key(&p),
                flagged: flagged.contains(&p),
            })
            .collect();
        let result = engine.last_result()?.map(|r| {
            let days = i64::from(cat.retake_window_days);
            ResultView {
                percent_milli: r.score.percent_milli,
                correct: r.score.correct,
                total: r.score.total,
                passed: r.score.passed,
                finish_reason: r.finish_reason.clone(),
                retake_until: (!r.score.passed).then(|| date_after(r.finished_wall_ms, days)),
            }
        });
        Ok(ExamStatus {
            state: state_name(s.state).to_owned(),
            remaining_ms: ms(s.remaining_ms),
            limit_ms: ms(s.limit_ms),
            name: examinee.name,
            masked_iin: examinee.masked_iin,
            category_number: cat.number,
            category_name: (&cat.name).into(),
            pass_percent: cat.pass_percent,
            grid,
            result,
            flags: self.camera.flags.len() as u32,
        })
    }

    pub fn question(&mut self, token: &str, position: u32) -> R<QuestionView> {
        self.require_examinee(token)?;
        let media = Arc::clone(&self.media);
        let engine = self.engine()?;
        let q = engine.show(position as usize)?;
        let image = q.image.as_ref().and_then(|path| {
            media.get(path).map(|bytes| {
                let mime = if path.ends_with(".svg") {
                    "image/svg+xml"
                } else if path.ends_with(".jpg") || path.ends_with(".jpeg") {
                    "image/jpeg"
                } else {
                    "image/png"
                };
                format!("data:{mime};base64,{}", B64.encode(bytes))
            })
        });
        Ok(QuestionView {
            position,
            total: q.total as u32,
            text: (&q.text).into(),
            multiple: q.kind == QuestionKind::Multiple,
            options: q
                .options
                .iter()
                .map(|(id, text)| OptionView {
                    id: id.clone(),
                    text: text.into(),
                })
                .collect(),
            image,
            image_alt: q.image_alt.as_ref().map(Into::into),
            selected: q.selected.into_iter().collect(),
            flagged: q.flagged,
        })
    }

    pub fn answer(&mut self, token: &str, position: u32, options: Vec<String>) -> R<Saved> {
        self.require_examinee(token)?;
        let set: BTreeSet<String> = options.into_iter().collect();
        let s = self.engine()?.answer(position as usize, set)?;
        Ok(Saved {
            remaining_ms: ms(s.remaining_ms),
        })
    }

    pub fn flag(&mut self, token: &str, position: u32, flagged: bool) -> R<()> {
        self.require_examinee(token)?;
        self.engine()?.flag(position as usize, flagged)?;
        Ok(())
    }

    pub fn submit(&mut self, token: &str) -> R<()> {
        self.require_examinee(token)?;
        self.seal_evidence();
        self.engine()?.finish(FinishReason::Submitted)?;
        Ok(())
    }

    // ---- admin ----

    pub fn staff(&mut self, token: &str) -> R<Vec<StaffView>> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        let list = engine.staff().list()?;
        // The branch's staff as ЕУМЦ last sent it: people still without a password here are
        // listed too, so the admin sees whom to set one for.
        let central: Vec<synaq_sync::proto::StaffMember> = engine
            .settings()
            .get(sync::CENTRAL_STAFF)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let role = |r: StaffRole| match r {
            StaffRole::Admin => StaffRoleView::Admin,
            StaffRole::Proctor => StaffRoleView::Proctor,
        };
        let mut out: Vec<StaffView> = list
            .iter()
            .map(|m| StaffView {
                id: m.id.clone(),
                name: m.name.clone(),
                role: role(m.role),
                disabled: m.disabled,
                on_kiosk: true,
                from_central: central.iter().any(|c| c.id == m.id),
            })
            .collect();
        for c in central
            .into_iter()
            .filter(|c| c.active && !list.iter().any(|m| m.id == c.id))
        {
            out.push(StaffView {
                id: c.id,
                name: c.name,
                role: if c.role == "admin" {
                    StaffRoleView::Admin
                } else {
                    StaffRoleView::Proctor
                },
                disabled: false,
                on_kiosk: false,
                from_central: true,
            });
        }
        Ok(out)
    }

    pub fn add_proctor(
        &mut self,
        token: &str,
        id: &str,
        name: &str,
        password: &str,
        now: i64,
    ) -> R<()> {
        self.require_admin(token)?;
        self.engine()?
            .staff()
            .add(id, name, StaffRole::Proctor, password, now)?;
        Ok(())
    }

    pub fn set_disabled(&mut self, token: &str, id: &str, disabled: bool) -> R<()> {
        let me = self.require_admin(token)?;
        if me == id {
            return err(Refusal::SelfAccount);
        }
        self.engine()?.staff().set_disabled(id, disabled)?;
        Ok(())
    }

    pub fn journal(&mut self, token: &str, kind: Option<String>, limit: u32) -> R<Vec<JournalRow>> {
        self.require_admin(token)?;
        let rows = self
            .engine()?
            .journal_rows(kind.as_deref(), limit.min(1000))?;
        Ok(rows
            .into_iter()
            .map(|r| JournalRow {
                seq: r.seq as u32,
                at_wall_ms: r.at_wall as f64,
                attempt: r.attempt,
                kind: r.kind,
                data: r.data,
            })
            .collect())
    }

    fn exam_open(&mut self) -> bool {
        self.engine
            .as_mut()
            .ok()
            .and_then(|e| e.status().ok())
            .is_some_and(|s| s.state != State::Finished)
    }

    fn read_import(path: &str) -> R<Vec<u8>> {
        std::fs::read(path.trim()).map_err(|e| {
            eprintln!("synaq-kiosk: import {}: {e}", path.trim());
            Code::from(Refusal::FileUnreadable)
        })
    }

    fn keep(&self, bytes: &[u8], name: &str) -> R<()> {
        let tmp = self.dir.join(format!("{name}.partial"));
        // Written whole and synced before it replaces the old file, and the rename synced too:
        // after a power cut the kiosk has either the old file or the new one.
        let written = std::fs::File::create(&tmp)
            .and_then(|mut f| {
                std::io::Write::write_all(&mut f, bytes)?;
                f.sync_all()
            })
            .and_then(|_| std::fs::rename(&tmp, self.dir.join(name)))
            .and_then(|_| std::fs::File::open(&self.dir)?.sync_all());
        written.map_err(|e| {
            eprintln!("synaq-kiosk: keeping {name}: {e}");
            Code::new("store-db")
        })
    }

    /// Imports a bank file (from removable media): every check, then it replaces the bank.
    pub fn import_bank(&mut self, token: &str, path: &str, now: i64) -> R<ImportVerdict> {
        self.require_admin(token)?;
        if self.exam_open() {
            return err(Refusal::ImportExamOpen);
        }
        let bytes = Self::read_import(path)?;
        self.install_bank(&bytes, now)
    }

    /// Checks a bank (signature, this kiosk's stanza, validity, no rollback) and puts it to use.
    fn install_bank(&mut self, bytes: &[u8], now: i64) -> R<ImportVerdict> {
        let issuer = crate::load::issuer_from_env()?;
        let key = crate::load::kiosk_key(&self.dir)?;
        let opened = crate::load::open_then(bytes, &issuer, &key, &self.dir, now, || {
            self.keep(bytes, crate::load::BANK_FILE)
                .map_err(|e| LoadError {
                    detail: e.to_string(),
                    code: e,
                })
        })?;
        let verdict = ImportVerdict {
            kind: "bank".into(),
            name: opened.header.series.clone(),
            version: opened.header.version as u32,
            count: opened.content.questions.len() as u32,
            valid_until: date_after(opened.header.not_after * 1000, 0),
        };
        self.use_bank(Ok(opened));
        Ok(verdict)
    }

    /// Imports a roster file: every check, then it replaces today's roster.
    pub fn import_roster(&mut self, token: &str, path: &str, now: i64) -> R<ImportVerdict> {
        self.require_admin(token)?;
        let bytes = Self::read_import(path)?;
        self.install_roster(&bytes, now)
    }

    /// Checks a roster (signature, validity, no rollback) and puts it to use.
    fn install_roster(&mut self, bytes: &[u8], now: i64) -> R<ImportVerdict> {
        let issuer = crate::load::issuer_from_env()?;
        let roster = crate::roster::open(bytes, &issuer, &self.dir, now)?;
        self.keep(bytes, crate::load::ROSTER_FILE)?;
        let (branch, version, entries, not_after) = roster.summary();
        self.roster = Ok(roster);
        Ok(ImportVerdict {
            kind: "roster".into(),
            name: branch,
            version: version as u32,
            count: entries as u32,
            valid_until: date_after(not_after * 1000, 0),
        })
    }

    /// Writes the whole audit journal as CSV into `dir` (removable media); returns the file.
    pub fn export_journal(&mut self, token: &str, dir: &str, now_ms: i64) -> R<String> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        let rows = engine.journal_rows(None, u32::MAX)?;
        let kiosk = engine.kiosk_id();
        let csv_field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("seq,time_utc,attempt,kind,data\n");
        for r in rows.iter().rev() {
            let at = chrono::DateTime::from_timestamp_millis(r.at_wall)
                .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                r.seq,
                at,
                csv_field(&r.attempt),
                csv_field(&r.kind),
                csv_field(&r.data)
            ));
        }
        let path =
            Path::new(dir.trim()).join(format!("synaq-journal-{kiosk}-{}.csv", now_ms / 1000));
        std::fs::write(&path, out).map_err(|e| {
            eprintln!("synaq-kiosk: export {}: {e}", path.display());
            Code::from(Refusal::ExportFailed)
        })?;
        Ok(path.display().to_string())
    }

    /// Free disk, bank and roster validity, camera, clock.
    pub fn diagnostics(&mut self, token: &str, now_ms: i64) -> R<Diagnostics> {
        self.require_admin(token)?;
        let free = self.free_disk_mb();
        let disk_low = free < self.camera.disk_low_mb;
        let camera = std::fs::read_dir("/dev")
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().starts_with("video"))
            })
            .unwrap_or(false);
        let roster = self.roster.as_ref().ok().map(|r| r.summary());
        let engine = self.engine()?;
        let kiosk_id = engine.kiosk_id();
        let last_journal = engine.journal_rows(None, 1)?.first().map(|r| r.at_wall);
        let bank_label = self.bank_label.clone();
        let within_bank = bank_label
            .as_ref()
            .is_none_or(|(_, until)| now_ms / 1000 <= *until);
        let after_journal = last_journal.is_none_or(|at| now_ms + 60_000 >= at);
        Ok(Diagnostics {
            kiosk_id,
            free_disk_mb: u32::try_from(free).unwrap_or(u32::MAX),
            disk_low,
            bank: bank_label.as_ref().map(|(l, _)| l.clone()),
            bank_valid_until: bank_label.map(|(_, until)| date_after(until * 1000, 0)),
            roster: roster
                .as_ref()
                .map(|(b, v, n, _)| format!("{b} v{v} ({n})")),
            roster_valid_until: roster.map(|(_, _, _, until)| date_after(until * 1000, 0)),
            camera: if camera { "present" } else { "absent" }.into(),
            wall_clock: chrono::DateTime::from_timestamp_millis(now_ms)
                .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            clock_ok: within_bank && after_journal,
        })
    }

    /// Camera and capture interval, with the limits that apply.
    pub fn settings(&mut self, token: &str) -> R<SettingsView> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        // Never longer than any category of the bank allows (the profile's default without one).
        let max = engine
            .bank()
            .map_or(synaq_core::profile::DEFAULT_CAPTURE_INTERVAL_SECS, |b| {
                b.profile.capture_interval_cap()
            });
        let settings = engine.settings();
        let interval = settings
            .get("capture_interval_secs")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(max)
            .min(max);
        let cameras = Self::cameras();
        let device = settings
            .get("camera_device")?
            .unwrap_or_else(|| cameras.first().cloned().unwrap_or_default());
        Ok(SettingsView {
            camera_device: device,
            cameras,
            capture_interval_secs: interval,
            max_interval_secs: max,
        })
    }

    /// Saves the camera and the capture interval (never longer than the profiles allow).
    pub fn save_settings(
        &mut self,
        token: &str,
        camera_device: &str,
        capture_interval_secs: u32,
    ) -> R<SettingsView> {
        let current = self.settings(token)?;
        if !(1..=current.max_interval_secs).contains(&capture_interval_secs) {
            return err(Refusal::IntervalOutOfRange);
        }
        let device = camera_device.trim();
        if !device.is_empty() && !current.cameras.iter().any(|c| c == device) {
            return err(Refusal::CameraUnknown);
        }
        let settings = self.engine()?.settings();
        settings.set("camera_device", device)?;
        settings.set("capture_interval_secs", &capture_interval_secs.to_string())?;
        self.settings(token)
    }

    /// The admin allows the window to close (the only way out of the kiosk).
    pub fn allow_exit(&mut self, token: &str) -> R<()> {
        self.require_admin(token)?;
        self.allow_exit = true;
        Ok(())
    }

    pub fn exit_allowed(&self) -> bool {
        self.allow_exit
    }

    /// The backend's clock: called every 250 ms by the app, whatever the UI does. Also turns
    /// the camera's flags into journal incidents, at once.
    pub fn tick(&mut self) {
        self.camera_tick();
        self.drain_camera();
        // Close to the time limit, seal the evidence first, so the finish signs its exact head.
        let ending = self.camera.proctor.is_some()
            && self
                .engine
                .as_mut()
                .ok()
                .and_then(|e| e.status().ok())
                .is_some_and(|s| s.state == State::Running && s.remaining_ms <= 500);
        if ending {
            self.seal_evidence();
        }
        let Ok(e) = &mut self.engine else { return };
        let state = match e.tick() {
            Ok(s) => Some(s.state),
            Err(err) => {
                if !matches!(err, StoreError::NoAttempt) {
                    eprintln!("synaq-kiosk: tick: {}", err.code());
                }
                None
            }
        };
        if state.is_none_or(|s| s == State::Finished) {
            self.stop_proctoring();
        }
    }
}

/// `wall_ms` plus `days`, as a calendar date in Kazakhstan (UTC+5).
fn date_after(wall_ms: i64, days: i64) -> String {
    let secs = wall_ms / 1000 + 5 * 3600 + days * 86_400;
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive().to_string())
        .unwrap_or_default()
}

/// Today in Kazakhstan (UTC+5).
pub fn today(wall_ms: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(wall_ms / 1000 + 5 * 3600, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
