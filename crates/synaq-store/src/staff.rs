//! Branch staff: admins and proctors, with argon2id password hashes. The first admin is made
//! at first start; admins manage proctor accounts. Passwords never leave this module.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::Argon2;
use ring::rand::{SecureRandom, SystemRandom};
use rusqlite::{params, Connection, OptionalExtension as _};

use crate::engine::StoreError;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    Admin,
    Proctor,
}

impl StaffRole {
    fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Proctor => "proctor",
        }
    }
}

/// A staff account as lists show it (no hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: StaffRole,
    pub disabled: bool,
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;

/// Every code a staff operation refuses with ([`StoreError::Staff`]).
pub const CODES: [&str; 5] = [
    "staff-missing-field",
    "staff-weak-password",
    "staff-exists",
    "staff-login-failed",
    "staff-unknown",
];

fn hash(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| StoreError::Db("the system random generator failed".into()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Db(e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| StoreError::Db(e.to_string()))?
        .to_string())
}

/// Whether any staff account exists (no: the kiosk is at first start).
pub fn any(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM staff)", [], |r| r.get(0))?)
}

/// Adds an account. Ids are unique; passwords have at least [`MIN_PASSWORD`] characters.
pub fn add(
    conn: &Connection,
    id: &str,
    name: &str,
    role: StaffRole,
    password: &str,
    now: i64,
) -> Result<(), StoreError> {
    if id.trim().is_empty() || name.trim().is_empty() {
        return Err(StoreError::Staff("staff-missing-field"));
    }
    if password.chars().count() < MIN_PASSWORD {
        return Err(StoreError::Staff("staff-weak-password"));
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if exists {
        return Err(StoreError::Staff("staff-exists"));
    }
    conn.execute(
        "INSERT INTO staff (id, name, role, password_hash, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.trim(), name.trim(), role.as_str(), hash(password)?, now],
    )?;
    Ok(())
}

/// Checks a login; the same answer for an unknown id, a wrong password and a disabled account.
pub fn verify(
    conn: &Connection,
    id: &str,
    password: &str,
    role: StaffRole,
) -> Result<StaffMember, StoreError> {
    let row = conn
        .query_row(
            "SELECT name, password_hash, disabled FROM staff WHERE id = ?1 AND role = ?2",
            params![id, role.as_str()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                ))
            },
        )
        .optional()?;
    let refused = StoreError::Staff("staff-login-failed");
    let Some((name, stored, disabled)) = row else {
        // Spend the same time as a real check, so ids cannot be probed by timing.
        let _ = hash(password);
        return Err(refused);
    };
    let parsed = PasswordHash::new(&stored).map_err(|e| StoreError::Db(e.to_string()))?;
    if Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
        || disabled
    {
        return Err(refused);
    }
    Ok(StaffMember {
        id: id.to_owned(),
        name,
        role,
        disabled,
    })
}

