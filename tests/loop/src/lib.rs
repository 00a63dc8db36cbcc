//! Test support for the whole-system loop: central on 127.0.0.1, kiosks with real stores.
//! Every address used is on loopback; every loop is bounded.
#![forbid(unsafe_code)]

pub mod browser;
pub mod garage;
pub mod postgres;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use std::time::Duration;
use synaq_central::sql::Database;
use synaq_central::store::EvidenceStore;
use synaq_central::tls::TlsIdentity;
use synaq_central::{Central, NewRosterEntry};
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::bank::{self, BankContent, BankMeta};
use synaq_seal::{FileTrustStore, IssuerPublic, KioskSecret};
use synaq_store::engine::FinishReason;
use synaq_store::{Engine, ExamBank, FakeClock, SignedResult};
use synaq_sync::proto::PullResponse;
use synaq_sync::{CentralPin, Client};

/// The branch every test uses.
pub const BRANCH: &str = "ALM-01";
/// The category every test uses (30 questions in the demo profile).
pub const CATEGORY: &str = "cat-1";
/// A valid synthetic БИН.
pub const OO_BIN: &str = "080840001239";

const DEMO_BANK: &[u8] = include_bytes!("../../../assets/demo/demo.synaqbank");
const DEMO_ISSUER: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");
const DEMO_KIOSK: &str = include_str!("../../../assets/demo/keys/demo-kiosk.key");

/// Unix seconds now.
pub fn now() -> i64 {
    synaq_central::unix_now()
}

/// The demo bank's content (profile and questions), decrypted once with the demo keys.
pub fn demo_content() -> &'static BankContent {
    static C: OnceLock<BankContent> = OnceLock::new();
    C.get_or_init(|| {
        let issuer = IssuerPublic::from_toml(DEMO_ISSUER).expect("demo issuer key");
        let kiosk = KioskSecret::from_toml(DEMO_KIOSK).expect("demo kiosk key");
        let dir = tempfile::tempdir().expect("temp dir");
        let trust = FileTrustStore::open(&dir.path().join("t.json")).expect("trust");
        let h = bank::read_header_unverified(DEMO_BANK)
            .expect("demo header")
            .1;
        bank::open_unrecorded(DEMO_BANK, &issuer, &kiosk, h.not_before, &trust)
            .expect("the demo bank opens")
            .content
    })
}

/// A bank of the demo content signed by `central`, for no kiosk yet (central adds them).
pub fn build_bank(central: &Central, series: &str, version: u64) -> Vec<u8> {
    let t = now();
    bank::build(
        demo_content(),
        &BankMeta {
            series: series.into(),
            version,
            created: t,
            not_before: t - 30 * 86_400,
            not_after: t + 365 * 86_400,
        },
        central.key(),
        &[],
        &mut |_, _| {},
    )
    .expect("bank builds")
}

/// `count` distinct valid synthetic ИИН (born 1 Jan 1990, serials from `start`).
pub fn iins(start: u32, count: usize) -> Vec<Iin> {
    let mut out = Vec::with_capacity(count);
    let mut serial = start;
    while out.len() < count {
        let s = format!("9001013{serial:04}");
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let first: [u8; 11] = d.try_into().expect("11 digits");
        if let Some(c) = synaq_core::id::control_digit(&first) {
            if let Ok(i) = Iin::parse(&format!("{s}{c}")) {
                out.push(i);
            }
        }
        serial += 1;
        assert!(serial < 10_000, "ran out of synthetic serials");
    }
    out
}

