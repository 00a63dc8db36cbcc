//! The ЕУМЦ portal's decisions, without HTTP: accounts with roles and their sessions, the list
//! of training organisations (ОО) and their status, learners registered by an ОО (which become
//! the roster kiosks already pull), and the journal of every portal action with its account.
//! The pages are in [`web`]; spreadsheets in [`sheet`].
//!
//! - **Login** is behind [`Authenticator`]: a password (argon2id) today, a national digital
//!   signature (ЭЦП) later, without touching the rest. Failures are counted per login and per
//!   address; past [`FREE_FAILURES`] the next try waits, doubling up to a quarter of an hour,
//!   and a wrong password and an unknown login answer alike (same work, same words).
//! - **Sessions** are random tokens; the database keeps only their SHA-256, with a form token
//!   (CSRF) every form sends back, and an expiry.
//! - **Registrations** are all or nothing: every row of a form or spreadsheet is checked
//!   first, and one bad row imports none. An ОО that is suspended or excluded registers no one.

pub mod analysis;
pub mod branches;
pub mod lecturers;
pub mod review;
pub mod sheet;
pub mod web;

use chrono::NaiveDate;
use ring::rand::{SecureRandom as _, SystemRandom};
use synaq_core::{Bin, CategoryId, Code};

use crate::sql::{params, OptionalExtension as _};
use crate::{sha256_hex, Central, CentralError, NewRosterEntry};

pub use sheet::{LearnerRow, RowError};

/// Failures before a login or an address has to wait.
pub const FREE_FAILURES: i64 = 5;
/// The longest wait after failures, in seconds.
pub const MAX_WAIT_SECS: i64 = 900;
/// How long a session lasts, in seconds (a working day).
pub const SESSION_SECS: i64 = 8 * 3600;
/// The shortest password.
pub const MIN_PASSWORD: usize = 12;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A training organisation's clerk, bound to its БИН.
    Oo,
    /// ЕУМЦ's registrar: training organisations, branches, kiosks, registrations.
    Registrar,
    /// ЕУМЦ's reviewer: held exams, revocations.
    Reviewer,
    /// ЕУМЦ's analyst: ratings and statistics.
    Analyst,
    /// ЕУМЦ's administrator: everything ЕУМЦ's staff may do.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Oo,
        Role::Registrar,
        Role::Reviewer,
        Role::Analyst,
        Role::Admin,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Oo => "oo",
            Role::Registrar => "registrar",
            Role::Reviewer => "reviewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The login.
    pub login: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The training organisation an ОО account belongs to.
    pub oo_bin: Option<String>,
}

impl Account {
    /// Whether the account may act as `role` (the administrator may act as any ЕУМЦ role).
    pub fn may(&self, role: Role) -> bool {
        self.role == role || (self.role == Role::Admin && role != Role::Oo)
    }
}

/// A new session: the token for the cookie (shown once, never stored) and the form token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie's value.
    pub token: String,
    /// The form token.
    pub csrf: String,
    /// Who signed in.
    pub account: Account,
}

/// A training organisation's status on ЕУМЦ's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OoStatus {
    /// Registers learners.
    Active,
    /// Registers no one for now.
    Suspended,
    /// Off the list (more than half of its learners failed in a year, or another reason).
    Excluded,
}

impl OoStatus {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OoStatus::Active => "active",
            OoStatus::Suspended => "suspended",
            OoStatus::Excluded => "excluded",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<OoStatus> {
        [OoStatus::Active, OoStatus::Suspended, OoStatus::Excluded]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A training organisation on ЕУМЦ's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oo {
    /// БИН.
    pub bin: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: OoStatus,
    /// Why it was suspended or excluded.
    pub reason: String,
    /// Unix seconds of the last change.
    pub changed: i64,
}

/// What a registration is for: the same for every learner of one form or spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The category.
    pub category: String,
    /// The branch where they sit the check.
    pub branch: String,
    /// First allowed day.
    pub from: NaiveDate,
    /// Last allowed day.
    pub to: NaiveDate,
}

