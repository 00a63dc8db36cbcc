//! The exam engine: admission, questions, answers, the offline clock, proctor actions, finish.
//!
//! Memory follows the database, never the other way round: every change is committed first
//! (answer, active time and journal row in one transaction) and applied in memory only after
//! the commit returned. A failed commit (disk full) leaves both exactly as they were.
//!
//! The clock: active time advances only while the attempt is running, by the boot-time clock
//! (see [`crate::clock`]); it is written at least once a second by [`Engine::tick`] (the app
//! ticks every 250 ms) and with every answer. A gap longer than [`SUSPEND_GAP`] between two
//! readings means the kiosk was suspended or frozen: that time is not charged, it is journalled,
//! and the attempt waits for a proctor. After a crash the attempt is `interrupted` and resumes
//! with its saved active time once a proctor resumes it. Wall-clock jumps are journalled and
//! change nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension as _};
use serde_json::json;
use synaq_core::{
    assemble, score, Answers, AssemblyError, Category, CategoryId, ExamProfile, Iin, Paper,
    Question, QuestionId, QuestionKind, Score, Text,
};
use synaq_seal::{KeyError, KioskSecret};

use crate::clock::Clock;
use crate::journal::{self, Head, Kind};
use crate::result::{IncidentRecord, ResultRecord, SignedResult};

/// A gap between two clock readings longer than this is a suspend or freeze, not exam time.
pub const SUSPEND_GAP: Duration = Duration::from_secs(5);
/// Active time is written at least this often.
pub const PERSIST_EVERY: Duration = Duration::from_secs(1);
/// The WAL is checkpointed into the database once no write happened for this long, so the
/// checkpoint's fsyncs never sit inside an answer's commit.
pub const IDLE_CHECKPOINT: Duration = Duration::from_secs(2);
/// A wall clock that drifts from boot time by more than this has jumped.
pub const JUMP_TOLERANCE_MS: i64 = 2_000;
/// The most minutes proctors may add to one attempt, in one act or several. The domain sets
/// no rule for extra time (the limit is questions × 2 minutes, see the exam profile); this
/// cap keeps an extension a correction for lost time, not a second exam.
pub const EXTEND_MAX_MINUTES: u32 = 120;

/// Why an engine call was refused. Each variant has a stable [`StoreError::code`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The disk is full: nothing of this call was saved, everything saved before is intact.
    #[error("the kiosk's disk is full: this change was not saved (everything saved before is intact); free space, then retry")]
    DiskFull,
    /// Any other database failure.
    #[error("database error: {0}")]
    Db(String),
    /// The kiosk key could not be loaded or created.
    #[error("kiosk key: {0}")]
    Identity(#[from] KeyError),
    /// Not enough questions, or a topic quota the bank cannot meet.
    #[error("cannot assemble the exam: {0}")]
    Assembly(#[from] AssemblyError),
    /// The category is not in the bank's exam profile.
    #[error("category {0} is not in this bank's exam profile")]
    UnknownCategory(String),
    /// Another attempt is still open on this kiosk.
    #[error("attempt {0} is still open on this kiosk: finish or resume it first")]
    AttemptOpen(String),
    /// There is no open attempt.
    #[error("there is no open exam on this kiosk")]
    NoAttempt,
    /// The attempt is paused or interrupted: a proctor must resume it.
    #[error("the exam is {0}: a proctor must resume it")]
    NotRunning(&'static str),
    /// Time ran out: the clock finished the exam (only then; see [`StoreError::Finished`]).
    #[error("time is up: the exam has been finished")]
    TimeUp,
    /// The exam was finished (submitted, or ended by a proctor) and its result signed: nothing
    /// of it can change any more.
    #[error("the exam has been finished: its result is signed and cannot change")]
    Finished,
    /// A question position outside the paper.
    #[error("question {position} does not exist (the exam has {total})")]
    BadPosition { position: usize, total: usize },
    /// An option id the question does not have, or several for a single-choice question.
    #[error("that answer is not valid for question {0}")]
    BadAnswer(usize),
    /// The stored attempt refers to questions the loaded bank does not have.
    #[error(
        "the open attempt was made with bank {series} v{version}; load that bank to resume it"
    )]
    BankMismatch { series: String, version: u64 },
    /// The journal or a stored record does not verify.
    #[error("tampering detected: {0}")]
    Tampered(String),
    /// No bank is in use: exams need one (staff, sync and the journal do not).
    #[error("no question bank is in use: import a valid bank from ЕУМЦ first")]
    NoBank,
    /// A staff account operation was refused (the code says why).
    #[error("staff account: {0}")]
    Staff(&'static str),
    /// Extra time outside what is left of [`EXTEND_MAX_MINUTES`] for this attempt (or none).
    #[error("a proctor may add 1 to {most} minutes to this exam now, not {minutes}")]
    ExtendLimit {
        /// The minutes asked for.
        minutes: u32,
        /// The most that may still be added (0: the attempt's extensions reached the cap).
        most: u32,
    },
}

impl StoreError {
    /// A stable code (a Fluent message id on the kiosk).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DiskFull => "store-disk-full",
            StoreError::Db(_) => "store-db",
            StoreError::Identity(_) => "error-kiosk-keys",
            StoreError::Assembly(_) => "store-assembly",
            StoreError::UnknownCategory(_) => "store-unknown-category",
            StoreError::AttemptOpen(_) => "store-attempt-open",
            StoreError::NoAttempt => "store-no-attempt",
            StoreError::NotRunning(_) => "store-not-running",
            StoreError::TimeUp => "store-time-up",
            StoreError::Finished => "store-finished",
            StoreError::BadPosition { .. } => "store-bad-position",
            StoreError::BadAnswer(_) => "store-bad-answer",
            StoreError::BankMismatch { .. } => "store-bank-mismatch",
            StoreError::Tampered(_) => "store-tampered",
            StoreError::NoBank => "error-bank-missing",
            StoreError::Staff(code) => code,
            StoreError::ExtendLimit { .. } => "proctor-bad-minutes",
        }
    }
}

