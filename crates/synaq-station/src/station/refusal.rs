//! The codes the station itself refuses with (errors of the crates below carry their own).

use synaq_core::Code;

macro_rules! refusals {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// Why the station refused a command. Each variant is a Fluent message id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Refusal {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Refusal {
            /// Every refusal, so tests can format each one in every language.
            pub const ALL: &'static [Refusal] = &[$(Refusal::$variant,)*];

            /// The stable code (a Fluent message id).
            pub fn code(self) -> &'static str {
                match self {
                    $(Refusal::$variant => $code,)*
                }
            }
        }
    };
}

refusals! {
    /// The caller's session does not have the role this needs.
    Forbidden => "error-forbidden",
    /// No bank is loaded: admission needs one.
    BankMissing => "error-bank-missing",
    /// No roster is loaded.
    RosterMissing => "error-roster-missing",
    /// The kiosk's or ЕУМЦ's keys could not be read.
    KioskKeys => "error-kiosk-keys",
    /// The kiosk has no sealed key of its own (and this is not the demo).
    KioskKeyMissing => "error-kiosk-key-missing",
    /// ЕУМЦ's public keys are not installed on this computer.
    EumcKeysMissing => "error-eumc-keys-missing",
    /// This kiosk is older than the minimum version ЕУМЦ accepts.
    KioskTooOld => "kiosk-too-old",
    /// ЕУМЦ revoked the bank in use.
    BankRevoked => "bank-revoked",
    /// The trusted-versions file cannot be read or written.
    BankTrustStore => "bank-trust-store",
    /// The ИИН is not on today's roster for that category.
    NotOnRoster => "proctor-not-on-roster",
    /// The proctor did not confirm the identity document.
    DocumentUnchecked => "proctor-document-unchecked",
    /// A proctor act needs a reason from the incident list.
    ReasonRequired => "proctor-reason-required",
    /// A required field is empty.
    MissingField => "staff-missing-field",
    /// An admin cannot disable their own account.
    SelfAccount => "staff-self",
    /// Only a proctor's password is reset by the admin.
    ResetProctorsOnly => "staff-reset-proctors-only",
    /// The kiosk is not shut down while an exam is open on it.
    ShutDownExamOpen => "admin-shut-down-exam-open",
    /// The enrollment file is not ЕУМЦ's, or is damaged.
    BadEnrollmentFile => "sync-bad-enrollment-file",
    /// A bank cannot be replaced while an exam is open.
    ImportExamOpen => "admin-import-exam-open",
    /// The file to import cannot be read.
    FileUnreadable => "admin-file-unreadable",
    /// The export could not be written.
    ExportFailed => "admin-export-failed",
    /// The capture interval is outside what the profile allows.
    IntervalOutOfRange => "admin-interval-out-of-range",
    /// No such camera.
    CameraUnknown => "admin-camera-unknown",
    /// There is no camera.
    CameraNone => "camera-none",
    /// The camera failed.
    CameraFailed => "camera-failed",
    /// The camera is in use by the exam.
    CameraBusy => "camera-busy",
    /// The camera has no picture yet.
    CameraWaiting => "camera-waiting",
    /// Central cannot be reached.
    SyncOffline => "sync-offline",
    /// The server is not the pinned central.
    WrongCentral => "sync-wrong-central",
    /// Central's answer was not signed by ЕУМЦ.
    UnsignedAnswer => "sync-unsigned-answer",
    /// The enrollment code was wrong or used.
    BadEnrollmentCode => "sync-bad-enrollment-code",
    /// ЕУМЦ revoked this kiosk.
    KioskRevoked => "sync-kiosk-revoked",
    /// Central does not know this kiosk.
    UnknownKiosk => "sync-unknown-kiosk",
    /// The kiosk's clock is too far from central's.
    SyncClock => "sync-clock",
    /// Central refused the request.
    SyncRefused => "sync-refused",
    /// The sync failed for another reason (logged).
    SyncFailed => "sync-failed",
    /// The kiosk is not enrolled yet.
    NotEnrolled => "sync-not-enrolled",
    /// The certificate fingerprint is malformed.
    BadFingerprint => "sync-bad-fingerprint",
    /// The central address is malformed.
    BadUrl => "sync-bad-url",
    /// A pulled bank waits until the exam is over.
    BankWaits => "sync-bank-waits",
    /// No such certificate on this kiosk.
    NoCertificate => "sync-no-certificate",
    /// A receipt does not verify.
    BadReceipt => "sync-bad-receipt",
    /// The removable media could not be used.
    SyncMedia => "sync-media",
    /// Evidence of an attempt is missing.
    EvidenceMissing => "evidence-missing",
    /// Central refused an attempt's evidence.
    EvidenceRefused => "sync-evidence-refused",
    /// CUPS does not answer.
    PrintUnavailable => "print-unavailable",
    /// The chosen printer is not in CUPS.
    PrinterMissing => "print-printer-missing",
    /// The chosen printer refuses jobs.
    PrinterRejecting => "print-printer-rejecting",
    /// No printer was chosen yet.
    PrinterNotChosen => "print-no-printer",
    /// A revoked certificate is not printed.
    CertificateRevoked => "print-revoked",
    /// The certificate's PDF has not arrived from ЕУМЦ yet.
    CertificatePdfMissing => "print-no-pdf",
}

impl From<Refusal> for Code {
    fn from(r: Refusal) -> Code {
        Code::new(r.code())
    }
}

impl Refusal {
    /// The refusal as a person is shown it, with example values for the ones that carry some
    /// (each is given them where it is made), so tests format every one completely.
    pub fn example(self) -> Code {
        match self {
            Refusal::KioskTooOld => Code::from(self)
                .arg("version", "0.1.0")
                .arg("minimum", "0.2.0"),
            _ => Code::from(self),
        }
    }
}