/// Where a registered learner stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearnerState {
    /// Registered; ЕУМЦ has not confirmed it yet (kiosks do not see it).
    AwaitingConfirmation,
    /// Registered, not sat yet.
    Registered,
    /// Sat; ЕУМЦ is checking (held for a reviewer, or the camera evidence is on its way).
    InReview,
    /// Passed: certified.
    Passed,
    /// Failed: may retake within a month.
    Failed,
    /// ЕУМЦ's reviewer rejected the result.
    Rejected,
}

impl LearnerState {
    /// Its Fluent key's tail.
    pub fn as_str(self) -> &'static str {
        match self {
            LearnerState::AwaitingConfirmation => "awaiting-confirmation",
            LearnerState::Registered => "registered",
            LearnerState::InReview => "in-review",
            LearnerState::Passed => "passed",
            LearnerState::Failed => "failed",
            LearnerState::Rejected => "rejected",
        }
    }
}

/// A learner as their training organisation sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    /// The registration's id.
    pub id: i64,
    /// Only the last four digits.
    pub iin_masked: String,
    /// Name.
    pub name: String,
    /// Category id.
    pub category: String,
    /// Branch.
    pub branch: String,
    /// Allowed window, ISO dates.
    pub window: (String, String),
    /// The payment reference.
    pub payment: String,
    /// Where they stand.
    pub state: LearnerState,
    /// The last day of a retake (failed), ISO.
    pub retake_until: Option<String>,
    /// Their certificate's number (passed).
    pub certificate: Option<String>,
}

/// A registration waiting for ЕУМЦ's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The registration's id.
    pub id: i64,
    /// The ОО's БИН.
    pub oo_bin: String,
    /// The ОО's name.
    pub oo_name: String,
    /// The learner's name.
    pub name: String,
    /// Only the last four digits.
    pub iin_masked: String,
    /// Category id.
    pub category: String,
    /// Branch.
    pub branch: String,
    /// Allowed window, ISO dates.
    pub window: (String, String),
    /// The payment reference.
    pub payment: String,
    /// The ОО account that registered them.
    pub registered_by: String,
}

/// A category the current bank examines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryChoice {
    /// Its id.
    pub id: String,
    /// Its Kazakh name.
    pub kk: String,
    /// Its Russian name.
    pub ru: String,
}

/// Why the portal refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    /// Wrong login or password (never says which).
    #[error("wrong login or password")]
    BadLogin,
    /// Too many failures: wait.
    #[error("too many failed sign-ins: wait {wait_secs} s")]
    TooManyAttempts {
        /// Seconds to wait.
        wait_secs: i64,
    },
    /// The session ended or never was.
    #[error("signed out")]
    SignedOut,
    /// The form's token did not match the session's.
    #[error("the form expired")]
    FormExpired,
    /// The account may not do this.
    #[error("not allowed for this account")]
    Forbidden,
    /// Nothing of this account's by that name (a certificate of another ОО's learner looks
    /// the same as none).
    #[error("not found")]
    NotFound,
    /// The file is not a bank ЕУМЦ signed (or cannot be opened here).
    #[error("not a signed question bank")]
    BadBank,
    /// The person holds no valid lecturers' certificate.
    #[error("no valid lecturers' certificate")]
    NotLecturer,
    /// A field is invalid.
    #[error("invalid {field}")]
    Invalid {
        /// The field's Fluent key (`portal-field-…`).
        field: &'static str,
    },
    /// The password is too short.
    #[error("password shorter than {min}")]
    WeakPassword {
        /// The shortest allowed.
        min: usize,
    },
    /// The training organisation is not on ЕУМЦ's list.
    #[error("no training organisation {bin}")]
    OoUnknown {
        /// Its БИН.
        bin: String,
    },
    /// The training organisation may not register now.
    #[error("training organisation {bin} is {status}")]
    OoNotActive {
        /// Its БИН.
        bin: String,
        /// `suspended` or `excluded`.
        status: String,
        /// ЕУМЦ's reason.
        reason: String,
    },
    /// Rows of a registration are wrong: nothing was registered.
    #[error("{} rows refused", .0.len())]
    Rows(Vec<RowError>),
    /// The file is too large.
    #[error("file larger than {max_mb} MB")]
    TooLarge {
        /// The limit in MB.
        max_mb: u32,
    },
    /// Central itself failed.
    #[error(transparent)]
    Central(#[from] CentralError),
}