impl StoreError {
    /// The code with its values, for the person (the detail of a database failure or of
    /// tampering is for the operator's log: [`StoreError`]'s `Display`).
    pub fn to_code(&self) -> synaq_core::Code {
        let code = synaq_core::Code::new(self.code());
        match self {
            StoreError::Assembly(
                AssemblyError::NotEnoughQuestions { category, .. }
                | AssemblyError::QuotaUnmet { category, .. }
                | AssemblyError::QuotaExceedsCount { category, .. },
            ) => code.arg("category", category.as_str()),
            StoreError::UnknownCategory(category) => code.arg("category", category.as_str()),
            StoreError::NotRunning(state) => code.arg("state", *state),
            // People count questions from 1.
            StoreError::BadPosition { position, total } => {
                code.arg("position", position + 1).arg("total", *total)
            }
            StoreError::BadAnswer(position) => code.arg("position", position + 1),
            StoreError::BankMismatch { series, version } => {
                code.arg("series", series.as_str()).arg("version", *version)
            }
            StoreError::ExtendLimit { minutes, most } => {
                code.arg("minutes", *minutes).arg("most", *most)
            }
            _ => code,
        }
    }

    /// One error of every kind, with representative values: tests format each in every language.
    pub fn examples() -> Vec<StoreError> {
        let mut out = vec![
            StoreError::DiskFull,
            StoreError::Db("disk I/O error".into()),
            StoreError::Identity(KeyError::Syntax("kiosk.key".into())),
            StoreError::Assembly(AssemblyError::NotEnoughQuestions {
                category: "1".into(),
                needed: 20,
                available: 3,
            }),
            StoreError::UnknownCategory("9".into()),
            StoreError::AttemptOpen("a-1".into()),
            StoreError::NoAttempt,
            StoreError::NotRunning("paused"),
            StoreError::NotRunning("interrupted"),
            StoreError::TimeUp,
            StoreError::Finished,
            StoreError::BadPosition {
                position: 40,
                total: 20,
            },
            StoreError::BadAnswer(3),
            StoreError::BankMismatch {
                series: "DEMO".into(),
                version: 2,
            },
            StoreError::Tampered("journal row 7".into()),
            StoreError::NoBank,
            StoreError::ExtendLimit {
                minutes: 150,
                most: 120,
            },
            StoreError::ExtendLimit {
                minutes: 5,
                most: 0,
            },
        ];
        out.extend(crate::staff::CODES.iter().map(|c| StoreError::Staff(c)));
        out
    }
}

impl From<StoreError> for synaq_core::Code {
    fn from(e: StoreError) -> Self {
        if matches!(e, StoreError::Db(_) | StoreError::Tampered(_)) {
            // The person sees the code; the operator's log keeps what failed.
            eprintln!("synaq: {e}");
        }
        e.to_code()
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Db(e.to_string()),
        }
    }
}

/// The decrypted bank the engine draws from.
#[derive(Debug)]
pub struct ExamBank {
    pub series: String,
    pub version: u64,
    pub profile: ExamProfile,
    questions: Vec<Question>,
    index: HashMap<QuestionId, usize>,
}

impl ExamBank {
    pub fn new(
        series: String,
        version: u64,
        profile: ExamProfile,
        questions: Vec<Question>,
    ) -> ExamBank {
        let index = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        ExamBank {
            series,
            version,
            profile,
            questions,
            index,
        }
    }

    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.index.get(id).map(|&i| &self.questions[i])
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Paused,
    /// The kiosk stopped (crash, power loss, suspend) mid-exam; a proctor must resume.
    Interrupted,
    Finished,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Paused => "paused",
            State::Interrupted => "interrupted",
            State::Finished => "finished",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "running" => State::Running,
            "paused" => State::Paused,
            "finished" => State::Finished,
            _ => State::Interrupted,
        }
    }
}

/// Why an exam ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// The examinee submitted.
    Submitted,
    /// The time limit was reached.
    TimeUp,
    /// A proctor ended it for a violation.
    Violation,
}

impl FinishReason {
    fn as_str(self) -> &'static str {
        match self {
            FinishReason::Submitted => "submitted",
            FinishReason::TimeUp => "time_up",
            FinishReason::Violation => "violation",
        }
    }
}

/// One question as the examinee sees it: no correct answers anywhere in here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownQuestion {
    pub position: usize,
    pub total: usize,
    pub text: Text,
    pub kind: QuestionKind,
    /// Option ids and texts, in the shuffled order of this paper.
    pub options: Vec<(String, Text)>,
    pub image: Option<String>,
    pub image_alt: Option<Text>,
    pub selected: BTreeSet<String>,
    pub flagged: bool,
}

/// The open attempt as status screens see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub attempt: String,
    pub state: State,
    /// Why a finished attempt ended (time ran out, submitted, ended by a proctor); `None`
    /// while it is open.
    pub finish_reason: Option<FinishReason>,
    pub remaining_ms: u64,
    pub limit_ms: u64,
    pub answered: usize,
    pub total: usize,
}

