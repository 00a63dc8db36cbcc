//! What crosses the IPC boundary. These are view types, separate from the domain types on
//! purpose: a field added to a domain type (a correct answer, a key) can never leak into the
//! webview by accident, because nothing here derives from it.

use serde::{Deserialize, Serialize};
use specta::Type;
use synaq_core::{ExamProfile, Lang, Question, Text};

/// A language the UI can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum UiLang {
    Kk,
    Ru,
    En,
}

impl From<UiLang> for Lang {
    fn from(l: UiLang) -> Lang {
        match l {
            UiLang::Kk => Lang::Kk,
            UiLang::Ru => Lang::Ru,
            UiLang::En => Lang::En,
        }
    }
}

/// A name in each of the UI's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct LocalizedName {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl From<&Text> for LocalizedName {
    fn from(t: &Text) -> Self {
        LocalizedName {
            kk: t.get(Lang::Kk).to_owned(),
            ru: t.get(Lang::Ru).to_owned(),
            en: t.get(Lang::En).to_owned(),
        }
    }
}

/// One exam category as the category list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CategorySummary {
    pub id: String,
    pub number: u32,
    pub name: LocalizedName,
    pub question_count: u32,
    pub time_limit_minutes: u32,
    pub pass_percent: u32,
    pub training_hours: u32,
    /// How many questions the bank holds for this category (the exam draws `question_count`).
    pub bank_questions: u32,
}

/// The categories of a profile with the bank's counts, in display order.
pub fn category_summaries(profile: &ExamProfile, questions: &[Question]) -> Vec<CategorySummary> {
    profile
        .categories_in_order()
        .into_iter()
        .map(|c| CategorySummary {
            id: c.id.to_string(),
            number: c.number,
            name: (&c.name).into(),
            question_count: c.question_count,
            time_limit_minutes: c.time_limit_minutes(),
            pass_percent: c.pass_percent,
            training_hours: c.training_hours,
            bank_questions: questions.iter().filter(|q| q.is_for(&c.id)).count() as u32,
        })
        .collect()
}

/// An error as the UI receives it: a stable code, the values its message shows, and the
/// message formatted with them in the language the person chose. Never a raw Rust error string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    pub code: String,
    /// The message's arguments by name: the UI formats the message again with them after a
    /// language switch.
    pub args: std::collections::BTreeMap<String, ArgView>,
    pub message: String,
}

/// One argument of an error's message: a number (plural forms follow it) or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(untagged)]
pub enum ArgView {
    Number(i32),
    Text(String),
}

impl From<&synaq_core::Arg> for ArgView {
    fn from(a: &synaq_core::Arg) -> ArgView {
        match a {
            synaq_core::Arg::Int(n) => ArgView::Number(i32::try_from(*n).unwrap_or(if *n < 0 {
                i32::MIN
            } else {
                i32::MAX
            })),
            synaq_core::Arg::Text(t) => ArgView::Text(t.clone()),
        }
    }
}

/// The incident lists the UI shows (one constant in the bindings: tauri-specta writes several
/// constants in no fixed order).
#[derive(Debug, Clone, Serialize, Type)]
pub struct IncidentLists {
    /// What a proctor may give as a reason.
    pub proctor: Vec<synaq_core::Incident>,
    /// Every incident, camera flags included.
    pub all: Vec<synaq_core::Incident>,
}

impl IncidentLists {
    /// The lists, from `synaq_core::Incident`.
    pub fn new() -> IncidentLists {
        IncidentLists {
            proctor: synaq_core::Incident::PROCTOR_REASONS.to_vec(),
            all: synaq_core::Incident::ALL.to_vec(),
        }
    }
}

impl Default for IncidentLists {
    fn default() -> IncidentLists {
        IncidentLists::new()
    }
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum AttemptState {
    /// Admitted; the examinee has not pressed start yet (the clock waits).
    Admitted,
    Running,
    Paused,
    Interrupted,
    Finished,
}

/// How an exam ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FinishView {
    Submitted,
    TimeUp,
    Violation,
}

impl FinishView {
    /// The signed result's `finish_reason` (`submitted`, `time_up`, `violation`).
    pub fn of(reason: &str) -> FinishView {
        match reason {
            "time_up" => FinishView::TimeUp,
            "violation" => FinishView::Violation,
            _ => FinishView::Submitted,
        }
    }
}