/// A central in a temp dir, serving on a fresh 127.0.0.1 port in this runtime.
#[derive(Debug)]
pub struct Running {
    /// The service.
    pub central: Arc<Central>,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its data directory.
    pub dir: tempfile::TempDir,
    /// The fingerprint of its TLS certificate (what kiosks pin).
    pub pin: CentralPin,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// `https://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// An HTTPS client pinned to this central (for raw requests).
    pub fn http(&self) -> reqwest::Client {
        synaq_sync::tls::http_client(self.pin).expect("https client")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Where the central under test keeps evidence: its data directory (the default) or a bucket
/// of a three-node Garage cluster started for the test (and killed when this is dropped).
#[derive(Debug)]
pub struct EvidenceBackend {
    /// The cluster, for the S3 backend.
    pub garage: Option<garage::Garage>,
    /// The bucket central uses on it.
    pub bucket: String,
}

impl EvidenceBackend {
    /// `<data>/evidence`.
    pub fn local() -> EvidenceBackend {
        EvidenceBackend {
            garage: None,
            bucket: String::new(),
        }
    }

    /// A fresh Garage cluster with the bucket `evidence`.
    pub fn garage() -> EvidenceBackend {
        EvidenceBackend {
            garage: Some(garage::Garage::start("evidence")),
            bucket: "evidence".into(),
        }
    }

    /// `local` or `garage`, for messages.
    pub fn name(&self) -> &'static str {
        if self.garage.is_some() {
            "garage"
        } else {
            "local"
        }
    }

    /// A store for central's data directory `data` (a new client each call).
    pub fn store(&self, data: &Path) -> EvidenceStore {
        match &self.garage {
            Some(g) => g.store(&self.bucket),
            None => EvidenceStore::local(data.join(synaq_central::evidence::EVIDENCE_DIR)),
        }
    }

    /// Another, empty store of the same kind (a restore target): `bucket` on the same
    /// cluster, or the local directory of `data`.
    pub fn fresh_store(&self, bucket: &str, data: &Path) -> EvidenceStore {
        match &self.garage {
            Some(g) => {
                g.create_bucket(bucket);
                g.store(bucket)
            }
            None => EvidenceStore::local(data.join(synaq_central::evidence::EVIDENCE_DIR)),
        }
    }

    /// The store on `bucket` (made by [`EvidenceBackend::fresh_store`]), or the local
    /// directory of `data`.
    pub fn store_in(&self, bucket: &str, data: &Path) -> EvidenceStore {
        match &self.garage {
            Some(g) => g.store(bucket),
            None => EvidenceStore::local(data.join(synaq_central::evidence::EVIDENCE_DIR)),
        }
    }

    /// The environment for a central child process (`synaq-loop-central`).
    pub fn env(&self) -> Vec<(String, String)> {
        self.garage
            .as_ref()
            .map(|g| g.env(&self.bucket))
            .unwrap_or_default()
    }
}

/// The completed evidence of `attempt` central keeps, by relative path (from any store).
pub fn stored_evidence(c: &Central, attempt: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let view = c.evidence_store().view(attempt).expect("evidence view");
    if !view.path().exists() {
        return Default::default();
    }
    snapshot(view.path())
}

/// Bytes of `attempt`'s upload central stored so far (any store).
pub fn uploaded_bytes(c: &Central, attempt: &str) -> u64 {
    c.evidence_store()
        .files(attempt, synaq_central::store::Area::Upload)
        .expect("stored files")
        .values()
        .sum()
}

/// Starts central over HTTPS (its own self-signed certificate) with a branch, a proctor and
/// the demo bank published.
pub async fn start_central() -> Running {
    start_central_on(&EvidenceBackend::local()).await
}

/// [`start_central`] keeping evidence in `backend`.
pub async fn start_central_on(backend: &EvidenceBackend) -> Running {
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let central = Arc::new(setup_central_with(
        dir.path(),
        &format!("https://{addr}"),
        backend.store(dir.path()),
    ));
    let identity = tls_identity(dir.path());
    let tls = identity.server_config().expect("tls config");
    let c = Arc::clone(&central);
    let task = tokio::spawn(async move {
        let _ = synaq_central::http::serve(c, listener, tls).await;
    });
    Running {
        central,
        addr,
        dir,
        pin: identity.pin(),
        task,
    }
}

/// Central's TLS identity in `dir` (made on first use, for 127.0.0.1 and localhost).
pub fn tls_identity(dir: &Path) -> TlsIdentity {
    TlsIdentity::load_or_create(dir, &[]).expect("tls identity")
}

/// Opens central in `dir` with a branch, a proctor and the demo bank (`demo` v1) published.
pub fn setup_central(dir: &Path, base: &str) -> Central {
    setup_central_with(
        dir,
        base,
        EvidenceStore::local(dir.join(synaq_central::evidence::EVIDENCE_DIR)),
    )
}

/// [`setup_central`] with evidence kept in `store`.
pub fn setup_central_with(dir: &Path, base: &str, store: EvidenceStore) -> Central {
    setup_central_on(dir, base, store, &database_for(dir))
}

/// [`setup_central_with`] on `database`.
pub fn setup_central_on(
    dir: &Path,
    base: &str,
    store: EvidenceStore,
    database: &Database,
) -> Central {
    databases()
        .lock()
        .unwrap()
        .insert(dir.to_owned(), database.clone());
    let c = Central::open_on(dir, base, store, database).expect("central opens");
    c.add_branch(BRANCH, "Алматы").expect("branch");
    c.set_staff(BRANCH, "proctor-1", "Айгүл Нұрланова", "proctor", true)
        .expect("staff");
    let b = build_bank(&c, "demo", 1);
    c.publish_bank(&b).expect("publish");
    c
}

/// Whether this test process runs its centrals on PostgreSQL (`SYNAQ_TEST_DATABASE=postgres`:
/// one cluster for the process, a fresh database for each central) rather than SQLite. The
/// same tests run on both: `cargo xtask test` runs them once for each.
pub fn on_postgres() -> bool {
    std::env::var("SYNAQ_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

fn databases() -> &'static std::sync::Mutex<std::collections::HashMap<PathBuf, Database>> {
    static D: OnceLock<std::sync::Mutex<std::collections::HashMap<PathBuf, Database>>> =
        OnceLock::new();
    D.get_or_init(Default::default)
}

/// The database for a new central in `dir` ([`on_postgres`]), remembered for
/// [`database_of`].
pub fn database_for(dir: &Path) -> Database {
    let db = if on_postgres() {
        Database::Postgres(postgres::Postgres::fresh_database())
    } else {
        Database::Sqlite
    };
    databases()
        .lock()
        .unwrap()
        .insert(dir.to_owned(), db.clone());
    db
}

/// The database central in `dir` was made with (SQLite for a directory the harness did not
/// make).
pub fn database_of(dir: &Path) -> Database {
    databases()
        .lock()
        .unwrap()
        .get(dir)
        .cloned()
        .unwrap_or(Database::Sqlite)
}

/// Opens central in `dir` again, on its database, with evidence in its directory.
pub fn reopen(dir: &Path, base: &str) -> Central {
    reopen_with(
        dir,
        base,
        EvidenceStore::local(dir.join(synaq_central::evidence::EVIDENCE_DIR)),
    )
}

/// [`reopen`] with evidence in `store`.
pub fn reopen_with(dir: &Path, base: &str, store: EvidenceStore) -> Central {
    Central::open_on(dir, base, store, &database_of(dir)).expect("central opens again")
}

/// The environment that points a central child process (`synaq-loop-central`) at the
/// database of `dir`.
pub fn database_env(dir: &Path) -> Vec<(String, String)> {
    match database_of(dir) {
        Database::Sqlite => Vec::new(),
        Database::Postgres(url) => vec![("SYNAQ_DATABASE".into(), url)],
    }
}

/// A registration of `iin` for [`CATEGORY`] at [`BRANCH`], allowed from 10 days ago to
/// 10 days ahead.
pub fn entry(iin: &Iin, attempt: u32) -> NewRosterEntry {
    entry_in(iin, attempt, CATEGORY)
}

/// [`entry`] for `category`.
pub fn entry_in(iin: &Iin, attempt: u32, category: &str) -> NewRosterEntry {
    let today = synaq_central::local_date(now() * 1000);
    NewRosterEntry {
        branch: BRANCH.into(),
        iin: iin.clone(),
        name: format!("Тестов Тест {}", &iin.masked()[8..]),
        category: CategoryId::new(category).expect("category"),
        oo_bin: Bin::parse(OO_BIN).expect("bin"),
        oo_name: "ТОО «Қауіпсіз Еңбек»".into(),
        attempt,
        allowed_from: today - chrono::Days::new(10),
        allowed_to: today + chrono::Days::new(10),
    }
}

/// Registers `iin` (see [`entry`]).
pub fn register(c: &Central, iin: &Iin, attempt: u32) {
    c.add_roster_entry(&entry(iin, attempt))
        .expect("roster entry");
}

/// Registers everyone in `iins` for a first attempt, in one transaction.
pub fn register_all(c: &Central, iins: &[Iin]) {
    let e: Vec<NewRosterEntry> = iins.iter().map(|i| entry(i, 1)).collect();
    c.add_roster_entries(&e).expect("roster entries");
}

/// A kiosk's data directory and key.
#[derive(Debug)]
pub struct Kiosk {
    /// Its data directory (key, store).
    pub dir: tempfile::TempDir,
    /// Its key.
    pub key: Arc<KioskSecret>,
}

/// The clocks of kiosks whose exams are sat at a person's pace ([`Kiosk::clock`]), by kiosk id.
fn clocks() -> &'static std::sync::Mutex<std::collections::HashMap<String, Arc<FakeClock>>> {
    static C: OnceLock<std::sync::Mutex<std::collections::HashMap<String, Arc<FakeClock>>>> =
        OnceLock::new();
    C.get_or_init(Default::default)
}

/// Seconds an honest examinee spends per question in [`sit_exam`] (the profile's minimum
/// is 3 s).
pub const SECONDS_PER_ANSWER: u64 = 10;

/// The evidence key the harness seals to (ЕУМЦ's reviewers hold its secret).
pub fn evidence_key() -> synaq_proctor::EvidenceSecret {
    synaq_proctor::EvidenceSecret::from_bytes([0x5e; 32])
}

impl Kiosk {
    /// A clock for this kiosk's engine that exams move at a person's pace: [`sit_exam`] on an
    /// engine with this clock spends [`SECONDS_PER_ANSWER`] per question and records webcam
    /// evidence (a frame every 5 s, the reference photo first) under
    /// [`Kiosk::evidence_root`]. It starts two hours ago, so the exams end before now.
    pub fn clock(&self) -> Arc<FakeClock> {
        self.clock_at((now() - 2 * 3600) * 1000)
    }