struct Live {
    id: String,
    iin: String,
    category: Category,
    proctor: String,
    paper: Paper,
    answers: Answers,
    flagged: BTreeSet<usize>,
    state: State,
    limit_ms: u64,
    active_ms: u64,
    persisted_ms: u64,
    started_wall: i64,
    /// Boot-clock reading that active time was last charged up to (while running).
    charged_to: Option<Duration>,
    /// Last boot-clock and wall readings, for jump detection.
    seen_mono: Duration,
    seen_wall: i64,
    last_shown: Option<usize>,
    /// Why it ended, once it is [`State::Finished`].
    finish_reason: Option<FinishReason>,
    /// The webcam evidence's segment heads so far (one per camera run, in order), as stored
    /// in the attempt's row; signed into the result at the finish.
    evidence_heads: Vec<String>,
}

/// Who is admitted to which exam, by whom: what [`Engine::admit`] takes.
#[derive(Debug, Clone, Copy)]
pub struct Admission<'a> {
    pub iin: &'a Iin,
    pub category: &'a CategoryId,
    /// The proctor who checked the identity document.
    pub proctor: &'a str,
    /// Questions ЕУМЦ's roster says this person saw in failed attempts at other kiosks.
    pub seen_elsewhere: &'a [QuestionId],
    /// The paper's seed: `None` draws one from the system's random generator; a given seed
    /// makes the paper reproducible (tests, benches, the crash loop).
    pub seed: Option<u64>,
}

impl<'a> Admission<'a> {
    /// An admission with a random seed and nothing seen elsewhere.
    pub fn new(iin: &'a Iin, category: &'a CategoryId, proctor: &'a str) -> Admission<'a> {
        Admission {
            iin,
            category,
            proctor,
            seen_elsewhere: &[],
            seed: None,
        }
    }

    /// With a given seed.
    pub fn seed(self, seed: u64) -> Admission<'a> {
        Admission {
            seed: Some(seed),
            ..self
        }
    }

    /// With the questions the roster says were seen at other kiosks.
    pub fn seen_elsewhere(self, seen: &'a [QuestionId]) -> Admission<'a> {
        Admission {
            seen_elsewhere: seen,
            ..self
        }
    }
}

/// The engine: one kiosk, at most one open attempt.
pub struct Engine {
    conn: Connection,
    clock: Arc<dyn Clock>,
    key: KioskSecret,
    /// The bank exams are drawn from: none when it is missing, expired or refused, and the
    /// store still serves staff, settings, sync and the journal.
    bank: Option<Arc<ExamBank>>,
    head: Head,
    live: Option<Live>,
    /// Writes since the last checkpoint, and the boot-clock time of the last answer.
    unchecked: u32,
    last_answer: Duration,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("kiosk", &self.key.id())
            .field("attempt", &self.live.as_ref().map(|l| &l.id))
            .finish_non_exhaustive()
    }
}

fn opts_json(set: &BTreeSet<String>) -> String {
    serde_json::to_string(set).expect("strings serialize")
}

impl Engine {
    /// Opens the store in `dir` (key, database) with `bank`, and takes back an attempt that was
    /// open when the kiosk stopped: it becomes `interrupted` and waits for a proctor.
    pub fn open(
        dir: &Path,
        clock: Arc<dyn Clock>,
        bank: Arc<ExamBank>,
    ) -> Result<Engine, StoreError> {
        let mut engine = Engine::open_store(dir, clock)?;
        engine.use_bank(bank)?;
        Ok(engine)
    }

