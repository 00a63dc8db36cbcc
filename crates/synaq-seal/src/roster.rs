//! The signed roster (format version 1; spec in `docs/formats/roster.md`).
//!
//! A roster is the list of examinees that training organisations (ОО) registered for a
//! knowledge check at one territorial office. ЕУМЦ signs it; the office's kiosks accept a
//! person for a category only when a roster they trust says so.
//!
//! ```text
//! preamble  "SYNAQRST" · version u8 · issuer key id [8] · body_len u32 LE
//! body      UTF-8 JSON (Roster), body_len bytes
//! signature Ed25519 over  SIG_DOMAIN ‖ SHA-512(preamble ‖ body), 64 bytes
//! ```
//!
//! Opening checks, in this order, against one `now`: framing and lengths → issuer key id →
//! **signature** (before the JSON is parsed) → body (shape, every ИИН and БИН, dates,
//! duplicates) → validity window → rollback. The high-water mark is written only after all
//! of them pass.
//!
//! A roster is signed, not encrypted: it carries ИИН and full names, which are personal data
//! (Law No. 94-V), so the file is handled as personal data wherever it is stored or copied.
//! Nothing in this module puts a full ИИН in an error message: ИИН are shown masked
//! ([`Iin::masked`]) and any 12-digit run in a parser's message is masked as well.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use ring::digest::{digest, SHA512};
use ring::signature::{UnparsedPublicKey, ED25519};
use serde::{Deserialize, Serialize};
use synaq_core::{Bin, CategoryId, Iin, QuestionId};

use crate::keys::{IssuerPublic, IssuerSecret, KeyId};
use crate::trust::TrustStore;

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"SYNAQRST";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// What the roster's series is prefixed with in the kiosk's [`TrustStore`], so a roster series
/// and a bank series of the same name keep separate high-water marks.
pub const TRUST_PREFIX: &str = "roster:";
const PREAMBLE: usize = 8 + 1 + 8 + 4;
const SIG: usize = 64;
const SIG_DOMAIN: &[u8] = b"synaq roster v1 signature\0";
const MAX_SERIES: usize = 64;
const MAX_TEXT: usize = 256;

/// Why a roster was refused. Each variant has a stable [`RosterError::code`] the kiosk
/// translates. No message contains a full ИИН.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    /// The file does not start with `SYNAQRST`.
    #[error("this is not a Synaq roster file")]
    NotARoster,
    /// A format version this kiosk does not know (a newer tool built it).
    #[error(
        "roster format version {0} is not supported (this kiosk reads version 1): update the kiosk"
    )]
    UnsupportedVersion(u8),
    /// Shorter than its own lengths say: the copy was cut off.
    #[error("the roster file is truncated: {actual} bytes of {expected}; copy it again")]
    Truncated { expected: u64, actual: u64 },
    /// Longer than its own lengths say. Its code is `roster-malformed`.
    #[error("the roster file has {0} unexpected bytes at its end; copy it again")]
    TrailingData(u64),
    /// Signed by another issuer key than the one this kiosk trusts.
    #[error("the roster is signed by key {found}, but this kiosk trusts issuer key {expected}")]
    WrongIssuer { expected: KeyId, found: KeyId },
    /// The signature does not verify: the file was altered after ЕУМЦ signed it.
    #[error("the roster's signature is invalid: the file was altered or damaged")]
    BadSignature,
    /// The signed body is not a valid roster (a bug in the tool that built it).
    #[error("the roster is malformed: {0}")]
    Malformed(String),
    /// `now` is before the roster's validity window.
    #[error("the roster is not valid yet: it becomes valid at {not_before} (Unix time); check the kiosk clock")]
    NotYetValid { not_before: i64 },
    /// `now` is after the roster's validity window.
    #[error("the roster expired at {not_after} (Unix time): import a newer roster")]
    Expired { not_after: i64 },
    /// An older version than one already accepted for this series.
    #[error("roster {series} version {got} is older than version {have} already used here: rollback refused")]
    RolledBack { series: String, have: u64, got: u64 },
    /// Saving the high-water mark failed; the roster is not marked trusted.
    #[error("cannot save the kiosk's trusted state: {0}")]
    TrustStore(String),
}

impl RosterError {
    /// Every code [`RosterError::code`] can return, so the kiosk can test its translations.
    pub const ALL_CODES: [&'static str; 10] = [
        "roster-not-a-roster",
        "roster-unsupported-version",
        "roster-truncated",
        "roster-wrong-issuer",
        "roster-bad-signature",
        "roster-malformed",
        "roster-not-yet-valid",
        "roster-expired",
        "roster-rolled-back",
        "roster-trust-store",
    ];

