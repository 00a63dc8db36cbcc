//! Sessions and roles: the first start, logins, and the role check every command makes first.

use super::*;

impl Station {
    pub(super) fn role(&self, token: &str) -> Option<&Role> {
        self.sessions
            .iter()
            .find(|s| s.token == token)
            .map(|s| &s.role)
    }

    pub(super) fn require_examinee(&self, token: &str) -> R<()> {
        match self.role(token) {
            Some(Role::Examinee) => Ok(()),
            _ => err(Refusal::Forbidden),
        }
    }

    pub(super) fn require_proctor(&self, token: &str) -> R<String> {
        match self.role(token) {
            Some(Role::Proctor(id)) => Ok(id.clone()),
            _ => err(Refusal::Forbidden),
        }
    }

    pub(super) fn require_admin(&self, token: &str) -> R<String> {
        match self.role(token) {
            Some(Role::Admin(id)) => Ok(id.clone()),
            _ => err(Refusal::Forbidden),
        }
    }

    pub(super) fn open_session(&mut self, role: Role) -> String {
        // One session per role at a time: a new login ends the previous one.
        let same = |r: &Role| std::mem::discriminant(r) == std::mem::discriminant(&role);
        self.sessions.retain(|s| !same(&s.role));
        let token = random_token();
        self.sessions.push(SessionEntry {
            token: token.clone(),
            role,
        });
        token
    }

    /// Ends the session of `token` (any role).
    pub fn logout(&mut self, token: &str) {
        self.sessions.retain(|s| s.token != token);
    }

    /// First start only: the kiosk's name and the first admin. (The branch comes with the
    /// enrollment ЕУМЦ signs, never from a field typed here.)
    pub fn first_run_setup(
        &mut self,
        kiosk_name: &str,
        admin_id: &str,
        admin_name: &str,
        password: &str,
        now: i64,
    ) -> R<Session> {
        let engine = self.engine()?;
        if engine.staff().any()? {
            return err(Refusal::Forbidden);
        }
        if kiosk_name.trim().is_empty() {
            return err(Refusal::MissingField);
        }
        engine
            .staff()
            .add(admin_id, admin_name, StaffRole::Admin, password, now)?;
        engine.settings().set("kiosk_name", kiosk_name.trim())?;
        engine.journal_staff_action(
            Kind::SetupDone,
            &serde_json::json!({ "by": admin_id.trim(), "kiosk": kiosk_name.trim() }),
        )?;
        let token = self.open_session(Role::Admin(admin_id.trim().to_owned()));
        Ok(Session {
            token,
            name: admin_name.trim().to_owned(),
        })
    }

    pub fn login(&mut self, role: StaffRoleView, id: &str, password: &str) -> R<Session> {
        let engine = self.engine()?;
        let r = match role {
            StaffRoleView::Admin => StaffRole::Admin,
            StaffRoleView::Proctor => StaffRole::Proctor,
        };
        let member = engine.staff().verify(id.trim(), password, r)?;
        let role = match r {
            StaffRole::Admin => Role::Admin(member.id.clone()),
            StaffRole::Proctor => Role::Proctor(member.id.clone()),
        };
        let token = self.open_session(role);
        Ok(Session {
            token,
            name: member.name,
        })
    }
}