/// What an import brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    Bank,
    Roster,
}

/// Whether the kiosk sees a camera device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum CameraPresence {
    Present,
    Absent,
}

/// A result's way to ЕУМЦ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    Queued,
    Delivered,
    Refused,
}

/// A result's camera evidence on its way to ЕУМЦ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceDelivery {
    None,
    Queued,
    Delivered,
}

/// The part of a running sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum SyncStage {
    Results,
    Evidence,
    Pull,
}

/// Where the kiosk stands, for the start screen. No personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// No staff account yet: the first start asks for the kiosk name and the first admin.
    pub first_run: bool,
    pub kiosk_name: Option<String>,
    /// Why no exam can run (no bank, bad bank, keys), translated.
    pub problem: Option<IpcError>,
    /// `running`, `paused`, `interrupted` or `finished` when an attempt is on this kiosk.
    pub attempt: Option<AttemptState>,
    /// Free disk space in MB when it is low (staff screens warn; sync frees evidence).
    pub disk_low_mb: Option<u32>,
}

/// A picture from the camera for the proctor's or admin's eyes only (never stored as is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CameraPicture {
    /// `data:image/jpeg;base64,…`, at most 320 pixels wide.
    pub jpeg: String,
    /// Faces the on-device check found in it.
    pub faces: u32,
}

/// A staff role that can log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum StaffRoleView {
    Admin,
    Proctor,
}

/// A session for the UI to pass back with every call of its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub token: String,
    pub name: String,
}

/// A roster entry the proctor can admit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RosterMatch {
    pub name: String,
    pub masked_iin: String,
    pub category: String,
    pub category_number: u32,
    pub category_name: LocalizedName,
    pub oo_name: String,
    pub attempt: u32,
}

/// One cell of the question grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct GridCell {
    pub answered: bool,
    pub flagged: bool,
}

/// The result screen's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResultView {
    /// Thousandths of a percent (70 000 = 70 %).
    pub percent_milli: u32,
    pub correct: u32,
    pub total: u32,
    pub passed: bool,
    /// `submitted`, `time_up` or `violation`.
    pub finish_reason: FinishView,
    /// On a fail: the last day a retake is allowed (dd.MM.yyyy, the office's date).
    pub retake_until: Option<String>,
    /// The day of the exam (dd.MM.yyyy, the office's date).
    pub date: String,
}

/// The examinee's exam, as every examinee screen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExamStatus {
    /// `running`, `paused`, `interrupted` or `finished`.
    pub state: AttemptState,
    pub remaining_ms: u32,
    pub limit_ms: u32,
    pub name: String,
    pub masked_iin: String,
    pub category_number: u32,
    pub category_name: LocalizedName,
    pub pass_percent: u32,
    pub grid: Vec<GridCell>,
    pub result: Option<ResultView>,
    /// The question last shown: where the examinee returns after a resume or a proctor's
    /// visit (`None` before the first).
    pub last_shown: Option<u32>,
    /// What the examinee can act on from the camera's checks, while it lasts (the newest
    /// flag of the last [`CAMERA_NOTICE_MS`]): `camera-no-face`, `camera-several-faces`,
    /// `camera-covered`. The count of flags is the proctor's, never shown here.
    pub camera_notice: Option<String>,
    /// The bank has no English texts: in English the questions are shown in Russian.
    pub questions_in_russian: bool,
}

/// How long a camera flag the examinee can act on stays on their screen, ms.
pub const CAMERA_NOTICE_MS: i64 = 20_000;

/// A camera flag as the proctor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CameraFlagView {
    /// The incident code (`camera-no-face`, …).
    pub kind: String,
    /// When, the office's time (HH:MM:SS).
    pub at: String,
}

/// An option as shown: id and text, no correctness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct OptionView {
    pub id: String,
    pub text: LocalizedName,
}

/// One question as shown to the examinee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionView {
    pub position: u32,
    pub total: u32,
    pub text: LocalizedName,
    pub multiple: bool,
    pub options: Vec<OptionView>,
    /// The image as a `data:` URL (the CSP allows no other source).
    pub image: Option<String>,
    pub image_alt: Option<LocalizedName>,
    pub selected: Vec<String>,
    pub flagged: bool,
}