    /// A stable code for the error (a Fluent message id on the kiosk).
    pub fn code(&self) -> &'static str {
        match self {
            RosterError::NotARoster => "roster-not-a-roster",
            RosterError::UnsupportedVersion(_) => "roster-unsupported-version",
            RosterError::Truncated { .. } => "roster-truncated",
            RosterError::TrailingData(_) => "roster-malformed",
            RosterError::WrongIssuer { .. } => "roster-wrong-issuer",
            RosterError::BadSignature => "roster-bad-signature",
            RosterError::Malformed(_) => "roster-malformed",
            RosterError::NotYetValid { .. } => "roster-not-yet-valid",
            RosterError::Expired { .. } => "roster-expired",
            RosterError::RolledBack { .. } => "roster-rolled-back",
            RosterError::TrustStore(_) => "roster-trust-store",
        }
    }
}

/// One registration: a person, for one category, sent by one training organisation.
///
/// `Debug` shows the ИИН masked (that is [`Iin`]'s own `Debug`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    /// The examinee's ИИН (validated when parsed). Personal data.
    pub iin: Iin,
    /// Full name as in the identity document (usually Cyrillic, Kazakh or Russian).
    pub name: String,
    /// The learner category the person is tested in (a category of the exam profile).
    pub category: CategoryId,
    /// БИН of the training organisation that trained and registered the person.
    pub oo_bin: Bin,
    /// That organisation's name.
    pub oo_name: String,
    /// 1 for the first attempt, 2 for the first retake, …
    pub attempt: u32,
    /// First day (inclusive, local calendar date) the person may sit the check.
    pub allowed_from: NaiveDate,
    /// Last day (inclusive, local calendar date) the person may sit the check.
    pub allowed_to: NaiveDate,
    /// Questions ЕУМЦ knows the person was shown in failed attempts of this category, at any
    /// kiosk: a retake draws others as far as the bank allows. Empty for a first attempt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<QuestionId>,
}

impl RosterEntry {
    /// Whether `on` (a local calendar date) is inside the allowed window, both ends included.
    pub fn allows(&self, on: NaiveDate) -> bool {
        self.allowed_from <= on && on <= self.allowed_to
    }
}

/// A roster: the signed body of a `.synaqroster` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// The roster series, usually the branch code (`ALM-01`): the unit of rollback protection.
    pub series: String,
    /// Monotonic within a series; a kiosk never accepts a lower one again.
    pub version: u64,
    /// Unix seconds.
    pub created: i64,
    pub not_before: i64,
    pub not_after: i64,
    /// The territorial office (branch) the roster is for.
    pub branch: String,
    pub entries: Vec<RosterEntry>,
}

fn valid_series(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SERIES
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A problem with a free-text field, or `None` when it is fine.
fn text_problem(value: &str) -> Option<&'static str> {
    if value.trim().is_empty() {
        Some("is empty")
    } else if value.chars().count() > MAX_TEXT {
        Some("is longer than 256 characters")
    } else if value.chars().any(char::is_control) {
        Some("contains a control character")
    } else {
        None
    }
}

impl Roster {
    /// Every problem a kiosk would refuse the roster for (after its signature), in order.
    /// Messages show ИИН masked.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !valid_series(&self.series) {
            out.push(format!(
                "series {:?} must be 1 to {MAX_SERIES} characters of A-Z, a-z, 0-9, '-', '_', '.'",
                redact(&self.series)
            ));
        }
        if let Some(p) = text_problem(&self.branch) {
            out.push(format!("branch {p}"));
        }
        if self.not_before > self.not_after {
            out.push(format!(
                "not_before ({}) is after not_after ({})",
                self.not_before, self.not_after
            ));
        }
        let mut seen = HashSet::new();
        for (i, e) in self.entries.iter().enumerate() {
            out.extend(entry_problems(e).into_iter().map(|p| {
                format!(
                    "entry {} (ИИН {}, {}): {p}",
                    i + 1,
                    e.iin.masked(),
                    e.category
                )
            }));
            if !seen.insert((&e.iin, &e.category)) {
                out.push(format!(
                    "entry {}: ИИН {} is listed twice for category {}",
                    i + 1,
                    e.iin.masked(),
                    e.category
                ));
            }
        }
        out
    }

    /// Checks what [`Roster::problems`] checks; the error names the first problem.
    pub fn validate(&self) -> Result<(), RosterError> {
        let problems = self.problems();
        match problems.as_slice() {
            [] => Ok(()),
            [one] => Err(RosterError::Malformed(one.clone())),
            [first, rest @ ..] => Err(RosterError::Malformed(format!(
                "{first} (and {} more problems)",
                rest.len()
            ))),
        }
    }

    /// The entries for this person whose allowed window contains `on` (the kiosk's local
    /// calendar date), one per category they are registered for.
    pub fn find(&self, iin: &Iin, on: NaiveDate) -> Vec<&RosterEntry> {
        self.entries
            .iter()
            .filter(|e| &e.iin == iin && e.allows(on))
            .collect()
    }

    /// How many entries each category has.
    pub fn per_category(&self) -> BTreeMap<&CategoryId, usize> {
        let mut m = BTreeMap::new();
        for e in &self.entries {
            *m.entry(&e.category).or_default() += 1;
        }
        m
    }

    /// How many different people the roster lists.
    pub fn people(&self) -> usize {
        self.entries
            .iter()
            .map(|e| &e.iin)
            .collect::<HashSet<_>>()
            .len()
    }
}