impl From<crate::sql::SqlError> for PortalError {
    fn from(e: crate::sql::SqlError) -> Self {
        PortalError::Central(e.into())
    }
}

impl PortalError {
    /// The message to show, in every language (`portal-error-…`).
    pub fn code(&self) -> Code {
        match self {
            PortalError::BadLogin => Code::new("portal-error-login"),
            PortalError::TooManyAttempts { wait_secs } => {
                Code::new("portal-error-wait").arg("seconds", *wait_secs)
            }
            PortalError::SignedOut => Code::new("portal-error-signed-out"),
            PortalError::FormExpired => Code::new("portal-error-form-expired"),
            PortalError::Forbidden => Code::new("portal-error-forbidden"),
            PortalError::NotFound => Code::new("portal-error-not-found"),
            PortalError::NotLecturer => lecturers::not_lecturer(),
            PortalError::BadBank => Code::new("portal-error-bad-bank"),
            PortalError::Invalid { field } => {
                Code::new("portal-error-invalid").arg("field", *field)
            }
            PortalError::WeakPassword { min } => {
                Code::new("portal-error-weak-password").arg("min", *min as i64)
            }
            PortalError::OoUnknown { bin } => {
                Code::new("portal-error-oo-unknown").arg("bin", bin.as_str())
            }
            PortalError::OoNotActive {
                bin,
                status,
                reason,
            } => Code::new("portal-error-oo-not-active")
                .arg("bin", bin.as_str())
                .arg("status", status.as_str())
                .arg("reason", reason.as_str()),
            PortalError::Rows(rows) => {
                Code::new("portal-error-rows").arg("count", rows.len() as i64)
            }
            PortalError::TooLarge { max_mb } => {
                Code::new("portal-error-too-large").arg("max", i64::from(*max_mb))
            }
            PortalError::Central(_) => Code::new("portal-error-central"),
        }
    }

    /// One of each, for the catalog test.
    pub fn examples() -> Vec<PortalError> {
        vec![
            PortalError::BadLogin,
            PortalError::TooManyAttempts { wait_secs: 32 },
            PortalError::SignedOut,
            PortalError::FormExpired,
            PortalError::Forbidden,
            PortalError::NotFound,
            PortalError::NotLecturer,
            PortalError::BadBank,
            PortalError::Invalid {
                field: "portal-field-bin",
            },
            PortalError::WeakPassword { min: MIN_PASSWORD },
            PortalError::OoUnknown {
                bin: "080840001239".into(),
            },
            PortalError::OoNotActive {
                bin: "080840001239".into(),
                status: "excluded".into(),
                reason: "more than half failed in 2026".into(),
            },
            PortalError::Rows(vec![]),
            PortalError::TooLarge { max_mb: 2 },
            PortalError::Central(CentralError::Db("down".into())),
        ]
    }
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut b)
        .expect("the system random generator works");
    hex::encode(b)
}

/// How a person proves who they are: a password today, an ЭЦП later.
pub trait Authenticator {
    /// The login whose credentials `proof` are, or [`PortalError::BadLogin`].
    fn authenticate(&self, central: &Central, login: &str, proof: &str) -> Result<(), PortalError>;
}

/// Login and password, the password checked against its argon2id hash.
#[derive(Debug, Default, Clone, Copy)]
pub struct PasswordLogin;

/// A hash to check against when the login does not exist: the same work either way.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not a password of anyone").expect("hashing works"))
}

/// The argon2id hash of `password` (PHC string, its own salt).
pub fn hash_password(password: &str) -> Result<String, PortalError> {
    use argon2::password_hash::{PasswordHasher as _, SaltString};
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| CentralError::Invalid("no random source".into()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| CentralError::Invalid(format!("salt: {e}")))?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| CentralError::Invalid(format!("hashing: {e}")))?
        .to_string())
}