/// The answer is on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Saved {
    pub remaining_ms: u32,
}

/// A proctor's view of the attempt on this kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    pub state: AttemptState,
    pub name: String,
    pub masked_iin: String,
    pub category_number: u32,
    pub remaining_ms: u32,
    pub answered: u32,
    pub total: u32,
    /// Camera flags raised during the attempt, oldest first.
    pub flags: Vec<CameraFlagView>,
    /// The clock is stopped by this proctor visit: it runs again when the proctor leaves.
    pub visit: bool,
}

/// A staff account in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StaffView {
    pub id: String,
    pub name: String,
    pub role: StaffRoleView,
    pub disabled: bool,
    /// Has an account (a password) on this kiosk.
    pub on_kiosk: bool,
    /// On the branch's staff list from ЕУМЦ.
    pub from_central: bool,
}

/// One row of the audit journal.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JournalRow {
    pub seq: u32,
    pub at_wall_ms: f64,
    /// When, in the office's time (dd.MM.yyyy HH:mm:ss).
    pub at: String,
    pub attempt: String,
    pub kind: String,
    pub data: String,
}

/// What an import found: the file is trusted and now in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportVerdict {
    /// `bank` or `roster`.
    pub kind: ImportKind,
    /// The bank series, or the roster's branch.
    pub name: String,
    pub version: u32,
    /// Questions in the bank, or entries on the roster.
    pub count: u32,
    /// Last day of validity (the office's date, dd.MM.yyyy).
    pub valid_until: String,
}

/// The admin's diagnostics page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub kiosk_id: String,
    pub free_disk_mb: u32,
    pub disk_low: bool,
    pub bank: Option<String>,
    pub bank_valid_until: Option<String>,
    pub roster: Option<String>,
    pub roster_valid_until: Option<String>,
    /// `present` or `absent` (video devices).
    pub camera: CameraPresence,
    /// The wall clock, as the kiosk reads it, in the office's time with its zone
    /// (`04.12.2026 23:15:02 (UTC+05:00)`).
    pub wall_clock: String,
    /// False when the wall clock is before the last journal entry or outside the bank's validity.
    pub clock_ok: bool,
}

/// Kiosk settings the admin may change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The camera device in use (`/dev/video0`…), or empty for none.
    pub camera_device: String,
    /// Video devices present on this machine.
    pub cameras: Vec<String>,
    /// Seconds between proctoring frames.
    pub capture_interval_secs: u32,
    /// The longest interval the exam profiles allow (the smallest of their values).
    pub max_interval_secs: u32,
}

/// The kiosk's enrollment with ЕУМЦ, as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EnrollmentView {
    pub url: String,
    /// The pinned TLS fingerprint of central.
    pub fingerprint: String,
    pub branch: String,
    pub kiosk_id: String,
    /// Last day of the kiosk certificate (local time).
    pub valid_until: String,
}

/// One result on its way to ЕУМЦ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResultSyncRow {
    pub attempt: String,
    /// The examinee's name (from the roster, or the certificate), when the kiosk knows it.
    pub name: Option<String>,
    /// The ИИН masked (`********0017`): the admin searches by its last digits.
    pub masked_iin: String,
    /// The category's number in the profile (0 when the bank no longer has it).
    pub category_number: u32,
    pub passed: bool,
    /// Thousandths of a percent (70 000 = 70 %).
    pub percent_milli: u32,
    /// When the exam finished (office time, dd.MM.yyyy HH:mm).
    pub finished: String,
    /// `queued`, `delivered` or `refused`.
    pub state: DeliveryState,
    /// Central's reason for a refusal.
    pub reason: Option<String>,
    /// The sealed evidence: `none`, `queued` or `delivered` (then removed from the kiosk).
    pub evidence: EvidenceDelivery,
    /// The certificate number, once a pull brought it.
    pub certificate: Option<String>,
}