    /// [`Kiosk::clock`] starting at `wall_ms`.
    pub fn clock_at(&self, wall_ms: i64) -> Arc<FakeClock> {
        let c = Arc::new(FakeClock::new(wall_ms));
        clocks()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self.key.id().to_string(), Arc::clone(&c));
        c
    }

    /// Where this kiosk's webcam evidence is written.
    pub fn evidence_root(&self) -> PathBuf {
        self.dir.path().join("evidence")
    }

    /// A new kiosk with its key created the way the app creates it.
    pub fn new() -> Kiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = synaq_store::identity::load_or_create(dir.path()).expect("kiosk key");
        Kiosk {
            dir,
            key: Arc::new(key),
        }
    }

    /// A client for central at `base`, trusting the TLS certificate `pin` and answers signed
    /// by `central`.
    pub fn client(&self, base: &str, central: &IssuerPublic, pin: CentralPin) -> Client {
        Client::new(base, Arc::clone(&self.key), central.clone(), pin).expect("client")
    }

    /// A client for the running central `c`, pinned to its certificate.
    pub fn client_of(&self, c: &Running) -> Client {
        self.client(&c.base(), &c.central.public(), c.pin)
    }

    /// Opens the first bank of a pull with this kiosk's key.
    pub fn open_bank(&self, pull: &PullResponse, central: &IssuerPublic) -> Arc<ExamBank> {
        let d = pull.banks.first().expect("a bank in the pull");
        let bytes = B64.decode(&d.bank).expect("base64");
        let mut trust =
            FileTrustStore::open(&self.dir.path().join("trust.json")).expect("trust store");
        let o = bank::open(&bytes, central, &self.key, now(), &mut trust)
            .expect("the pulled bank opens with this kiosk's key");
        Arc::new(ExamBank::new(
            o.header.series,
            o.header.version,
            o.profile,
            o.content.questions,
        ))
    }

    /// The kiosk's engine over `bank` with `clock`.
    pub fn engine(&self, bank: Arc<ExamBank>, clock: Arc<dyn synaq_store::Clock>) -> Engine {
        Engine::open(self.dir.path(), clock, bank).expect("engine opens")
    }
}