fn password_matches(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier as _};
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl Authenticator for PasswordLogin {
    fn authenticate(
        &self,
        central: &Central,
        login: &str,
        password: &str,
    ) -> Result<(), PortalError> {
        let stored: Option<String> = central
            .db()
            .query_row(
                "SELECT password FROM accounts WHERE login = ?1 AND active = 1",
                [login],
                |r| r.get(0),
            )
            .optional()?;
        let ok = password_matches(stored.as_deref().unwrap_or(dummy_hash()), password);
        if ok && stored.is_some() {
            Ok(())
        } else {
            Err(PortalError::BadLogin)
        }
    }
}

/// Only the last four digits of an ИИН.
pub fn mask_iin(iin: &str) -> String {
    let tail = iin.get(iin.len().saturating_sub(4)..).unwrap_or("");
    format!("********{tail}")
}

/// `YYYY-MM-DD` one month after `date` (the retake window's end).
fn month_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(1))
        .unwrap_or(date)
}

impl Central {
    /// Adds an account (or replaces its name, role and password). An ОО account names its
    /// training organisation, which must be on the list.
    pub fn add_account(
        &self,
        login: &str,
        name: &str,
        role: Role,
        oo_bin: Option<&str>,
        password: &str,
        now: i64,
    ) -> Result<(), PortalError> {
        let login = login.trim();
        if login.is_empty()
            || login.len() > 64
            || !login
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
        {
            return Err(PortalError::Invalid {
                field: "portal-field-login",
            });
        }
        if password.chars().count() < MIN_PASSWORD {
            return Err(PortalError::WeakPassword { min: MIN_PASSWORD });
        }
        let bin = match (role, oo_bin) {
            (Role::Oo, Some(b)) => {
                let bin = Bin::parse(b.trim()).map_err(|_| PortalError::Invalid {
                    field: "portal-field-bin",
                })?;
                if self.oo(&bin.as_str())?.is_none() {
                    return Err(PortalError::OoUnknown {
                        bin: bin.as_str().to_owned(),
                    });
                }
                Some(bin.as_str().to_owned())
            }
            (Role::Oo, None) => {
                return Err(PortalError::Invalid {
                    field: "portal-field-bin",
                })
            }
            (_, _) => None,
        };
        let hash = hash_password(password)?;
        self.db().execute(
            "INSERT INTO accounts (login, name, role, oo_bin, password, active, created)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
             ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role,
                oo_bin = excluded.oo_bin, password = excluded.password, active = 1",
            params![login, name.trim(), role.as_str(), bin, hash, now],
        )?;
        self.portal_journal(
            "admin",
            "account-set",
            &format!("{login} {}", role.as_str()),
            now,
        )?;
        Ok(())
    }

