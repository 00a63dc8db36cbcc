//! The registrar's branches: their kiosks (enrollment codes, revocation), their staff and
//! proctors, and ЕУМЦ's question banks (publish, revoke). Each action goes through the same
//! [`Central`] calls as `synaq-central admin …` and is journalled with the account.

use super::{Account, PortalError, Role};
use crate::Central;

/// A kiosk of a branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskView {
    /// Its id.
    pub id: String,
    /// Unix seconds of its enrollment.
    pub enrolled: i64,
    /// Whether ЕУМЦ revoked it.
    pub revoked: bool,
}

/// A person of a branch's staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffView {
    /// Their id (what they sign in to the kiosk with).
    pub id: String,
    /// Their name.
    pub name: String,
    /// `admin` or `proctor`.
    pub role: String,
    /// Whether they are active.
    pub active: bool,
}

/// A branch with its kiosks and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchView {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its kiosks.
    pub kiosks: Vec<KioskView>,
    /// Its staff.
    pub staff: Vec<StaffView>,
}

/// A person of a branch's staff as the registrar's form gives them.
#[derive(Debug, Clone, Copy)]
pub struct StaffForm<'a> {
    /// The branch.
    pub branch: &'a str,
    /// Their id.
    pub id: &'a str,
    /// Their name.
    pub name: &'a str,
    /// `admin` or `proctor`.
    pub role: &'a str,
    /// Whether they are active.
    pub active: bool,
}

/// A published question bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankView {
    /// Its series.
    pub series: String,
    /// Its version.
    pub version: i64,
    /// Unix seconds of publication.
    pub published: i64,
    /// Whether it was revoked.
    pub revoked: bool,
}

fn registrar(by: &Account) -> Result<(), PortalError> {
    if by.may(Role::Registrar) {
        Ok(())
    } else {
        Err(PortalError::Forbidden)
    }
}

impl Central {
    /// Every branch with its kiosks and staff.
    pub fn branches_overview(&self) -> Result<Vec<BranchView>, PortalError> {
        let conn = self.db();
        let mut branches: Vec<BranchView> = conn
            .prepare("SELECT code, name FROM branches ORDER BY code")?
            .query_map((), |r| {
                Ok(BranchView {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    kiosks: Vec::new(),
                    staff: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        for b in &mut branches {
            b.kiosks = conn
                .prepare(
                    "SELECT id, enrolled, revoked FROM kiosks WHERE branch = ?1 ORDER BY enrolled",
                )?
                .query_map([&b.code], |r| {
                    Ok(KioskView {
                        id: r.get(0)?,
                        enrolled: r.get(1)?,
                        revoked: r.get::<_, Option<i64>>(2)?.is_some(),
                    })
                })?
                .collect::<Result<_, _>>()?;
            b.staff = conn
                .prepare("SELECT id, name, role, active FROM staff WHERE branch = ?1 ORDER BY id")?
                .query_map([&b.code], |r| {
                    Ok(StaffView {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        role: r.get(2)?,
                        active: r.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(branches)
    }

    /// Adds (or renames) a branch.
    pub fn portal_add_branch(
        &self,
        by: &Account,
        code: &str,
        name: &str,
        now: i64,
    ) -> Result<(), PortalError> {
        registrar(by)?;
        let name = super::sheet::clean_text(name, 200).ok_or(PortalError::Invalid {
            field: "portal-field-branch-name",
        })?;
        self.add_branch(code.trim(), &name)
            .map_err(|_| PortalError::Invalid {
                field: "portal-field-branch-code",
            })?;
        self.portal_journal(
            &by.login,
            "branch-add",
            &format!("{} {name}", code.trim()),
            now,
        )
    }

    /// A one-time enrollment code for a kiosk of `branch` (shown once).
    pub fn portal_enrollment_code(
        &self,
        by: &Account,
        branch: &str,
        now: i64,
    ) -> Result<String, PortalError> {
        registrar(by)?;
        let code = self
            .enrollment_code(branch)
            .map_err(|_| PortalError::Invalid {
                field: "portal-field-branch",
            })?;
        // The code itself is never journalled: only that one was made.
        self.portal_journal(&by.login, "enroll-code", branch, now)?;
        Ok(code)
    }

    /// Revokes a kiosk: it is refused from its next request on.
    pub fn portal_revoke_kiosk(
        &self,
        by: &Account,
        kiosk: &str,
        now: i64,
    ) -> Result<(), PortalError> {
        registrar(by)?;
        self.revoke_kiosk(kiosk)
            .map_err(|_| PortalError::NotFound)?;
        self.portal_journal(&by.login, "kiosk-revoke", kiosk, now)
    }

    /// Adds or changes a person of a branch's staff.
    pub fn portal_set_staff(
        &self,
        by: &Account,
        staff: &StaffForm<'_>,
        now: i64,
    ) -> Result<(), PortalError> {
        registrar(by)?;
        let StaffForm {
            branch,
            id,
            name,
            role,
            active,
        } = *staff;
        let id = id.trim();
        if id.is_empty()
            || id.len() > 64
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Err(PortalError::Invalid {
                field: "portal-field-staff-id",
            });
        }
        let name = super::sheet::clean_text(name, 200).ok_or(PortalError::Invalid {
            field: "portal-field-name",
        })?;
        self.set_staff(branch, id, &name, role, active)
            .map_err(|_| PortalError::Invalid {
                field: "portal-field-role",
            })?;
        self.portal_journal(
            &by.login,
            "staff-set",
            &format!(
                "{branch} {id} {role} {}",
                if active { "active" } else { "inactive" }
            ),
            now,
        )
    }

    /// Published banks, newest first.
    pub fn banks_overview(&self) -> Result<Vec<BankView>, PortalError> {
        Ok(self
            .db()
            .prepare(
                "SELECT series, version, published, revoked FROM banks
                 ORDER BY published DESC, series, version DESC",
            )?
            .query_map((), |r| {
                Ok(BankView {
                    series: r.get(0)?,
                    version: r.get(1)?,
                    published: r.get(2)?,
                    revoked: r.get::<_, Option<i64>>(3)?.is_some(),
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    /// Publishes a signed bank file (central checks its signature and opens it first).
    pub fn portal_publish_bank(
        &self,
        by: &Account,
        bytes: &[u8],
        now: i64,
    ) -> Result<(String, u64), PortalError> {
        registrar(by)?;
        let (series, version) = self.publish_bank(bytes).map_err(|_| PortalError::BadBank)?;
        self.portal_journal(
            &by.login,
            "bank-publish",
            &format!("{series} v{version}"),
            now,
        )?;
        Ok((series, version))
    }

    /// Revokes a bank: results made with it are refused.
    pub fn portal_revoke_bank(
        &self,
        by: &Account,
        series: &str,
        version: u64,
        now: i64,
    ) -> Result<(), PortalError> {
        registrar(by)?;
        self.revoke_bank(series, version)
            .map_err(|_| PortalError::NotFound)?;
        self.portal_journal(
            &by.login,
            "bank-revoke",
            &format!("{series} v{version}"),
            now,
        )
    }
}