impl Default for Kiosk {
    fn default() -> Self {
        Kiosk::new()
    }
}

/// The kiosk's pending results with their journal runs, as a signed results bundle (what
/// `synaq export` writes, without the evidence).
pub fn results_bundle(engine: &Engine, key: &KioskSecret) -> synaq_sync::bundle::ResultsBundle {
    let pending = engine.pending().expect("pending results");
    let journals =
        synaq_sync::client::journals_of(engine.connection(), &pending).expect("journal runs");
    synaq_sync::bundle::results_bundle(key, pending, journals, Vec::new(), now())
}

/// Sits a whole exam headless through the engine: every answer right (`pass`) or wrong. On an
/// engine with a [`Kiosk::clock`], honestly: at a person's pace, proctored by the camera.
pub fn sit_exam(engine: &mut Engine, bank: &ExamBank, iin: &Iin, pass: bool) -> SignedResult {
    sit_exam_in(engine, bank, iin, pass, CATEGORY)
}

/// [`sit_exam`] in `category`.
pub fn sit_exam_in(
    engine: &mut Engine,
    bank: &ExamBank,
    iin: &Iin,
    pass: bool,
    category: &str,
) -> SignedResult {
    let clock = clocks()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&engine.kiosk_id())
        .cloned();
    let Some(clock) = clock else {
        return sit_exam_with(engine, bank, iin, pass, |_, _| {});
    };
    let cat = CategoryId::new(category).expect("category");
    let attempt = engine
        .admit(synaq_store::Admission::new(iin, &cat, "proctor-1").started())
        .expect("admit");
    let root = engine_evidence_root(engine);
    let mut w = synaq_proctor::EvidenceWriter::new(
        &root.join(&attempt).join("1"),
        &attempt,
        &evidence_key().public(),
    )
    .expect("evidence");
    let wall = |c: &FakeClock| {
        std::time::UNIX_EPOCH + Duration::from_millis(synaq_store::Clock::wall_ms(c).max(0) as u64)
    };
    let shot = |w: &mut synaq_proctor::EvidenceWriter, k: u32| {
        let mut f = frame(k, false);
        f.captured_at = wall(&clock);
        w.append(&f).expect("frame sealed");
    };
    shot(&mut w, 0);
    let items = engine.paper().expect("paper").items.clone();
    let mut k = 1;
    for (pos, item) in items.iter().enumerate() {
        for _ in 0..SECONDS_PER_ANSWER / 5 {
            clock.advance(Duration::from_secs(5));
            engine.tick().expect("tick");
            shot(&mut w, k);
            k += 1;
        }
        engine.show(pos).expect("show");
        engine
            .answer(pos, pick(bank, &item.question, pass))
            .expect("answer");
    }
    engine
        .record_evidence_heads([w.head()])
        .expect("evidence heads recorded");
    engine.finish(FinishReason::Submitted).expect("finish")
}