    /// Signs in with `auth`; `client` is the address counted for failures.
    pub fn login(
        &self,
        auth: &dyn Authenticator,
        login: &str,
        proof: &str,
        client: &str,
        now: i64,
    ) -> Result<NewSession, PortalError> {
        let login = login.trim();
        let keys = [format!("login:{login}"), format!("addr:{client}")];
        for key in &keys {
            let until: Option<i64> = self
                .db()
                .query_row(
                    "SELECT until FROM login_failures WHERE key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(until) = until.filter(|u| *u > now) {
                self.portal_journal(login, "login-waiting", client, now)?;
                return Err(PortalError::TooManyAttempts {
                    wait_secs: until - now,
                });
            }
        }
        if let Err(e) = auth.authenticate(self, login, proof) {
            for key in &keys {
                let failures: i64 = self.db().query_row(
                    "INSERT INTO login_failures (key, failures, until) VALUES (?1, 1, 0)
                     ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1
                     RETURNING failures",
                    [key],
                    |r| r.get(0),
                )?;
                if failures >= FREE_FAILURES {
                    let wait = (1i64 << (failures - FREE_FAILURES).min(20)).min(MAX_WAIT_SECS);
                    self.db().execute(
                        "UPDATE login_failures SET until = ?2 WHERE key = ?1",
                        params![key, now + wait],
                    )?;
                }
            }
            self.portal_journal(login, "login-failed", client, now)?;
            return Err(e);
        }
        self.db()
            .execute("DELETE FROM login_failures WHERE key = ?1", [&keys[0]])?;
        let account = self.account(login)?.ok_or(PortalError::BadLogin)?;
        let (token, csrf) = (random_hex(32), random_hex(16));
        self.db().execute(
            "INSERT INTO sessions (token_hash, login, csrf, created, expires)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                sha256_hex(token.as_bytes()),
                login,
                csrf,
                now,
                now + SESSION_SECS
            ],
        )?;
        self.portal_journal(login, "login", client, now)?;
        Ok(NewSession {
            token,
            csrf,
            account,
        })
    }

    /// An active account.
    pub fn account(&self, login: &str) -> Result<Option<Account>, PortalError> {
        let row: Option<(String, String, Option<String>)> = self
            .db()
            .query_row(
                "SELECT name, role, oo_bin FROM accounts WHERE login = ?1 AND active = 1",
                [login],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.and_then(|(name, role, oo_bin)| {
            Some(Account {
                login: login.to_owned(),
                name,
                role: Role::parse(&role)?,
                oo_bin,
            })
        }))
    }

    /// The account and form token of a session cookie's `token`, while it lasts.
    pub fn session(&self, token: &str, now: i64) -> Result<Option<(Account, String)>, PortalError> {
        let row: Option<(String, String)> = self
            .db()
            .query_row(
                "SELECT login, csrf FROM sessions WHERE token_hash = ?1 AND expires > ?2",
                params![sha256_hex(token.as_bytes()), now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((login, csrf)) = row else {
            return Ok(None);
        };
        Ok(self.account(&login)?.map(|a| (a, csrf)))
    }

    /// Ends a session.
    pub fn logout(&self, token: &str, now: i64) -> Result<(), PortalError> {
        let login: Option<String> = self
            .db()
            .query_row(
                "DELETE FROM sessions WHERE token_hash = ?1 RETURNING login",
                [sha256_hex(token.as_bytes())],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(login) = login {
            self.portal_journal(&login, "logout", "", now)?;
        }
        Ok(())
    }

    /// Journals a portal action.
    pub fn portal_journal(
        &self,
        login: &str,
        action: &str,
        detail: &str,
        now: i64,
    ) -> Result<(), PortalError> {
        self.db().execute(
            "INSERT INTO portal_journal (at, login, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![now, login, action, detail],
        )?;
        Ok(())
    }

    /// The portal's journal, newest first: (time, login, action, detail).
    pub fn portal_journal_rows(
        &self,
        limit: u32,
    ) -> Result<Vec<(i64, String, String, String)>, PortalError> {
        Ok(self
            .db()
            .prepare(
                "SELECT at, login, action, detail FROM portal_journal ORDER BY id DESC LIMIT ?1",
            )?
            .query_map([limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?)
    }

    // ---- training organisations ----

    /// A training organisation on the list.
    pub fn oo(&self, bin: &str) -> Result<Option<Oo>, PortalError> {
        Ok(self
            .db()
            .query_row(
                "SELECT bin, name, status, reason, changed FROM oos WHERE bin = ?1",
                [bin],
                oo_of,
            )
            .optional()?)
    }

    /// Every training organisation on the list, by name.
    pub fn oos(&self) -> Result<Vec<Oo>, PortalError> {
        Ok(self
            .db()
            .prepare("SELECT bin, name, status, reason, changed FROM oos ORDER BY name, bin")?
            .query_map((), oo_of)?
            .collect::<Result<_, _>>()?)
    }

    /// Adds a training organisation to the list (active), by `by`.
    pub fn oo_add(&self, by: &Account, bin: &str, name: &str, now: i64) -> Result<(), PortalError> {
        if !by.may(Role::Registrar) {
            return Err(PortalError::Forbidden);
        }
        let bin = Bin::parse(bin.trim()).map_err(|_| PortalError::Invalid {
            field: "portal-field-bin",
        })?;
        let name = sheet::clean_text(name, 200).ok_or(PortalError::Invalid {
            field: "portal-field-oo-name",
        })?;
        self.db().execute(
            "INSERT INTO oos (bin, name, status, reason, changed) VALUES (?1, ?2, 'active', '', ?3)
             ON CONFLICT (bin) DO UPDATE SET name = excluded.name",
            params![bin.as_str(), name, now],
        )?;
        self.portal_journal(
            &by.login,
            "oo-add",
            &format!("{} {name}", bin.as_str()),
            now,
        )
    }

    /// Suspends, excludes or reinstates a training organisation, with the reason.
    pub fn oo_set_status(
        &self,
        by: &Account,
        bin: &str,
        status: OoStatus,
        reason: &str,
        now: i64,
    ) -> Result<(), PortalError> {
        if !by.may(Role::Registrar) {
            return Err(PortalError::Forbidden);
        }
        let reason = reason.trim();
        if status != OoStatus::Active && sheet::clean_text(reason, 500).is_none() {
            return Err(PortalError::Invalid {
                field: "portal-field-reason",
            });
        }
        let n = self.db().execute(
            "UPDATE oos SET status = ?2, reason = ?3, changed = ?4 WHERE bin = ?1",
            params![bin, status.as_str(), reason, now],
        )?;
        if n == 0 {
            return Err(PortalError::OoUnknown { bin: bin.into() });
        }
        self.portal_journal(
            &by.login,
            &format!("oo-{}", status.as_str()),
            &format!("{bin} {reason}"),
            now,
        )
    }

    // ---- learners ----

    /// The categories of the newest bank in force (what an ОО registers for).
    pub fn categories(&self) -> Result<Vec<CategoryChoice>, PortalError> {
        let newest: Option<(String, i64)> = self
            .db()
            .query_row(
                "SELECT series, version FROM banks WHERE revoked IS NULL
                 ORDER BY published DESC, version DESC LIMIT 1",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((series, version)) = newest else {
            return Ok(Vec::new());
        };
        let Some(bank) = self.bank(&series, version as u64)? else {
            return Ok(Vec::new());
        };
        Ok(bank
            .profile
            .categories
            .iter()
            .map(|c| CategoryChoice {
                id: c.id.as_str().to_owned(),
                kk: c.name.kk.clone(),
                ru: c.name.ru.clone(),
            })
            .collect())
    }

    /// Branches: (code, name).
    pub fn branch_list(&self) -> Result<Vec<(String, String)>, PortalError> {
        Ok(self
            .db()
            .prepare("SELECT code, name FROM branches ORDER BY code")?
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?)
    }

    /// Registers `rows` for `batch` on behalf of `by`'s training organisation, all or nothing:
    /// returns how many. A learner who failed this category before is registered for a retake.
    pub fn register_learners(
        &self,
        by: &Account,
        batch: &Batch,
        rows: &[LearnerRow],
        now: i64,
    ) -> Result<usize, PortalError> {
        let bin = match (&by.role, &by.oo_bin) {
            (Role::Oo, Some(bin)) => bin.clone(),
            _ => return Err(PortalError::Forbidden),
        };
        let oo = self
            .oo(&bin)?
            .ok_or_else(|| PortalError::OoUnknown { bin: bin.clone() })?;
        if oo.status != OoStatus::Active {
            return Err(PortalError::OoNotActive {
                bin,
                status: oo.status.as_str().into(),
                reason: oo.reason,
            });
        }
        let category =
            CategoryId::new(batch.category.clone()).map_err(|_| PortalError::Invalid {
                field: "portal-field-category",
            })?;
        if !self.categories()?.iter().any(|c| c.id == batch.category) {
            return Err(PortalError::Invalid {
                field: "portal-field-category",
            });
        }
        if !self
            .branch_list()?
            .iter()
            .any(|(code, _)| *code == batch.branch)
        {
            return Err(PortalError::Invalid {
                field: "portal-field-branch",
            });
        }
        let today = crate::local_date(now * 1000);
        if batch.to < batch.from || batch.to < today {
            return Err(PortalError::Invalid {
                field: "portal-field-window",
            });
        }
        if rows.is_empty() {
            return Err(PortalError::Invalid {
                field: "portal-field-learners",
            });
        }
        let bin_id = Bin::parse(&bin).map_err(|_| PortalError::Invalid {
            field: "portal-field-bin",
        })?;
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let mut refused = Vec::new();
        let mut entries = Vec::new();
        for row in rows {
            let open: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM roster r WHERE r.iin = ?1 AND r.category = ?2
                       AND r.allowed_to >= ?3
                       AND NOT EXISTS (SELECT 1 FROM results x WHERE x.iin = r.iin
                           AND x.category = r.category AND x.roster_attempt = r.attempt)",
                    params![row.iin.as_str(), batch.category, today.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if open.is_some() {
                refused.push(RowError {
                    row: row.row,
                    code: Code::new("portal-row-already-registered"),
                });
                continue;
            }
            let failed: i64 = tx.query_row(
                "SELECT count(*) FROM results WHERE iin = ?1 AND category = ?2 AND passed = 0",
                params![row.iin.as_str(), batch.category],
                |r| r.get(0),
            )?;
            entries.push((
                row,
                NewRosterEntry {
                    branch: batch.branch.clone(),
                    iin: row.iin.clone(),
                    name: row.name.clone(),
                    category: category.clone(),
                    oo_bin: bin_id.clone(),
                    oo_name: oo.name.clone(),
                    attempt: if failed > 0 { 2 } else { 1 },
                    allowed_from: batch.from,
                    allowed_to: batch.to,
                },
            ));
        }
        if !refused.is_empty() {
            return Err(PortalError::Rows(refused));
        }
        for (row, e) in &entries {
            let id = Central::insert_roster(&tx, e)?;
            tx.execute(
                "UPDATE roster SET payment = ?2, registered_by = ?3, confirmed = 0 WHERE id = ?1",
                params![id, row.payment, by.login],
            )?;
        }
        tx.execute(
            "INSERT INTO portal_journal (at, login, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![
                now,
                by.login,
                "register",
                format!(
                    "{} × {} at {} {}..{}",
                    entries.len(),
                    batch.category,
                    batch.branch,
                    batch.from,
                    batch.to
                )
            ],
        )?;
        tx.commit()?;
        Ok(entries.len())
    }

    /// The learners of training organisation `bin`, newest registrations first.
    pub fn learners(&self, bin: &str, limit: u32) -> Result<Vec<Learner>, PortalError> {
        let conn = self.db();
        let rows = conn
            .prepare(
                "SELECT r.id, r.iin, r.name, r.category, r.branch, r.allowed_from, r.allowed_to,
                    r.payment,
                    (SELECT x.state FROM results x WHERE x.iin = r.iin AND x.category = r.category
                        AND x.roster_attempt = r.attempt ORDER BY x.finished DESC LIMIT 1),
                    (SELECT x.finished FROM results x WHERE x.iin = r.iin
                        AND x.category = r.category AND x.roster_attempt = r.attempt
                        ORDER BY x.finished DESC LIMIT 1),
                    (SELECT c.number FROM certificates c JOIN results x ON x.attempt = c.attempt
                        WHERE x.iin = r.iin AND x.category = r.category
                        AND x.roster_attempt = r.attempt AND c.status = 'valid' LIMIT 1),
                    r.confirmed
                 FROM roster r WHERE r.oo_bin = ?1 ORDER BY r.id DESC LIMIT ?2",
            )?
            .query_map(params![bin, limit], |r| {
                let iin: String = r.get(1)?;
                let state: Option<String> = r.get(8)?;
                let finished: Option<i64> = r.get(9)?;
                let confirmed: bool = r.get(11)?;
                let state = match state.as_deref() {
                    None if !confirmed => LearnerState::AwaitingConfirmation,
                    None => LearnerState::Registered,
                    Some("certified") => LearnerState::Passed,
                    Some("failed") => LearnerState::Failed,
                    Some("rejected") => LearnerState::Rejected,
                    Some(_) => LearnerState::InReview,
                };
                Ok(Learner {
                    id: r.get(0)?,
                    iin_masked: mask_iin(&iin),
                    name: r.get(2)?,
                    category: r.get(3)?,
                    branch: r.get(4)?,
                    window: (r.get(5)?, r.get(6)?),
                    payment: r.get(7)?,
                    state,
                    retake_until: (state == LearnerState::Failed)
                        .then(|| finished.map(|ms| month_after(crate::local_date(ms)).to_string()))
                        .flatten(),
                    certificate: r.get(10)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Registrations waiting for ЕУМЦ's confirmation, oldest first.
    pub fn pending_registrations(&self, limit: u32) -> Result<Vec<Pending>, PortalError> {
        Ok(self
            .db()
            .prepare(
                "SELECT r.id, r.oo_bin, r.oo_name, r.name, r.iin, r.category, r.branch,
                        r.allowed_from, r.allowed_to, r.payment, r.registered_by
                 FROM roster r WHERE r.confirmed = 0 ORDER BY r.id LIMIT ?1",
            )?
            .query_map([limit], |r| {
                let iin: String = r.get(4)?;
                Ok(Pending {
                    id: r.get(0)?,
                    oo_bin: r.get(1)?,
                    oo_name: r.get(2)?,
                    name: r.get(3)?,
                    iin_masked: mask_iin(&iin),
                    category: r.get(5)?,
                    branch: r.get(6)?,
                    window: (r.get(7)?, r.get(8)?),
                    payment: r.get(9)?,
                    registered_by: r.get(10)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    /// Confirms registrations `ids` (payment checked): kiosks of their branches get them at
    /// their next pull. Returns how many were waiting.
    pub fn confirm_registrations(
        &self,
        by: &Account,
        ids: &[i64],
        now: i64,
    ) -> Result<usize, PortalError> {
        if !by.may(Role::Registrar) {
            return Err(PortalError::Forbidden);
        }
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let mut done = 0;
        for id in ids {
            let rev = crate::db::next(&tx, "rev")?;
            done += tx.execute(
                "UPDATE roster SET confirmed = 1, rev = ?2 WHERE id = ?1 AND confirmed = 0",
                params![id, rev],
            )?;
        }
        tx.execute(
            "INSERT INTO portal_journal (at, login, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![
                now,
                by.login,
                "registrations-confirm",
                format!("{done}: {ids:?}")
            ],
        )?;
        tx.commit()?;
        Ok(done)
    }

    /// Refuses registrations `ids` that wait for confirmation (no payment, say), with the
    /// reason: they are removed, and the ОО no longer sees them.
    pub fn refuse_registrations(
        &self,
        by: &Account,
        ids: &[i64],
        reason: &str,
        now: i64,
    ) -> Result<usize, PortalError> {
        if !by.may(Role::Registrar) {
            return Err(PortalError::Forbidden);
        }
        let reason = sheet::clean_text(reason, 500).ok_or(PortalError::Invalid {
            field: "portal-field-reason",
        })?;
        let mut conn = self.db();
        let tx = conn.transaction()?;
        let mut done = 0;
        for id in ids {
            done += tx.execute("DELETE FROM roster WHERE id = ?1 AND confirmed = 0", [id])?;
        }
        tx.execute(
            "INSERT INTO portal_journal (at, login, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![
                now,
                by.login,
                "registrations-refuse",
                format!("{done}: {ids:?} {reason}")
            ],
        )?;
        tx.commit()?;
        Ok(done)
    }

    /// Whether certificate `number` belongs to one of `bin`'s learners.
    pub fn certificate_of_oo(&self, number: &str, bin: &str) -> Result<bool, PortalError> {
        Ok(self
            .db()
            .query_row(
                "SELECT 1 FROM certificates c JOIN results x ON x.attempt = c.attempt
                 WHERE c.number = ?1 AND x.oo_bin = ?2",
                params![number, bin],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .is_some())
    }
}

fn oo_of(r: &crate::sql::Row) -> crate::sql::Result<Oo> {
    let status: String = r.get(2)?;
    Ok(Oo {
        bin: r.get(0)?,
        name: r.get(1)?,
        status: OoStatus::parse(&status).unwrap_or(OoStatus::Suspended),
        reason: r.get(3)?,
        changed: r.get(4)?,
    })
}