fn entry_problems(e: &RosterEntry) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = text_problem(&e.name) {
        out.push(format!("name {p}"));
    }
    if let Some(p) = text_problem(&e.oo_name) {
        out.push(format!("oo_name {p}"));
    }
    if e.attempt == 0 {
        out.push("attempt is 0, but attempts count from 1".to_owned());
    }
    if e.allowed_from > e.allowed_to {
        out.push(format!(
            "allowed_from {} is after allowed_to {}",
            e.allowed_from, e.allowed_to
        ));
    }
    out
}

/// Masks every run of 12 or more ASCII digits (an ИИН would be one) but its last four, the
/// way [`Iin::masked`] does. Used on messages that come from parsers and may quote input.
fn redact(msg: &str) -> String {
    fn flush(out: &mut String, run: &mut String) {
        if run.len() >= 12 {
            out.extend(std::iter::repeat_n('*', run.len() - 4));
            out.push_str(&run[run.len() - 4..]);
        } else {
            out.push_str(run);
        }
        run.clear();
    }
    let mut out = String::with_capacity(msg.len());
    let mut run = String::new();
    for c in msg.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut out, &mut run);
            out.push(c);
        }
    }
    flush(&mut out, &mut run);
    out
}

/// The key under which a roster series' high-water mark is kept in a [`TrustStore`].
pub fn trust_key(series: &str) -> String {
    format!("{TRUST_PREFIX}{series}")
}

/// The parts of a file, located by the preamble (nothing parsed yet).
struct Framed<'a> {
    issuer: KeyId,
    signed: &'a [u8],
    body: &'a [u8],
    signature: &'a [u8],
}

fn frame(bytes: &[u8]) -> Result<Framed<'_>, RosterError> {
    let minimum = (PREAMBLE + SIG) as u64;
    let actual = bytes.len() as u64;
    if bytes.len() < MAGIC.len() {
        // A cut-off copy (even an empty file) is "truncated", anything else is not a roster.
        return Err(if MAGIC.starts_with(bytes) {
            RosterError::Truncated {
                expected: minimum,
                actual,
            }
        } else {
            RosterError::NotARoster
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(RosterError::NotARoster);
    }
    if actual < minimum {
        return Err(RosterError::Truncated {
            expected: minimum,
            actual,
        });
    }
    if bytes[8] != FORMAT_VERSION {
        return Err(RosterError::UnsupportedVersion(bytes[8]));
    }
    let issuer = KeyId(bytes[9..17].try_into().expect("8 bytes"));
    let body_len = u32::from_le_bytes(bytes[17..21].try_into().expect("4 bytes"));
    let expected = minimum + u64::from(body_len);
    if actual < expected {
        return Err(RosterError::Truncated { expected, actual });
    }
    if actual > expected {
        return Err(RosterError::TrailingData(actual - expected));
    }
    let b_end = PREAMBLE + body_len as usize;
    Ok(Framed {
        issuer,
        signed: &bytes[..b_end],
        body: &bytes[PREAMBLE..b_end],
        signature: &bytes[b_end..],
    })
}

fn signed_message(signed: &[u8]) -> Vec<u8> {
    let mut m = SIG_DOMAIN.to_vec();
    m.extend_from_slice(digest(&SHA512, signed).as_ref());
    m
}

fn sign_body(body: &[u8], issuer: &IssuerSecret) -> Vec<u8> {
    let body_len = u32::try_from(body.len()).expect("a roster body is smaller than 4 GiB");
    let mut out = Vec::with_capacity(PREAMBLE + body.len() + SIG);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&issuer.id().0);
    out.extend_from_slice(&body_len.to_le_bytes());
    out.extend_from_slice(body);
    let sig = issuer.ed25519().sign(&signed_message(&out));
    out.extend_from_slice(sig.as_ref());
    out
}