/// Delivers every attempt's evidence under the kiosk's evidence root to central (the checks
/// of an upload, as from removable media); returns how many were accepted.
pub fn deliver_evidence(c: &Central, kiosk: &Kiosk) -> usize {
    let root = kiosk.evidence_root();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return 0;
    };
    let id = kiosk.key.id().to_string();
    let mut n = 0;
    for d in dirs {
        let attempt = d.expect("entry").file_name().to_string_lossy().into_owned();
        let files = synaq_sync::evidence::local_manifest(&root.join(&attempt)).expect("manifest");
        if c.import_evidence(&id, &attempt, &files, Some(&root), now())
            .is_ok()
        {
            n += 1;
        }
    }
    n
}

/// Where [`sit_exam`] writes the evidence of an engine's kiosk: `<kiosk dir>/evidence`.
fn engine_evidence_root(engine: &Engine) -> PathBuf {
    let db: PathBuf = engine
        .connection()
        .path()
        .map(PathBuf::from)
        .expect("the kiosk database is a file");
    db.parent().expect("in the kiosk dir").join("evidence")
}

fn pick(bank: &ExamBank, question: &synaq_core::QuestionId, pass: bool) -> BTreeSet<String> {
    let q = bank.question(question).expect("question in bank");
    if pass {
        q.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.clone())
            .collect()
    } else {
        q.options
            .iter()
            .find(|o| !o.correct)
            .map(|o| o.id.clone())
            .into_iter()
            .collect()
    }
}

