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
//!
//! `Engine` is the one API; its parts live by concern: [`error`] (why a call was refused),
//! [`attempt`] (states, what is shown, taking an attempt back after a stop), [`time`]
//! (timekeeping), [`proctor`] (proctor acts), [`finish`] (scoring and the signed result).
//! Admission, questions, answers and flags are here.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{params, Connection, OptionalExtension as _};
use serde_json::json;
use synaq_core::{assemble, Answers, Category, CategoryId, Iin, Paper, QuestionId, QuestionKind};
use synaq_seal::KioskSecret;

use crate::clock::Clock;
use crate::journal::{self, Head, Kind};

pub mod attempt;
pub mod error;
pub mod finish;
pub mod proctor;
pub mod time;

use attempt::Live;
pub use attempt::{FinishReason, ShownQuestion, State, Status};
pub use error::StoreError;
pub use proctor::{EXTEND_MAX_MINUTES, VISIT_REASON};
pub use time::{IDLE_CHECKPOINT, JUMP_TOLERANCE_MS, PERSIST_EVERY, SUSPEND_GAP};

/// The bank model moved to `synaq-core` (central re-scores with it); re-exported here.
pub use synaq_core::ExamBank;

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
    /// The examinee starts at once: the start row follows the admission (tests, benches, the
    /// crash loop). The kiosk leaves it `false`: the clock starts when the examinee presses
    /// start ([`Engine::start`]).
    pub start: bool,
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
            start: false,
        }
    }

    /// Started at once, as if the examinee pressed start right after the admission.
    pub fn started(self) -> Admission<'a> {
        Admission {
            start: true,
            ..self
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
    key: Arc<KioskSecret>,
    /// The bank exams are drawn from: none when it is missing, expired or refused, and the
    /// store still serves staff, settings, sync and the journal.
    bank: Option<Arc<ExamBank>>,
    head: Head,
    /// The head the whole journal verified up to when the bank was put to use; before signing,
    /// only the rows after it are walked again.
    verified: Head,
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
        let key = Arc::new(crate::identity::load_or_create(dir)?);
        Engine::open_store_with_key(dir, clock, key)
    }

    /// [`Engine::open_store`] signing with `key`, which the caller found (the kiosk's sealed
    /// credential, or the demo key): nothing about keys is read or written in `dir`.
    pub fn open_store_with_key(
        dir: &Path,
        clock: Arc<dyn Clock>,
        key: Arc<KioskSecret>,
    ) -> Result<Engine, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Db(format!("{}: {e}", dir.display())))?;
        let path = dir.join("kiosk.sqlite3");
        let before = crate::schema_version(&path)?;
        let conn = crate::open_db(&path)?;
        let head = journal::head(&conn)?;
        if before < crate::SIGNED_TIP_VERSION && head.seq > 0 {
            // A store from before the tip was signed: signed once, as it is at the upgrade.
            journal::sign_tip(&conn, &key, &head)?;
        }
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let last_answer = clock.monotonic();
        Ok(Engine {
            conn,
            clock,
            key,
            bank: None,
            head,
            verified: Head::genesis(),
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
        // Nothing is drawn, resumed or signed over a journal that does not verify: the store
        // keeps everything as it is for ЕУМЦ's investigators.
        self.verified = self.verify_journal()?;
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

    /// The kiosk's wall clock now (Unix ms), as journal rows record it.
    pub fn wall_ms(&self) -> i64 {
        self.clock.wall_ms()
    }

    /// The kiosk's public key id.
    pub fn kiosk_id(&self) -> String {
        self.key.id().to_string()
    }

    /// The exam left open on this kiosk, if any, read from the tables without a bank (for the
    /// installer's self-check): its id, state and how many answers it has.
    pub fn unfinished(&self) -> Result<Option<(String, String, usize)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.id, a.state, (SELECT count(*) FROM answers n WHERE n.attempt = a.id)
                 FROM attempts a WHERE a.state != 'finished' ORDER BY a.started_wall DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize)),
            )
            .optional()?)
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
        journal::sign_tip(&tx, &self.key, &head)?;
        tx.commit()?;
        self.head = head;
        self.unchecked += 1;
        Ok(())
    }

    /// Journals a staff member's action that belongs to no exam (attempt `""`), chained and
    /// signed like every row.
    pub fn journal_staff_action(
        &mut self,
        kind: Kind,
        data: &serde_json::Value,
    ) -> Result<(), StoreError> {
        debug_assert!(kind.is_staff_action(), "{kind:?} belongs to an exam");
        let wall = self.clock.wall_ms();
        let tx = self.conn.transaction()?;
        let head = journal::append(&tx, &self.head, "", wall, 0, kind, data)?;
        journal::sign_tip(&tx, &self.key, &head)?;
        tx.commit()?;
        self.head = head;
        self.unchecked += 1;
        Ok(())
    }

    /// Admits an examinee: draws the paper (a retake avoids questions this person saw in
    /// failed attempts here, and those ЕУМЦ's roster lists from other kiosks, as far as the
    /// bank allows). The clock waits for the examinee's start ([`Engine::start`]), unless the
    /// admission says [`Admission::started`]. Returns the attempt's id.
    pub fn admit(&mut self, admission: Admission<'_>) -> Result<String, StoreError> {
        let Admission {
            iin,
            category,
            proctor,
            seen_elsewhere,
            seed,
            start,
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
            state: State::Admitted,
            limit_ms,
            active_ms: 0,
            persisted_ms: 0,
            started_wall: wall,
            charged_to: None,
            seen_mono: now,
            seen_wall: wall,
            last_shown: None,
            visit: None,
            finish_reason: None,
            evidence_heads: Vec::new(),
        };
        let (series, version) = (bank.series.clone(), bank.version as i64);
        let paper_json = serde_json::to_string(&live.paper).expect("papers serialize");
        self.commit(&mut live, |tx, l, head, wall| {
            tx.execute(
                "INSERT INTO attempts (id, iin, category, proctor, bank_series, bank_version, paper,
                     state, limit_ms, active_ms, started_wall)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'admitted', ?8, 0, ?9)",
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
                    // What the attempt's row in the tables must keep saying.
                    "paper": synaq_wire::paper_digest(&l.paper.items),
                    "iin_digest": synaq_wire::iin_digest(&l.id, &l.iin),
                    "bank": format!("{series} v{version}"),
                    // What the paper avoided: questions of failed attempts here and elsewhere.
                    "seen_here": seen_here, "seen_elsewhere": seen_elsewhere.len(),
                }),
            )
        })?;
        // The start is the admission row's time, as the result will say.
        live.started_wall = self.conn.query_row(
            "SELECT started_wall FROM attempts WHERE id = ?1",
            [&live.id],
            |r| r.get(0),
        )?;
        let id = live.id.clone();
        self.live = Some(live);
        if start {
            self.start()?;
        }
        Ok(id)
    }

    /// The examinee starts the exam (after the identity and rules screens): journalled, and
    /// the clock runs from here. Starting a running exam again changes nothing; a paused or
    /// interrupted one waits for its proctor ([`StoreError::NotRunning`]).
    pub fn start(&mut self) -> Result<Status, StoreError> {
        let mut live = self.take()?;
        let r = (|| {
            self.tick_live(&mut live)?;
            match live.state {
                State::Admitted => {}
                State::Running => return Ok(()),
                State::Finished => return Err(live.refusal_when_finished()),
                s => return Err(StoreError::NotRunning(s.as_str())),
            }
            self.commit(&mut live, |tx, l, head, wall| {
                tx.execute(
                    "UPDATE attempts SET state = 'running' WHERE id = ?1",
                    [&l.id],
                )?;
                l.journal(tx, head, wall, Kind::Started, json!({}))
            })?;
            live.state = State::Running;
            live.charged_to = Some(self.clock.monotonic());
            Ok(())
        })();
        let status = Self::status_of(&live);
        self.live = Some(live);
        r.map(|_| status)
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

    /// The open (or last) attempt's examinee, category and result, for the result screen.
    pub fn attempt_summary(&self) -> Option<(String, Category, State)> {
        self.live
            .as_ref()
            .map(|l| (l.iin.clone(), l.category.clone(), l.state))
    }

    /// The saved answers of the open attempt (what the crash tests compare against).
    pub fn answers(&self) -> Option<&Answers> {
        self.live.as_ref().map(|l| &l.answers)
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
