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

    /// Ends the session of `token` (any role). A proctor leaving ends their visit: the
    /// clock it stopped runs again.
    pub fn logout(&mut self, token: &str) {
        let proctor = matches!(self.role(token), Some(Role::Proctor(_)));
        self.sessions.retain(|s| s.token != token);
        if proctor {
            self.end_visit();
        }
    }

    /// A proctor's session opens over a running exam: its clock stops until they leave.
    fn begin_visit(&mut self, proctor: &str) {
        if let Ok(engine) = self.engine.as_mut() {
            if let Err(e) = engine.visit_begins(proctor) {
                eprintln!("synaq-kiosk: a proctor's visit: {}", e.code());
            }
        }
    }

    fn end_visit(&mut self) {
        if let Ok(engine) = self.engine.as_mut() {
            if let Err(e) = engine.visit_ends() {
                eprintln!("synaq-kiosk: the end of a proctor's visit: {}", e.code());
            }
        }
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
        if let Role::Proctor(id) = &role {
            self.begin_visit(id);
        }
        let token = self.open_session(role);
        Ok(Session {
            token,
            name: member.name,
        })
    }
}