/// [`sit_exam`], calling `during(engine, attempt_id)` after the admission (to journal
/// incidents or record webcam evidence) and before the answers and the finish.
pub fn sit_exam_with(
    engine: &mut Engine,
    bank: &ExamBank,
    iin: &Iin,
    pass: bool,
    during: impl FnOnce(&mut Engine, &str),
) -> SignedResult {
    let cat = CategoryId::new(CATEGORY).expect("category");
    let attempt = engine
        .admit(synaq_store::Admission::new(iin, &cat, "proctor-1").started())
        .expect("admit");
    during(engine, &attempt);
    let items = engine.paper().expect("paper").items.clone();
    for (pos, item) in items.iter().enumerate() {
        engine.show(pos).expect("show");
        engine
            .answer(pos, pick(bank, &item.question, pass))
            .expect("answer");
    }
    engine.finish(FinishReason::Submitted).expect("finish")
}

/// A copy of `template` for another person and attempt, signed by `key` (fast load tests:
/// the paper and answers stay those of a real exam, so central's re-scoring agrees).
pub fn resign(template: &SignedResult, key: &KioskSecret, iin: &Iin, n: usize) -> SignedResult {
    let mut r = template.record.clone();
    r.iin = iin.as_str();
    r.kiosk_id = key.id().to_string();
    r.attempt_id = format!("{}-{n:016x}", key.id());
    SignedResult::sign(r, key)
}

/// Enrolls `kiosk` directly with central (no network: the request file / certificate file path).
pub fn enroll_offline(c: &Central, kiosk: &Kiosk) {
    let code = c.enrollment_code(BRANCH).expect("code");
    c.enroll(
        &synaq_sync::proto::EnrollRequest {
            v: synaq_sync::PROTOCOL_VERSION,
            branch: BRANCH.into(),
            code,
            kiosk_public: kiosk.key.public().to_toml(),
        },
        now(),
    )
    .expect("enrolls");
}

/// A synthetic webcam frame: a JPEG of a drawn room, or (`raw`) a 640×480 RGB frame, larger
/// than one upload chunk.
pub fn frame(seed: u32, raw: bool) -> synaq_proctor::Frame {
    let (w, h) = if raw { (640, 480) } else { (160, 120) };
    let img = synaq_proctor::synth::room(w, h, seed);
    let (bytes, format) = if raw {
        (img.into_raw(), synaq_proctor::PixelFormat::Rgb8)
    } else {
        (
            synaq_proctor::synth::jpeg(&img, 80),
            synaq_proctor::PixelFormat::Jpeg,
        )
    };
    synaq_proctor::Frame {
        bytes,
        format,
        width: w,
        height: h,
        captured_at: std::time::SystemTime::now(),
    }
}

/// Writes an attempt's evidence as the kiosk does: one segment per entry of `segments` (a
/// new segment per kiosk restart), each with that many frames (the first frame of segment 1
/// raw RGB when `raw_first`), under `root/<attempt>/<n>/`. Returns the `evidence_head` for
/// the result: the segments' heads joined by spaces.
pub fn write_evidence(
    root: &Path,
    attempt: &str,
    to: &synaq_proctor::EvidencePublic,
    segments: &[u32],
    raw_first: bool,
) -> String {
    let mut heads = Vec::new();
    for (i, &frames) in segments.iter().enumerate() {
        let dir = root.join(attempt).join((i + 1).to_string());
        let mut w = synaq_proctor::EvidenceWriter::new(&dir, attempt, to).expect("evidence");
        for k in 0..frames {
            w.append(&frame(i as u32 * 100 + k, raw_first && i == 0 && k == 0))
                .expect("frame sealed");
        }
        heads.push(w.head());
    }
    synaq_sync::evidence::join_heads(&heads)
}