/// The admin's sync screen.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncView {
    pub enrollment: Option<EnrollmentView>,
    pub running: bool,
    /// `results`, `evidence` or `pull` while running.
    pub stage: Option<SyncStage>,
    /// Progress of the stage: results, or bytes of evidence.
    pub done: f64,
    pub total: f64,
    /// The last sync that reached ЕУМЦ (local time).
    pub last_sync: Option<String>,
    /// The last try found no network: nothing is lost, the results stay queued.
    pub offline: bool,
    pub error: Option<IpcError>,
    /// Problems with single items (one attempt's evidence, a pulled file).
    pub problems: Vec<IpcError>,
    /// Files the last pull put to use (bank, roster), e.g. `ALM-01 v2`.
    pub pulled: Vec<String>,
    /// Results not yet delivered.
    pub queued: u32,
    pub results: Vec<ResultSyncRow>,
}

/// A certificate ЕУМЦ issued, for the paper copy the office prints (masked ИИН only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
    /// `KZOT-YYYY-XXXX-XXXX`.
    pub number: String,
    pub name: String,
    pub masked_iin: String,
    pub category_number: u32,
    pub category_name: LocalizedName,
    pub issued: String,
    pub valid_until: Option<String>,
    /// `valid` or `revoked`.
    pub status: String,
    /// The QR code as an SVG data URL: the verification address with ЕУМЦ's signed token.
    pub qr_svg: String,
    /// The text the QR code holds.
    pub qr_text: String,
    /// ЕУМЦ's PDF of it is on the kiosk, ready to print.
    pub pdf_ready: bool,
    /// How many times it was printed here (the next print is a copy when > 0).
    pub prints: u32,
}

/// A printer as CUPS reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum PrinterState {
    Idle,
    Printing,
    /// Paused, out of paper, offline: jobs wait.
    Stopped,
}

/// One printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrinterView {
    pub name: String,
    pub state: PrinterState,
}

/// The printers and the one certificates go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrintersView {
    pub printers: Vec<PrinterView>,
    pub chosen: Option<String>,
}

/// Where a print job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum PrintJobState {
    Queued,
    /// Queued, but the printer is stopped (offline, out of paper).
    PrinterStopped,
    Printed,
    /// CUPS no longer knows the job (cancelled).
    Gone,
}

/// A certificate sent to a printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrintJobView {
    pub number: String,
    pub printer: String,
    /// The CUPS job id, e.g. `Office-12`.
    pub job: String,
    /// The reprint, marked as a copy.
    pub copy: bool,
    pub state: PrintJobState,
}

/// What an export to removable media wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MediaExport {
    pub results: u32,
    /// Attempts whose sealed evidence went along.
    pub evidence: u32,
    pub megabytes: f64,
    /// The bundle file, or none when there was nothing to export.
    pub path: Option<String>,
}

/// What a receipts bundle from ЕУМЦ changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MediaImport {
    pub delivered: u32,
    pub refused: u32,
    pub unchanged: u32,
    pub evidence_delivered: u32,
    pub evidence_failed: u32,
}

/// What a file on a removable drive is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum DriveFileKind {
    /// A signed question bank (`.synaqbank`).
    Bank,
    /// A signed roster (`.synaqroster`).
    Roster,
    /// ЕУМЦ's receipts for results carried on removable media (`.synaqin`).
    Receipts,
    /// ЕУМЦ's enrollment file (`.synaqjoin`).
    Enrollment,
    /// ЕУМЦ's answer to an offline enrollment request (`.synaqcert`).
    EnrollmentCertificate,
}

impl From<crate::drives::FileKind> for DriveFileKind {
    fn from(k: crate::drives::FileKind) -> DriveFileKind {
        use crate::drives::FileKind as F;
        match k {
            F::Bank => DriveFileKind::Bank,
            F::Roster => DriveFileKind::Roster,
            F::Receipts => DriveFileKind::Receipts,
            F::Enrollment => DriveFileKind::Enrollment,
            F::EnrollmentCertificate => DriveFileKind::EnrollmentCertificate,
        }
    }
}

/// A Synaq file on a removable drive, for the admin to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DriveFileView {
    /// The full path, passed back to an import.
    pub path: String,
    /// The path below the drive (`2026-12/alm.synaqroster`).
    pub name: String,
    pub kind: DriveFileKind,
    pub size_kb: u32,
    /// Last changed (office time, dd.MM.yyyy HH:mm).
    pub modified: String,
}

/// A mounted removable drive with the Synaq files on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DriveView {
    /// Where it is mounted: exports go here.
    pub path: String,
    /// Its volume label.
    pub label: String,
    pub files: Vec<DriveFileView>,
}