    /// Opens the store in `dir` without a bank: login, staff, settings, sync, certificates and
    /// the journal work; exams wait for [`Engine::use_bank`].
    pub fn open_store(dir: &Path, clock: Arc<dyn Clock>) -> Result<Engine, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Db(format!("{}: {e}", dir.display())))?;
        let key = crate::identity::load_or_create(dir)?;
        let conn = crate::open_db(&dir.join("kiosk.sqlite3"))?;
        let head = journal::head(&conn)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let last_answer = clock.monotonic();
        Ok(Engine {
            conn,
            clock,
            key,
            bank: None,
            head,
            live: None,
            unchecked: 0,
            last_answer,
        })
    }

    /// Draws exams from `bank` from now on, and takes back the attempt that was open when the
    /// kiosk stopped (it must have been made with this bank: otherwise
    /// [`StoreError::BankMismatch`], and the engine stays without a bank).
    pub fn use_bank(&mut self, bank: Arc<ExamBank>) -> Result<(), StoreError> {
        if let Some(l) = self.live.as_ref().filter(|l| l.state != State::Finished) {
            return Err(StoreError::AttemptOpen(l.id.clone()));
        }
        self.bank = Some(bank);
        self.live = None;
        if let Err(e) = self.recover() {
            self.bank = None;
            return Err(e);
        }
        Ok(())
    }

    fn exam_bank(&self) -> Result<Arc<ExamBank>, StoreError> {
        self.bank.clone().ok_or(StoreError::NoBank)
    }

    /// The kiosk's public key id.
    pub fn kiosk_id(&self) -> String {
        self.key.id().to_string()
    }

    /// The branch's staff accounts.
    pub fn staff(&self) -> crate::staff::Staff<'_> {
        crate::staff::Staff(&self.conn)
    }

    /// The kiosk's settings.
    pub fn settings(&self) -> crate::staff::Settings<'_> {
        crate::staff::Settings(&self.conn)
    }

    /// The SQLite connection, for tests and diagnostics (e.g. `PRAGMA max_page_count`).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn recover(&mut self) -> Result<(), StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, iin, category, proctor, bank_series, bank_version, paper, state,
                        limit_ms, active_ms, started_wall, evidence_heads
                 FROM attempts WHERE state != 'finished' ORDER BY started_wall DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                        r.get::<_, i64>(9)?,
                        r.get::<_, i64>(10)?,
                        r.get::<_, Option<String>>(11)?,
                    ))
                },
            )
            .optional()?;
        let Some((
            id,
            iin,
            cat,
            proctor,
            series,
            version,
            paper,
            state,
            limit,
            active,
            started,
            evidence_heads,
        )) = row
        else {
            return Ok(());
        };
        let bank = self.exam_bank()?;
        if series != bank.series || version as u64 != bank.version {
            return Err(StoreError::BankMismatch {
                series,
                version: version as u64,
            });
        }
        let category = bank
            .profile
            .category(
                &CategoryId::new(cat.clone())
                    .map_err(|_| StoreError::UnknownCategory(cat.clone()))?,
            )
            .cloned()
            .ok_or(StoreError::UnknownCategory(cat))?;
        let paper: Paper =
            serde_json::from_str(&paper).map_err(|e| StoreError::Db(e.to_string()))?;
        let mut answers = Answers::new();
        let mut flagged = BTreeSet::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT position, options, flagged FROM answers WHERE attempt = ?1")?;
            let mut rows = stmt.query([&id])?;
            while let Some(r) = rows.next()? {
                let pos = r.get::<_, i64>(0)? as usize;
                let set: BTreeSet<String> = serde_json::from_str(&r.get::<_, String>(1)?)
                    .map_err(|e| StoreError::Db(e.to_string()))?;
                if !set.is_empty() {
                    answers.insert(pos, set);
                }
                if r.get::<_, i64>(2)? != 0 {
                    flagged.insert(pos);
                }
            }
        }
        let now = self.clock.monotonic();
        let mut live = Live {
            id,
            iin,
            category,
            proctor,
            paper,
            answers,
            flagged,
            state: State::parse(&state),
            limit_ms: limit as u64,
            active_ms: active as u64,
            persisted_ms: active as u64,
            started_wall: started,
            charged_to: None,
            seen_mono: now,
            seen_wall: self.clock.wall_ms(),
            last_shown: None,
            finish_reason: None,
            evidence_heads: evidence_heads
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        };
        if live.state == State::Running {
            // The kiosk stopped mid-exam. Time while it was down is not charged.
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = 'interrupted' WHERE id = ?1",
                    [&l.id],
                )?;
                l.journal(tx, head, wall, Kind::Interrupted, json!({}))
            })?;
            live.state = State::Interrupted;
        }
        self.live = Some(live);
        Ok(())
    }

    /// Runs `write` in one transaction with a journal row, then moves the head. Memory is the
    /// caller's to update after this returns `Ok`.
    fn commit(
        &mut self,
        live: &mut Live,
        write: impl FnOnce(&Connection, &Live, &Head, i64) -> rusqlite::Result<Head>,
    ) -> Result<(), StoreError> {
        let wall = self.clock.wall_ms();
        let tx = self.conn.transaction()?;
        let head = write(&tx, live, &self.head, wall)?;
        tx.commit()?;
        self.head = head;
        self.unchecked += 1;
        Ok(())
    }

    /// Folds the WAL into the database when the examinee has not answered for a while.
    fn checkpoint_if_idle(&mut self) -> Result<(), StoreError> {
        let idle = self.clock.monotonic().saturating_sub(self.last_answer) >= IDLE_CHECKPOINT;
        if self.unchecked > 0 && (idle || self.unchecked > 5_000) {
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
            self.unchecked = 0;
        }
        Ok(())
    }

    /// Admits an examinee: draws the paper (a retake avoids questions this person saw in
    /// failed attempts here, and those ЕУМЦ's roster lists from other kiosks, as far as the
    /// bank allows) and starts the clock. Returns the attempt's id.
    pub fn admit(&mut self, admission: Admission<'_>) -> Result<String, StoreError> {
        let Admission {
            iin,
            category,
            proctor,
            seen_elsewhere,
            seed,
        } = admission;
        if let Some(l) = &self.live {
            if l.state != State::Finished {
                return Err(StoreError::AttemptOpen(l.id.clone()));
            }
        }
        let bank = self.exam_bank()?;
        let cat = bank
            .profile
            .category(category)
            .cloned()
            .ok_or_else(|| StoreError::UnknownCategory(category.to_string()))?;
        let mut seen = self.seen_in_failed_attempts(iin, category)?;
        let seen_here = seen.len();
        seen.extend(seen_elsewhere.iter().cloned());
        let seed = match seed {
            Some(seed) => seed,
            None => {
                let mut seed = [0u8; 8];
                SystemRandom::new()
                    .fill(&mut seed)
                    .map_err(|_| StoreError::Db("the system random generator failed".into()))?;
                u64::from_le_bytes(seed)
            }
        };
        let paper = assemble(bank.questions(), &cat, seed, &seen)?;
        let mut nonce = [0u8; 8];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| StoreError::Db("the system random generator failed".into()))?;
        let id = format!("{}-{}", self.key.id(), hex::encode(nonce));
        let limit_ms = u64::from(cat.time_limit_minutes()) * 60_000;
        let now = self.clock.monotonic();
        let wall = self.clock.wall_ms();
        let mut live = Live {
            id,
            iin: iin.as_str(),
            category: cat,
            proctor: proctor.to_owned(),
            paper,
            answers: Answers::new(),
            flagged: BTreeSet::new(),
            state: State::Running,
            limit_ms,
            active_ms: 0,
            persisted_ms: 0,
            started_wall: wall,
            charged_to: Some(now),
            seen_mono: now,
            seen_wall: wall,
            last_shown: None,
            finish_reason: None,
            evidence_heads: Vec::new(),
        };
        let (series, version) = (bank.series.clone(), bank.version as i64);
        let paper_json = serde_json::to_string(&live.paper).expect("papers serialize");
        self.commit(&mut live, |tx, l, head, wall| {
            tx.execute(
                "INSERT INTO attempts (id, iin, category, proctor, bank_series, bank_version, paper,
                     state, limit_ms, active_ms, started_wall)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'running', ?8, 0, ?9)",
                params![l.id, l.iin, l.category.id.as_str(), l.proctor, series, version, paper_json,
                        l.limit_ms as i64, wall],
            )?;
            // The journal carries the masked ИИН only.
            let masked = Iin::parse(&l.iin).map(|i| i.masked()).unwrap_or_default();
            journal::append(
                tx,
                head,
                &l.id,
                wall,
                0,
                Kind::Admitted,
                &json!({
                    "iin": masked, "category": l.category.id.as_str(), "proctor": l.proctor,
                    "seed": l.paper.seed, "questions": l.paper.items.len(),
                    "bank": format!("{series} v{version}"),
                    // What the paper avoided: questions of failed attempts here and elsewhere.
                    "seen_here": seen_here, "seen_elsewhere": seen_elsewhere.len(),
                }),
            )
        })?;
        let id = live.id.clone();
        self.live = Some(live);
        Ok(id)
    }

    fn seen_in_failed_attempts(
        &self,
        iin: &Iin,
        category: &CategoryId,
    ) -> Result<HashSet<QuestionId>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT paper FROM attempts WHERE iin = ?1 AND category = ?2 AND state = 'finished' AND passed = 0",
        )?;
        let mut rows = stmt.query(params![iin.as_str(), category.as_str()])?;
        let mut seen = HashSet::new();
        while let Some(r) = rows.next()? {
            let paper: Paper = serde_json::from_str(&r.get::<_, String>(0)?)
                .map_err(|e| StoreError::Db(e.to_string()))?;
            seen.extend(paper.items.into_iter().map(|i| i.question));
        }
        Ok(seen)
    }

    fn take(&mut self) -> Result<Live, StoreError> {
        self.live.take().ok_or(StoreError::NoAttempt)
    }

    /// Charges time, notes clock jumps and suspends, writes active time when due, and finishes
    /// the exam at zero. Returns the status after it.
    pub fn tick(&mut self) -> Result<Status, StoreError> {
        let mut live = self.take()?;
        let r = self.tick_live(&mut live);
        let status = Self::status_of(&live);
        self.live = Some(live);
        r?;
        self.checkpoint_if_idle()?;
        Ok(status)
    }

    fn tick_live(&mut self, live: &mut Live) -> Result<(), StoreError> {
        if live.state == State::Finished {
            return Ok(());
        }
        let now = self.clock.monotonic();
        let wall = self.clock.wall_ms();
        // Wall-clock jumps: journalled, never obeyed.
        let expected = live.seen_wall + (now.saturating_sub(live.seen_mono)).as_millis() as i64;
        let jump = wall - expected;
        let mut charge = 0u64;
        let mut suspended = None;
        if let (State::Running, Some(from)) = (live.state, live.charged_to) {
            let gap = now.saturating_sub(from);
            if gap > SUSPEND_GAP {
                suspended = Some(gap);
            } else {
                charge = gap.as_millis() as u64;
            }
        }
        let new_active = (live.active_ms + charge).min(live.limit_ms);
        if jump.abs() > JUMP_TOLERANCE_MS {
            self.commit(live, |tx, l, head, wall| {
                journal::append(
                    tx,
                    head,
                    &l.id,
                    wall,
                    new_active,
                    Kind::ClockJump,
                    &json!({"delta_ms": jump}),
                )
            })?;
        }
        live.seen_mono = now;
        live.seen_wall = wall;
        if let Some(gap) = suspended {
            self.commit(live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = 'interrupted', active_ms = ?2 WHERE id = ?1",
                    params![l.id, l.active_ms as i64],
                )?;
                l.journal(
                    tx,
                    head,
                    wall,
                    Kind::Suspended,
                    json!({"gap_ms": gap.as_millis() as u64}),
                )
            })?;
            live.state = State::Interrupted;
            live.charged_to = None;
            live.persisted_ms = live.active_ms;
            return Ok(());
        }
        if live.state == State::Running {
            live.active_ms = new_active;
            live.charged_to = Some(now);
            if live.active_ms >= live.limit_ms {
                return self.finish_live(live, FinishReason::TimeUp).map(|_| ());
            }
            if live.active_ms - live.persisted_ms >= PERSIST_EVERY.as_millis() as u64 {
                self.conn.execute(
                    "UPDATE attempts SET active_ms = ?2 WHERE id = ?1",
                    params![live.id, live.active_ms as i64],
                )?;
                live.persisted_ms = live.active_ms;
                self.unchecked += 1;
            }
        }
        Ok(())
    }

    fn status_of(l: &Live) -> Status {
        Status {
            attempt: l.id.clone(),
            state: l.state,
            finish_reason: l.finish_reason,
            remaining_ms: l.limit_ms.saturating_sub(l.active_ms),
            limit_ms: l.limit_ms,
            answered: l.answers.len(),
            total: l.paper.items.len(),
        }
    }

    /// The open attempt's status (after charging time).
    pub fn status(&mut self) -> Result<Status, StoreError> {
        self.tick()
    }

    fn running(&mut self) -> Result<Live, StoreError> {
        let mut live = self.take()?;
        if let Err(e) = self.tick_live(&mut live) {
            self.live = Some(live);
            return Err(e);
        }
        let refuse = match live.state {
            State::Running => None,
            State::Finished => Some(live.refusal_when_finished()),
            s => Some(StoreError::NotRunning(s.as_str())),
        };
        if let Some(e) = refuse {
            self.live = Some(live);
            return Err(e);
        }
        Ok(live)
    }

    fn check_position(live: &Live, position: usize) -> Result<(), StoreError> {
        let total = live.paper.items.len();
        if position >= total {
            return Err(StoreError::BadPosition { position, total });
        }
        Ok(())
    }

    /// The question at `position`, without its correct answers; journalled when it changes.
    pub fn show(&mut self, position: usize) -> Result<ShownQuestion, StoreError> {
        let mut live = self.running()?;
        let r = self.show_live(&mut live, position);
        self.live = Some(live);
        r
    }

    fn show_live(&mut self, live: &mut Live, position: usize) -> Result<ShownQuestion, StoreError> {
        Self::check_position(live, position)?;
        let item = &live.paper.items[position];
        let bank = self.exam_bank()?;
        let q = bank
            .question(&item.question)
            .ok_or_else(|| StoreError::BankMismatch {
                series: bank.series.clone(),
                version: bank.version,
            })?;
        let options = item
            .options
            .iter()
            .filter_map(|id| {
                q.options
                    .iter()
                    .find(|o| &o.id == id)
                    .map(|o| (o.id.clone(), o.text.clone()))
            })
            .collect();
        let shown = ShownQuestion {
            position,
            total: live.paper.items.len(),
            text: q.text.clone(),
            kind: q.kind,
            options,
            image: q.image.as_ref().map(|i| i.path.clone()),
            image_alt: q.image.as_ref().map(|i| i.alt.clone()),
            selected: live.answers.get(&position).cloned().unwrap_or_default(),
            flagged: live.flagged.contains(&position),
        };
        if live.last_shown != Some(position) {
            let qid = item.question.0.clone();
            self.commit(live, |tx, l, head, wall| {
                l.journal(
                    tx,
                    head,
                    wall,
                    Kind::Shown,
                    json!({"position": position, "question": qid}),
                )
            })?;
            live.last_shown = Some(position);
        }
        Ok(shown)
    }

    /// Records an answer (empty = cleared). Returns only after it is durable on disk.
    pub fn answer(
        &mut self,
        position: usize,
        options: BTreeSet<String>,
    ) -> Result<Status, StoreError> {
        let mut live = self.running()?;
        let r = self.answer_live(&mut live, position, options);
        let status = Self::status_of(&live);
        self.live = Some(live);
        r.map(|_| status)
    }

    fn answer_live(
        &mut self,
        live: &mut Live,
        position: usize,
        options: BTreeSet<String>,
    ) -> Result<(), StoreError> {
        Self::check_position(live, position)?;
        let item = &live.paper.items[position];
        let bank = self.exam_bank()?;
        let q = bank
            .question(&item.question)
            .ok_or(StoreError::BadAnswer(position))?;
        let valid = options.iter().all(|o| item.options.contains(o))
            && (q.kind == QuestionKind::Multiple || options.len() <= 1);
        if !valid {
            return Err(StoreError::BadAnswer(position));
        }
        let json = opts_json(&options);
        self.commit(live, |tx, l, head, wall| {
            tx.execute(
                "INSERT INTO answers (attempt, position, options) VALUES (?1, ?2, ?3)
                 ON CONFLICT (attempt, position) DO UPDATE SET options = excluded.options",
                params![l.id, position as i64, json],
            )?;
            tx.execute(
                "UPDATE attempts SET active_ms = ?2 WHERE id = ?1",
                params![l.id, l.active_ms as i64],
            )?;
            l.journal(
                tx,
                head,
                wall,
                Kind::Answered,
                json!({"position": position, "options": options}),
            )
        })?;
        live.persisted_ms = live.active_ms;
        self.last_answer = self.clock.monotonic();
        if options.is_empty() {
            live.answers.remove(&position);
        } else {
            live.answers.insert(position, options);
        }
        Ok(())
    }

    /// Flags a question for review (or clears the flag).
    pub fn flag(&mut self, position: usize, flagged: bool) -> Result<(), StoreError> {
        let mut live = self.running()?;
        let r = (|| {
            Self::check_position(&live, position)?;
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "INSERT INTO answers (attempt, position, options, flagged) VALUES (?1, ?2, '[]', ?3)
                     ON CONFLICT (attempt, position) DO UPDATE SET flagged = excluded.flagged",
                    params![l.id, position as i64, flagged],
                )?;
                l.journal(tx, head, wall, Kind::Flagged, json!({"position": position, "flagged": flagged}))
            })
        })();
        if r.is_ok() {
            if flagged {
                live.flagged.insert(position);
            } else {
                live.flagged.remove(&position);
            }
        }
        self.live = Some(live);
        r
    }

    fn proctor_action(
        &mut self,
        kind: Kind,
        proctor: &str,
        reason: &str,
        apply: impl FnOnce(&Live) -> Result<(State, u64), StoreError>,
    ) -> Result<Status, StoreError> {
        let mut live = self.take()?;
        let r = (|| {
            self.tick_live(&mut live)?;
            if live.state == State::Finished {
                return Err(live.refusal_when_finished());
            }
            let (state, limit_ms) = apply(&live)?;
            let extra = limit_ms - live.limit_ms;
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = ?2, limit_ms = ?3, active_ms = ?4 WHERE id = ?1",
                    params![l.id, state.as_str(), limit_ms as i64, l.active_ms as i64],
                )?;
                journal::append(
                    tx,
                    head,
                    &l.id,
                    wall,
                    l.active_ms,
                    kind,
                    &json!({"proctor": proctor, "reason": reason, "extra_ms": extra}),
                )
            })?;
            live.state = state;
            live.limit_ms = limit_ms;
            live.persisted_ms = live.active_ms;
            live.charged_to = (live.state == State::Running).then(|| self.clock.monotonic());
            Ok(())
        })();
        let status = Self::status_of(&live);
        self.live = Some(live);
        r.map(|_| status)
    }

    /// A proctor pauses the clock.
    pub fn pause(&mut self, proctor: &str, reason: &str) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Paused, proctor, reason, |l| match l.state {
            State::Running => Ok((State::Paused, l.limit_ms)),
            s => Err(StoreError::NotRunning(s.as_str())),
        })
    }

    /// A proctor resumes a paused or interrupted exam.
    pub fn resume(&mut self, proctor: &str, reason: &str) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Resumed, proctor, reason, |l| {
            Ok((State::Running, l.limit_ms))
        })
    }

    /// A proctor adds time: 1 minute or more, and all of an attempt's extensions together at
    /// most [`EXTEND_MAX_MINUTES`] (else [`StoreError::ExtendLimit`] with what is left).
    pub fn extend(
        &mut self,
        proctor: &str,
        minutes: u32,
        reason: &str,
    ) -> Result<Status, StoreError> {
        self.proctor_action(Kind::Extended, proctor, reason, |l| {
            let most = EXTEND_MAX_MINUTES.saturating_sub(l.extended_minutes());
            if minutes == 0 || minutes > most {
                return Err(StoreError::ExtendLimit { minutes, most });
            }
            Ok((l.state, l.limit_ms + u64::from(minutes) * 60_000))
        })
    }

    /// Journals an incident (from the proctor's list, or a camera flag) on the open attempt.
    pub fn incident(&mut self, by: &str, kind: &str, note: &str) -> Result<(), StoreError> {
        let mut live = self.take()?;
        let r = self.commit(&mut live, |tx, l, head, wall| {
            l.journal(
                tx,
                head,
                wall,
                Kind::Incident,
                json!({"by": by, "kind": kind, "note": note}),
            )
        });
        self.live = Some(live);
        r
    }

    /// A proctor ends the exam for a violation: the incident, then the finish.
    pub fn end_for_violation(
        &mut self,
        proctor: &str,
        kind: &str,
        note: &str,
    ) -> Result<SignedResult, StoreError> {
        self.incident(proctor, kind, note)?;
        self.finish(FinishReason::Violation)
    }

    /// The open (or last) attempt's examinee, category and result, for the result screen.
    pub fn attempt_summary(&self) -> Option<(String, Category, State)> {
        self.live
            .as_ref()
            .map(|l| (l.iin.clone(), l.category.clone(), l.state))
    }

    /// Finishes the open exam (submit, or a proctor ending it) and returns the signed result.
    pub fn finish(&mut self, reason: FinishReason) -> Result<SignedResult, StoreError> {
        let mut live = self.take()?;
        let r = self.tick_live(&mut live).and_then(|_| {
            if live.state == State::Finished {
                return Err(live.refusal_when_finished());
            }
            self.finish_live(&mut live, reason)
        });
        self.live = Some(live);
        r
    }

    fn finish_live(
        &mut self,
        live: &mut Live,
        reason: FinishReason,
    ) -> Result<SignedResult, StoreError> {
        let bank = self.exam_bank()?;
        let score: Score = score(
            &live.paper,
            |id| bank.question(id),
            &live.answers,
            &live.category,
        );
        let wall = self.clock.wall_ms();
        let active = live.active_ms.min(live.limit_ms);
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE attempts SET state = 'finished', active_ms = ?2, finished_wall = ?3, finish_reason = ?4, passed = ?5 WHERE id = ?1",
            params![live.id, active as i64, wall, reason.as_str(), score.passed],
        )?;
        let head = journal::append(
            &tx,
            &self.head,
            &live.id,
            wall,
            active,
            Kind::Finished,
            &json!({
                "reason": reason.as_str(), "percent_milli": score.percent_milli, "passed": score.passed,
            }),
        )?;
        let incidents = incidents_of(&tx, &live.id)?;
        let record = ResultRecord {
            format: 1,
            attempt_id: live.id.clone(),
            kiosk_id: self.key.id().to_string(),
            iin: live.iin.clone(),
            category: live.category.id.to_string(),
            bank_series: bank.series.clone(),
            bank_version: bank.version,
            seed: live.paper.seed,
            items: live.paper.items.clone(),
            answers: (0..live.paper.items.len())
                .map(|p| {
                    live.answers
                        .get(&p)
                        .map(|s| s.iter().cloned().collect())
                        .unwrap_or_default()
                })
                .collect(),
            score,
            started_wall_ms: live.started_wall,
            finished_wall_ms: wall,
            active_ms: active,
            limit_ms: live.limit_ms,
            proctor: live.proctor.clone(),
            finish_reason: reason.as_str().to_owned(),
            journal_head: head.hex(),
            evidence_head: (!live.evidence_heads.is_empty()).then(|| live.evidence_heads.join(" ")),
            incidents,
        };
        let signed = SignedResult::sign(record, &self.key);
        tx.execute(
            "INSERT INTO outbox (attempt, result, created) VALUES (?1, ?2, ?3)",
            params![
                live.id,
                serde_json::to_string(&signed).expect("results serialize"),
                wall
            ],
        )?;
        tx.commit()?;
        self.head = head;
        live.state = State::Finished;
        live.finish_reason = Some(reason);
        live.active_ms = active;
        Ok(signed)
    }

    /// Results waiting for delivery, oldest first. Each one's signature is checked with this
    /// kiosk's key: a record changed in the database is refused with [`StoreError::Tampered`]
    /// naming its attempt, never handed on.
    pub fn outbox(&self) -> Result<Vec<SignedResult>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT attempt, result FROM outbox WHERE delivered IS NULL ORDER BY created",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (attempt, json) = row?;
            out.push(crate::outbox::parse_signed(
                &attempt,
                &json,
                &self.kiosk_ed25519(),
            )?);
        }
        Ok(out)
    }

    /// Checks everything that vouches for the kiosk's records: the journal's hash chain, its
    /// tip, that each signed result names its attempt's `finished` row (see
    /// [`journal::verify`]), and each stored result's signature with this kiosk's key.
    pub fn verify_journal(&self) -> Result<Head, StoreError> {
        let head = journal::verify(&self.conn).map_err(|e| match e {
            journal::VerifyError::Tampered(t) => StoreError::Tampered(t.to_string()),
            journal::VerifyError::Db(d) => d.into(),
        })?;
        crate::outbox::verify_all(&self.conn, &self.kiosk_ed25519())?;
        Ok(head)
    }

    /// The saved answers of the open attempt (what the crash tests compare against).
    pub fn answers(&self) -> Option<&Answers> {
        self.live.as_ref().map(|l| &l.answers)
    }

    /// Records the heads of the open attempt's webcam evidence so far: one per segment (camera
    /// run), in order, the last one the running segment's (`N:hex` texts, see
    /// `docs/formats/evidence.md`). They are the attempt's, durable when this returns, taken
    /// back by a restart ([`Engine::evidence_heads`]) and signed into the result at the finish.
    /// A finished attempt's heads are signed already: refused like any change to it.
    pub fn record_evidence_heads<H: std::fmt::Display>(
        &mut self,
        heads: impl IntoIterator<Item = H>,
    ) -> Result<(), StoreError> {
        let heads: Vec<String> = heads.into_iter().map(|h| h.to_string()).collect();
        if let Some(bad) = heads
            .iter()
            .find(|h| h.is_empty() || h.contains(char::is_whitespace))
        {
            return Err(StoreError::Db(format!("malformed evidence head {bad:?}")));
        }
        let live = self.live.as_ref().ok_or(StoreError::NoAttempt)?;
        if live.state == State::Finished {
            return Err(live.refusal_when_finished());
        }
        if live.evidence_heads == heads {
            return Ok(());
        }
        self.conn.execute(
            "UPDATE attempts SET evidence_heads = ?2 WHERE id = ?1",
            params![live.id, heads.join(" ")],
        )?;
        self.unchecked += 1;
        if let Some(l) = self.live.as_mut() {
            l.evidence_heads = heads;
        }
        Ok(())
    }

    /// The evidence heads recorded for the open (or last) attempt, in segment order.
    pub fn evidence_heads(&self) -> &[String] {
        self.live
            .as_ref()
            .map(|l| l.evidence_heads.as_slice())
            .unwrap_or_default()
    }

    /// The bank this engine draws from, if one is in use.
    pub fn bank(&self) -> Option<&ExamBank> {
        self.bank.as_deref()
    }

    /// Positions flagged for review in the open attempt.
    pub fn flagged(&self) -> BTreeSet<usize> {
        self.live
            .as_ref()
            .map(|l| l.flagged.clone())
            .unwrap_or_default()
    }

    /// The signed result of the attempt on the kiosk, once it is finished (its signature
    /// checked with this kiosk's key).
    pub fn last_result(&self) -> Result<Option<ResultRecord>, StoreError> {
        let Some(l) = self.live.as_ref().filter(|l| l.state == State::Finished) else {
            return Ok(None);
        };
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT result FROM outbox WHERE attempt = ?1",
                [&l.id],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            crate::outbox::parse_signed(&l.id, &j, &self.kiosk_ed25519()).map(|s| s.record)
        })
        .transpose()
    }

    /// The newest journal rows, optionally of one kind (the admin's audit view).
    pub fn journal_rows(
        &self,
        kind: Option<&str>,
        limit: u32,
    ) -> Result<Vec<journal::Row>, StoreError> {
        Ok(journal::rows(&self.conn, kind, limit)?)
    }

    /// The open attempt's paper: question ids and option order, no correct answers.
    pub fn paper(&self) -> Option<&Paper> {
        self.live.as_ref().map(|l| &l.paper)
    }

    /// The kiosk's signing key's public half, to verify its results.
    pub fn kiosk_ed25519(&self) -> [u8; 32] {
        self.key.public().ed25519
    }
}