/// Sits an exam with webcam evidence in `segments` and two incidents journalled.
pub fn sit_exam_with_evidence(
    engine: &mut Engine,
    bank: &ExamBank,
    iin: &Iin,
    root: &Path,
    to: &synaq_proctor::EvidencePublic,
    segments: &[u32],
) -> SignedResult {
    sit_exam_with(engine, bank, iin, true, |e, attempt| {
        let head = write_evidence(root, attempt, to, segments, true);
        e.incident("proctor-1", "phone", "a phone on the desk")
            .expect("incident");
        e.incident("camera", "camera-no-face", "frame=00")
            .expect("incident");
        e.record_evidence_heads(head.split(' '))
            .expect("evidence heads recorded");
    })
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![(dir.to_owned(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().expect("type").is_dir() {
                stack.push((e.path(), r));
            } else {
                out.insert(r, std::fs::read(e.path()).expect("read"));
            }
        }
    }
    out
}

/// `/v1/evidence/status` as the kiosk would call it, without the client's resume logic.
pub async fn raw_status(client: &Client, attempt: &str) -> synaq_sync::evidence::EvidenceStatus {
    client
        .call(
            "/v1/evidence/status",
            &synaq_sync::evidence::EvidenceStatusRequest {
                v: synaq_sync::PROTOCOL_VERSION,
                attempt_id: attempt.into(),
            },
        )
        .await
        .unwrap()
}

/// One `/v1/evidence/chunk` call as given, without the client's checks.
pub async fn raw_chunk(
    client: &Client,
    attempt: &str,
    path: &str,
    offset: u64,
    data: &[u8],
) -> Result<synaq_sync::evidence::ChunkAck, synaq_sync::SyncError> {
    client
        .call(
            "/v1/evidence/chunk",
            &synaq_sync::evidence::EvidenceChunk {
                v: synaq_sync::PROTOCOL_VERSION,
                attempt_id: attempt.into(),
                path: path.into(),
                offset,
                data: synaq_sync::evidence::encode_chunk(data),
            },
        )
        .await
}

/// The code of a refusal (with a message), or a panic naming what came instead.
pub fn refused(r: Result<impl std::fmt::Debug, synaq_sync::SyncError>) -> String {
    match r {
        Err(synaq_sync::SyncError::Refused { code, message, .. }) => {
            assert!(!message.is_empty());
            code
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The password of every portal account [`start_portal`] makes.
pub const PORTAL_PASSWORD: &str = "correct horse battery staple";

/// [`start_central`] with the training organisation [`OO_BIN`] on ЕУМЦ's list and one portal
/// account per role, named after it (`oo`, `registrar`, `reviewer`, `analyst`, `admin`).
pub async fn start_portal() -> Running {
    use synaq_central::portal::{Account, Role};
    let c = start_central().await;
    let t = now();
    let registrar = Account {
        login: "registrar".into(),
        name: "Registrar".into(),
        role: Role::Registrar,
        oo_bin: None,
    };
    c.central
        .oo_add(&registrar, OO_BIN, "«Қауіпсіз Еңбек» ЖШС", t)
        .expect("ОО on the list");
    for role in Role::ALL {
        let bin = (role == Role::Oo).then_some(OO_BIN);
        let name = match role {
            Role::Oo => "Гүлнар Әбенова",
            Role::Registrar => "Ерлан Сейітов",
            Role::Reviewer => "Дана Омарова",
            Role::Analyst => "Тимур Ким",
            Role::Admin => "Әсел Жұмабаева",
        };
        c.central
            .add_account(role.as_str(), name, role, bin, PORTAL_PASSWORD, t)
            .expect("account");
    }
    c
}

/// A kiosk of [`BRANCH`] sits `passes` honest passes and `fails` fails of learners of
/// [`OO_BIN`] (ИИНs from `serial`), each pushed with its journal and its evidence delivered:
/// central certifies the passes and records the fails. Returns the attempts.
pub fn sit_and_deliver(c: &Central, serial: u32, passes: usize, fails: usize) -> Vec<String> {
    let kiosk = Kiosk::new();
    enroll_offline(c, &kiosk);
    let pull = c.pull(&kiosk.key.id().to_string(), 0, now()).expect("pull");
    let bank = kiosk.open_bank(&pull, &c.public());
    let mut engine = kiosk.engine(Arc::clone(&bank), kiosk.clock());
    let people = iins(serial, passes + fails);
    register_all(c, &people);
    let results: Vec<SignedResult> = people
        .iter()
        .enumerate()
        .map(|(i, p)| sit_exam(&mut engine, &bank, p, i < passes))
        .collect();
    let journals =
        synaq_sync::client::journals_of(engine.connection(), &results).expect("journal runs");
    c.ingest(
        Some(&kiosk.key.id().to_string()),
        &results,
        &journals,
        now(),
    )
    .expect("ingest");
    deliver_evidence(c, &kiosk);
    results.into_iter().map(|r| r.record.attempt_id).collect()
}