/// Every account, admins first.
pub fn list(conn: &Connection) -> Result<Vec<StaffMember>, StoreError> {
    let mut stmt = conn.prepare("SELECT id, name, role, disabled FROM staff ORDER BY role, id")?;
    let rows = stmt.query_map([], |r| {
        Ok(StaffMember {
            id: r.get(0)?,
            name: r.get(1)?,
            role: if r.get::<_, String>(2)? == "admin" {
                StaffRole::Admin
            } else {
                StaffRole::Proctor
            },
            disabled: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a new password for an account (an admin resets a proctor's forgotten one).
pub fn set_password(conn: &Connection, id: &str, password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(StoreError::Staff("staff-weak-password"));
    }
    let n = conn.execute(
        "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
        params![id, hash(password)?],
    )?;
    if n == 0 {
        return Err(StoreError::Staff("staff-unknown"));
    }
    Ok(())
}

/// The account `id`, if there is one.
pub fn get(conn: &Connection, id: &str) -> Result<Option<StaffMember>, StoreError> {
    Ok(list(conn)?.into_iter().find(|m| m.id == id))
}

/// Disables or re-enables an account.
pub fn set_disabled(conn: &Connection, id: &str, disabled: bool) -> Result<(), StoreError> {
    let n = conn.execute(
        "UPDATE staff SET disabled = ?2 WHERE id = ?1",
        params![id, disabled],
    )?;
    if n == 0 {
        return Err(StoreError::Staff("staff-unknown"));
    }
    Ok(())
}

/// A kiosk setting (kiosk name, branch, …).
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The branch's staff accounts in a store (no bank needed): [`crate::Engine::staff`].
#[derive(Debug, Clone, Copy)]
pub struct Staff<'a>(pub(crate) &'a Connection);

impl Staff<'_> {
    /// Whether any account exists (none: the kiosk's first start).
    pub fn any(self) -> Result<bool, StoreError> {
        any(self.0)
    }

    /// [`add`].
    pub fn add(
        self,
        id: &str,
        name: &str,
        role: StaffRole,
        password: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        add(self.0, id, name, role, password, now)
    }

    /// [`verify`].
    pub fn verify(
        self,
        id: &str,
        password: &str,
        role: StaffRole,
    ) -> Result<StaffMember, StoreError> {
        verify(self.0, id, password, role)
    }

    /// [`list`].
    pub fn list(self) -> Result<Vec<StaffMember>, StoreError> {
        list(self.0)
    }

    /// [`set_password`].
    pub fn set_password(self, id: &str, password: &str) -> Result<(), StoreError> {
        set_password(self.0, id, password)
    }

    /// [`get`].
    pub fn get(self, id: &str) -> Result<Option<StaffMember>, StoreError> {
        get(self.0, id)
    }

    /// [`set_disabled`].
    pub fn set_disabled(self, id: &str, disabled: bool) -> Result<(), StoreError> {
        set_disabled(self.0, id, disabled)
    }
}

/// The kiosk's settings in a store (no bank needed): [`crate::Engine::settings`].
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a>(pub(crate) &'a Connection);

impl Settings<'_> {
    /// A setting's value, if set.
    pub fn get(self, key: &str) -> Result<Option<String>, StoreError> {
        setting(self.0, key)
    }

    /// Sets a setting.
    pub fn set(self, key: &str, value: &str) -> Result<(), StoreError> {
        set_setting(self.0, key, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::open_db(&dir.path().join("k.sqlite3")).unwrap();
        (dir, conn)
    }

    #[test]
    fn accounts_log_in_with_their_role_only() {
        let (_d, c) = db();
        assert!(!any(&c).unwrap());
        add(
            &c,
            "admin",
            "Әлия Сейітова",
            StaffRole::Admin,
            "correct horse",
            0,
        )
        .unwrap();
        add(
            &c,
            "p1",
            "Иван Смирнов",
            StaffRole::Proctor,
            "battery staple",
            0,
        )
        .unwrap();
        assert!(any(&c).unwrap());
        assert_eq!(
            verify(&c, "p1", "battery staple", StaffRole::Proctor)
                .unwrap()
                .name,
            "Иван Смирнов"
        );
        for (id, pw, role) in [
            ("p1", "wrong password", StaffRole::Proctor),
            ("p1", "battery staple", StaffRole::Admin),
            ("nobody", "battery staple", StaffRole::Proctor),
        ] {
            let err = verify(&c, id, pw, role).unwrap_err();
            assert_eq!(err.code(), "staff-login-failed");
        }
        set_disabled(&c, "p1", true).unwrap();
        // A disabled account gets the same answer as a wrong password.
        assert_eq!(
            verify(&c, "p1", "battery staple", StaffRole::Proctor)
                .unwrap_err()
                .code(),
            "staff-login-failed"
        );
        let hashes: String = c
            .query_row("SELECT group_concat(password_hash) FROM staff", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(hashes.contains("$argon2id$") && !hashes.contains("battery"));
    }

    #[test]
    fn weak_passwords_and_duplicates_are_refused() {
        let (_d, c) = db();
        assert_eq!(
            add(&c, "a", "A", StaffRole::Admin, "short", 0)
                .unwrap_err()
                .code(),
            "staff-weak-password"
        );
        add(&c, "a", "A", StaffRole::Admin, "long enough", 0).unwrap();
        assert_eq!(
            add(&c, "a", "B", StaffRole::Proctor, "long enough", 0)
                .unwrap_err()
                .code(),
            "staff-exists"
        );
        set_setting(&c, "kiosk_name", "Алматы-1").unwrap();
        assert_eq!(
            setting(&c, "kiosk_name").unwrap().as_deref(),
            Some("Алматы-1")
        );
    }
}