/// The attempt's journalled incidents, in order.
fn incidents_of(conn: &Connection, attempt: &str) -> Result<Vec<IncidentRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at_wall, data FROM journal WHERE attempt = ?1 AND kind = 'incident' ORDER BY seq",
    )?;
    let rows = stmt.query_map([attempt], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at_ms, data) = row?;
        let v: serde_json::Value = serde_json::from_str(&data)
            .map_err(|e| StoreError::Db(format!("journal incident of {attempt}: {e}")))?;
        let field = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        out.push(IncidentRecord {
            at_ms,
            by: field("by"),
            kind: field("kind"),
            note: field("note"),
        });
    }
    Ok(out)
}

impl Live {
    /// How a finished attempt refuses a change: [`StoreError::TimeUp`] when time ran out,
    /// else [`StoreError::Finished`].
    fn refusal_when_finished(&self) -> StoreError {
        match self.finish_reason {
            Some(FinishReason::TimeUp) => StoreError::TimeUp,
            _ => StoreError::Finished,
        }
    }

    /// Minutes proctors added to this attempt so far (its limit over its category's).
    fn extended_minutes(&self) -> u32 {
        let base = u64::from(self.category.time_limit_minutes()) * 60_000;
        u32::try_from(self.limit_ms.saturating_sub(base) / 60_000).unwrap_or(u32::MAX)
    }

    /// Appends a journal row for this attempt at its current active time.
    fn journal(
        &self,
        tx: &Connection,
        head: &Head,
        wall: i64,
        kind: Kind,
        data: serde_json::Value,
    ) -> rusqlite::Result<Head> {
        journal::append(tx, head, &self.id, wall, self.active_ms, kind, &data)
    }
}
