//! The station: the kiosk's store and exam engine, its bank and roster, sessions and roles.
//! Every public method takes the caller's token and checks its role first; the window's
//! commands (`src-tauri`) are one-line calls into here, so tests exercise exactly what the
//! window calls. The methods live by role in the submodules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use synaq_core::time::{self, OfficeZone};
use synaq_core::{Category, CategoryId, Iin, Lang, QuestionKind};
use synaq_i18n::Localizer;
use synaq_seal::OpenedBank;
use synaq_store::engine::{FinishReason, State};
use synaq_store::journal::Kind;
use synaq_store::staff::StaffRole;
use synaq_store::{Clock, Engine, ExamBank, StoreError};

use crate::ipc::*;
use crate::load::LoadError;

mod admin;
mod camera;
mod examinee;
mod install;
mod print;
mod proctor;
mod refusal;
mod session;
mod sync;

pub use refusal::Refusal;
pub use synaq_core::Code;
pub use sync::{EnrollJob, MediaJob, SyncJob};

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
    /// The kiosk's own key and ЕУМЦ's public keys, found once at start.
    keys: crate::load::Keys,
    bank_label: Option<(String, i64)>,
    /// The office's time zone: dates people see, "today" on the roster.
    zone: OfficeZone,
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

/// This kiosk's version, which ЕУМЦ's minimum kiosk version is compared with.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

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

fn state_view(s: State) -> AttemptState {
    match s {
        State::Admitted => AttemptState::Admitted,
        State::Running => AttemptState::Running,
        State::Paused => AttemptState::Paused,
        State::Interrupted => AttemptState::Interrupted,
        State::Finished => AttemptState::Finished,
    }
}

fn ms(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Station {
    /// A kiosk with `keys`, over an opened (or refused) bank, keeping its state in `dir`. Without
    /// its own key the store stays closed and the start screen says why.
    pub fn new(
        keys: crate::load::Keys,
        bank: Result<OpenedBank, LoadError>,
        roster: Result<crate::roster::LoadedRoster, LoadError>,
        dir: &Path,
        clock: Arc<dyn Clock>,
    ) -> Result<Station, synaq_i18n::I18nError> {
        let mut kiosk = Station {
            l10n: Localizer::new()?,
            lang: Lang::Kk,
            engine: keys
                .kiosk()
                .map_err(|e| {
                    eprintln!("synaq-kiosk: {}", e.detail);
                    Code::from(e)
                })
                .and_then(|key| {
                    Engine::open_store_with_key(dir, Arc::clone(&clock), key).map_err(Code::from)
                }),
            bank_problem: None,
            media: Arc::default(),
            roster: roster.map_err(Code::from),
            sessions: Vec::new(),
            examinee: None,
            allow_exit: false,
            dir: dir.to_owned(),
            keys,
            bank_label: None,
            zone: OfficeZone::default(),
            camera: camera::CameraState::from_env(),
            sync: sync::SyncStatus::default(),
        };
        if let Some(zone) = kiosk
            .engine
            .as_ref()
            .ok()
            .and_then(|e| e.settings().get(OFFICE_ZONE).ok().flatten())
        {
            match zone.parse() {
                Ok(z) => kiosk.zone = z,
                Err(e) => eprintln!(
                    "synaq-kiosk: setting {OFFICE_ZONE}={zone:?}: {e}; using {}",
                    kiosk.zone
                ),
            }
        }
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

    /// Today's date at the office.
    pub fn office_today(&self, wall_ms: i64) -> chrono::NaiveDate {
        self.zone.date_of_ms(wall_ms)
    }

    /// Journals a staff action (attempt `""`, chained and signed like every row).
    fn journal_staff(&mut self, kind: Kind, data: serde_json::Value) -> R<()> {
        self.engine()?.journal_staff_action(kind, &data)?;
        Ok(())
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

    pub fn status(&mut self) -> AppStatus {
        let revoked = self.admission_blocked();
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
                let attempt = e.status().ok().map(|s| state_view(s.state));
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
        if let Some(why) = self.admission_blocked() {
            return Err(why);
        }
        let engine = self.exam_engine()?;
        let bank = engine.bank().ok_or(Refusal::BankMissing)?;
        Ok(category_summaries(&bank.profile, bank.questions()))
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

/// The setting that names the office's time zone (`Asia/Almaty`, or an offset like `UTC+05:00`).
pub const OFFICE_ZONE: &str = "office_zone";

/// Date and time as people at the office read them (dd.MM.yyyy HH:mm).
fn office_time(zone: OfficeZone, wall_ms: i64) -> String {
    zone.datetime_of_ms(wall_ms)
        .format("%d.%m.%Y %H:%M")
        .to_string()
}

/// Date and time to the second at the office (dd.MM.yyyy HH:mm:ss), for the journal.
fn office_seconds(zone: OfficeZone, wall_ms: i64) -> String {
    zone.datetime_of_ms(wall_ms)
        .format("%d.%m.%Y %H:%M:%S")
        .to_string()
}

/// A date as people at the office read it (dd.MM.yyyy).
fn office_date(zone: OfficeZone, wall_ms: i64) -> String {
    time::format_dmy(zone.date_of_ms(wall_ms))
}

#[cfg(test)]
mod tests;