/// Serializes and signs a roster. Ed25519 is deterministic: the same roster and key give the
/// same bytes. Call [`Roster::validate`] first: this signs whatever it is given, and a kiosk
/// refuses an invalid roster.
///
/// # Panics
/// When the JSON body is 4 GiB or larger.
pub fn build(roster: &Roster, issuer: &IssuerSecret) -> Vec<u8> {
    let body = serde_json::to_vec(roster).expect("rosters serialize");
    sign_body(&body, issuer)
}

/// Frames and signs any body as given: lets tests craft rosters that are signed but wrong
/// inside (an invalid ИИН, unknown fields), which no honest builder produces.
#[doc(hidden)]
pub fn sign_raw_for_tests(body: &[u8], issuer: &IssuerSecret) -> Vec<u8> {
    sign_body(body, issuer)
}

fn parse_body(raw: &[u8]) -> Result<Roster, RosterError> {
    let roster: Roster =
        serde_json::from_slice(raw).map_err(|e| RosterError::Malformed(redact(&e.to_string())))?;
    roster.validate()?;
    Ok(roster)
}

/// Checks framing, issuer and signature, then parses and validates the body. Does not look
/// at the clock or the trust store: see [`open`].
pub fn verify(bytes: &[u8], issuer: &IssuerPublic) -> Result<Roster, RosterError> {
    let f = frame(bytes)?;
    if f.issuer != issuer.id() {
        return Err(RosterError::WrongIssuer {
            expected: issuer.id(),
            found: f.issuer,
        });
    }
    UnparsedPublicKey::new(&ED25519, issuer.ed25519)
        .verify(&signed_message(f.signed), f.signature)
        .map_err(|_| RosterError::BadSignature)?;
    parse_body(f.body)
}

/// Opens a roster on a kiosk: every check in order, then records the high-water mark
/// (under [`trust_key`]`(series)`).
pub fn open(
    bytes: &[u8],
    issuer: &IssuerPublic,
    now: i64,
    trust: &mut dyn TrustStore,
) -> Result<Roster, RosterError> {
    let roster = open_unrecorded(bytes, issuer, now, trust)?;
    trust
        .record(&trust_key(&roster.series), roster.version)
        .map_err(|e| RosterError::TrustStore(e.to_string()))?;
    Ok(roster)
}

/// Every check of [`open`] without writing trusted state (`synaq roster verify`).
pub fn open_unrecorded(
    bytes: &[u8],
    issuer: &IssuerPublic,
    now: i64,
    trust: &dyn TrustStore,
) -> Result<Roster, RosterError> {
    let roster = verify(bytes, issuer)?;
    if now < roster.not_before {
        return Err(RosterError::NotYetValid {
            not_before: roster.not_before,
        });
    }
    if now > roster.not_after {
        return Err(RosterError::Expired {
            not_after: roster.not_after,
        });
    }
    if let Some(have) = trust.high_water(&trust_key(&roster.series)) {
        if roster.version < have {
            return Err(RosterError::RolledBack {
                series: roster.series.clone(),
                have,
                got: roster.version,
            });
        }
    }
    Ok(roster)
}

/// Why a roster source (`roster.toml`) cannot be built. Every problem is listed; none shows a
/// full ИИН.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct SourceError(pub Vec<String>);

/// The authoring form of a roster (`roster.toml`, described in `docs/formats/roster.md`):
/// the branch and its entries, before the issuer adds series, version and validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSource {
    pub branch: String,
    pub entries: Vec<RosterEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    branch: String,
    allowed_from: Option<toml::Value>,
    allowed_to: Option<toml::Value>,
    #[serde(default)]
    oo: Vec<SourceOo>,
    #[serde(default)]
    examinee: Vec<SourceExaminee>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceOo {
    bin: Bin,
    name: String,
}

