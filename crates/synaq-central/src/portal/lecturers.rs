//! Each training organisation's lecturers. A lecturer must hold a valid certificate of the
//! lecturers' category (the exam profile's category number 6): central finds it by the ИИН
//! the ОО gives, and takes the name from it. Whether it is still valid is decided each time
//! the list is shown (a certificate can expire or be revoked after).

use chrono::NaiveDate;
use synaq_core::{Code, Iin};

use super::{Account, PortalError, Role};
use crate::sql::{params, OptionalExtension as _};
use crate::Central;

/// The lecturers' category in the exam profile.
pub const LECTURER_CATEGORY_NUMBER: u32 = 6;

/// A lecturer on an ОО's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lecturer {
    /// Only the last four digits of the ИИН.
    pub iin_masked: String,
    /// Name, as on the certificate.
    pub name: String,
    /// The ОО's БИН.
    pub oo_bin: String,
    /// The ОО's name.
    pub oo_name: String,
    /// The certificate.
    pub certificate: String,
    /// Whether the certificate is valid today.
    pub valid: bool,
}

impl Central {
    /// The id of the lecturers' category in the newest bank.
    fn lecturer_category(&self) -> Result<Option<String>, PortalError> {
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
            return Ok(None);
        };
        Ok(self.bank(&series, version as u64)?.and_then(|b| {
            b.profile
                .categories
                .iter()
                .find(|c| c.number == LECTURER_CATEGORY_NUMBER)
                .map(|c| c.id.as_str().to_owned())
        }))
    }

    /// Puts the holder of ИИН `iin` on `by`'s training organisation's list of lecturers, if
    /// they hold a valid lecturers' certificate.
    pub fn lecturer_add(&self, by: &Account, iin: &str, now: i64) -> Result<Lecturer, PortalError> {
        let (Role::Oo, Some(bin)) = (by.role, by.oo_bin.clone()) else {
            return Err(PortalError::Forbidden);
        };
        let iin = Iin::parse(iin.trim()).map_err(|_| PortalError::Invalid {
            field: "portal-field-iin",
        })?;
        let category = self.lecturer_category()?.ok_or(PortalError::NotLecturer)?;
        let today = self.office_zone().date_of_secs(now).to_string();
        let found: Option<(String, String)> = self
            .db()
            .query_row(
                "SELECT number, name FROM certificates
                 WHERE iin = ?1 AND category = ?2 AND status = 'valid'
                   AND (valid_until IS NULL OR valid_until >= ?3)
                 ORDER BY issued DESC LIMIT 1",
                params![iin.as_str(), category, today],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (number, name) = found.ok_or(PortalError::NotLecturer)?;
        self.db().execute(
            "INSERT INTO lecturers (oo_bin, iin, name, certificate, added)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (oo_bin, iin) DO UPDATE SET name = excluded.name,
                certificate = excluded.certificate",
            params![bin, iin.as_str(), name, number, now],
        )?;
        self.portal_journal(&by.login, "lecturer-add", &format!("{number} {name}"), now)?;
        let oo_name = self.oo(&bin)?.map_or(bin.clone(), |o| o.name);
        Ok(Lecturer {
            iin_masked: super::mask_iin(&iin.as_str()),
            name,
            oo_bin: bin,
            oo_name,
            certificate: number,
            valid: true,
        })
    }

    /// Takes the lecturer with certificate `number` off `by`'s list.
    pub fn lecturer_remove(&self, by: &Account, number: &str, now: i64) -> Result<(), PortalError> {
        let (Role::Oo, Some(bin)) = (by.role, by.oo_bin.clone()) else {
            return Err(PortalError::Forbidden);
        };
        let n = self.db().execute(
            "DELETE FROM lecturers WHERE oo_bin = ?1 AND certificate = ?2",
            params![bin, number],
        )?;
        if n == 0 {
            return Err(PortalError::NotFound);
        }
        self.portal_journal(&by.login, "lecturer-remove", number, now)
    }

    /// Lecturers, of one training organisation or of all, by name; each certificate's
    /// validity as of `today`.
    pub fn lecturers(
        &self,
        bin: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<Lecturer>, PortalError> {
        let conn = self.db();
        let sql = "SELECT l.iin, l.name, l.oo_bin, coalesce(o.name, l.oo_bin), l.certificate,
                          c.status, c.valid_until
                   FROM lecturers l
                   LEFT JOIN oos o ON o.bin = l.oo_bin
                   LEFT JOIN certificates c ON c.number = l.certificate
                   WHERE CAST(?1 AS TEXT) IS NULL OR l.oo_bin = ?1
                   ORDER BY l.name, l.oo_bin";
        let today = today.to_string();
        let rows = conn
            .prepare(sql)?
            .query_map([bin], |r| {
                let iin: String = r.get(0)?;
                let status: Option<String> = r.get(5)?;
                let until: Option<String> = r.get(6)?;
                Ok(Lecturer {
                    iin_masked: super::mask_iin(&iin),
                    name: r.get(1)?,
                    oo_bin: r.get(2)?,
                    oo_name: r.get(3)?,
                    certificate: r.get(4)?,
                    valid: status.as_deref() == Some("valid") && until.is_none_or(|u| u >= today),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

/// The message when no valid lecturers' certificate is found.
pub fn not_lecturer() -> Code {
    Code::new("portal-error-not-lecturer")
}