fn first_attempt() -> u32 {
    1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceExaminee {
    iin: toml::Spanned<Iin>,
    name: String,
    category: CategoryId,
    oo: Bin,
    #[serde(default = "first_attempt")]
    attempt: u32,
    allowed_from: Option<toml::Value>,
    allowed_to: Option<toml::Value>,
}

/// A TOML date (`2026-01-01`) or a string in that form.
fn toml_date(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date?;
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        _ => None,
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl RosterSource {
    /// Parses and checks a roster source. ИИН, БИН and category ids are validated as they are
    /// read; an examinee's `oo` must be one of the `[[oo]]` tables; dates may be set once at the
    /// top and overridden per examinee.
    pub fn from_toml(src: &str) -> Result<RosterSource, SourceError> {
        let file: SourceFile = toml::from_str(src).map_err(|e| {
            let line = e.span().map_or(String::new(), |s| {
                format!("line {}: ", line_of(src, s.start))
            });
            SourceError(vec![format!("{line}{}", redact(e.message().trim()))])
        })?;
        let mut problems = Vec::new();
        let mut oo_names: HashMap<Bin, String> = HashMap::new();
        for oo in &file.oo {
            if oo_names.insert(oo.bin.clone(), oo.name.clone()).is_some() {
                problems.push(format!("[[oo]] {} appears twice", oo.bin));
            }
        }
        let date = |own: &Option<toml::Value>,
                    default: &Option<toml::Value>,
                    field: &str,
                    at: &str,
                    problems: &mut Vec<String>| {
            match own.as_ref().or(default.as_ref()) {
                None => {
                    problems.push(format!(
                        "{at}: no {field}: set it on the examinee or at the top of the file"
                    ));
                    None
                }
                Some(v) => {
                    let d = toml_date(v);
                    if d.is_none() {
                        problems.push(format!(
                            "{at}: {field} must be a date like 2026-01-01, not {}",
                            redact(&v.to_string())
                        ));
                    }
                    d
                }
            }
        };
        let mut entries = Vec::with_capacity(file.examinee.len());
        for x in file.examinee {
            let at = format!(
                "line {} (ИИН {})",
                line_of(src, x.iin.span().start),
                x.iin.get_ref().masked()
            );
            let oo_name = oo_names.get(&x.oo).cloned();
            if oo_name.is_none() {
                problems.push(format!("{at}: oo {} is not one of the [[oo]] tables", x.oo));
            }
            let from = date(
                &x.allowed_from,
                &file.allowed_from,
                "allowed_from",
                &at,
                &mut problems,
            );
            let to = date(
                &x.allowed_to,
                &file.allowed_to,
                "allowed_to",
                &at,
                &mut problems,
            );
            if let (Some(oo_name), Some(allowed_from), Some(allowed_to)) = (oo_name, from, to) {
                entries.push(RosterEntry {
                    iin: x.iin.into_inner(),
                    name: x.name,
                    category: x.category,
                    oo_bin: x.oo,
                    oo_name,
                    attempt: x.attempt,
                    allowed_from,
                    allowed_to,
                    seen: Vec::new(),
                });
            }
        }
        let source = RosterSource {
            branch: file.branch,
            entries,
        };
        // The body checks (names, attempts, windows, duplicates), with the series left valid.
        problems.extend(source.to_roster("x", 0, 0, 0, 0).problems());
        if problems.is_empty() {
            Ok(source)
        } else {
            Err(SourceError(problems))
        }
    }

    /// The roster this source gives with the issuer's series, version and validity.
    pub fn to_roster(
        &self,
        series: &str,
        version: u64,
        created: i64,
        not_before: i64,
        not_after: i64,
    ) -> Roster {
        Roster {
            series: series.to_owned(),
            version,
            created,
            not_before,
            not_after,
            branch: self.branch.clone(),
            entries: self.entries.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_masks_long_digit_runs_only() {
        assert_eq!(
            redact("bad \"900101300017\" at line 1 column 20"),
            "bad \"********0017\" at line 1 column 20"
        );
        assert_eq!(redact("12345678901234"), "**********1234");
        assert_eq!(redact("version 12345678901"), "version 12345678901");
        assert_eq!(redact("Әлия 900101300017"), "Әлия ********0017");
    }

    #[test]
    fn every_variant_has_a_listed_code() {
        let all = [
            RosterError::NotARoster,
            RosterError::UnsupportedVersion(2),
            RosterError::Truncated {
                expected: 1,
                actual: 0,
            },
            RosterError::TrailingData(1),
            RosterError::WrongIssuer {
                expected: KeyId([0; 8]),
                found: KeyId([1; 8]),
            },
            RosterError::BadSignature,
            RosterError::Malformed(String::new()),
            RosterError::NotYetValid { not_before: 0 },
            RosterError::Expired { not_after: 0 },
            RosterError::RolledBack {
                series: "s".into(),
                have: 2,
                got: 1,
            },
            RosterError::TrustStore(String::new()),
        ];
        let codes: HashSet<_> = all.iter().map(RosterError::code).collect();
        let listed: HashSet<_> = RosterError::ALL_CODES.into_iter().collect();
        assert_eq!(codes, listed);
    }
}
