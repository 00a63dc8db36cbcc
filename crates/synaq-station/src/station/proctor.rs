//! The proctor: finds the examinee on the roster, admits them, and pauses, resumes, extends
//! or ends the exam with a reason from the incident list.

use super::*;

impl Station {
    pub(super) fn category(&mut self, id: &CategoryId) -> R<Category> {
        let engine = self.exam_engine()?;
        engine
            .bank()
            .ok_or(Refusal::BankMissing)?
            .profile
            .category(id)
            .cloned()
            .ok_or(Code::new("store-unknown-category"))
    }

    /// Looks an examinee up on today's roster. The ИИН is validated first, with the reason.
    pub fn find(
        &mut self,
        token: &str,
        iin: &str,
        today: chrono::NaiveDate,
    ) -> R<Vec<RosterMatch>> {
        self.require_proctor(token)?;
        let iin = Iin::parse(iin.trim()).map_err(|e| e.to_code())?;
        let roster = self.roster.as_ref().map_err(|e| e.clone())?;
        let entries: Vec<_> = roster.find(&iin, today);
        if entries.is_empty() {
            return err(Refusal::NotOnRoster);
        }
        let mut out = Vec::new();
        for e in entries {
            let cat = self.category(&e.category)?;
            out.push(RosterMatch {
                name: e.name,
                masked_iin: iin.masked(),
                category: cat.id.to_string(),
                category_number: cat.number,
                category_name: (&cat.name).into(),
                oo_name: e.oo_name,
                attempt: e.attempt,
            });
        }
        Ok(out)
    }

    /// Admits the examinee after the identity document was checked; returns their session.
    pub fn admit(
        &mut self,
        token: &str,
        iin: &str,
        category: &str,
        document_checked: bool,
        today: chrono::NaiveDate,
    ) -> R<Session> {
        let proctor = self.require_proctor(token)?;
        if let Some(why) = self.admission_blocked() {
            return Err(why);
        }
        if !document_checked {
            return err(Refusal::DocumentUnchecked);
        }
        let iin = Iin::parse(iin.trim()).map_err(|e| e.to_code())?;
        let entry = self
            .roster
            .as_ref()
            .map_err(|e| e.clone())?
            .find(&iin, today)
            .into_iter()
            .find(|e| e.category.as_str() == category)
            .ok_or(Code::from(Refusal::NotOnRoster))?;
        let cat = self.category(&entry.category)?.id;
        let engine = self.exam_engine()?;
        // The roster entry lists the questions of failed attempts at other kiosks.
        let attempt = engine
            .admit(synaq_store::Admission::new(&iin, &cat, &proctor).seen_elsewhere(&entry.seen))?;
        self.start_proctoring(&proctor, &attempt)?;
        self.examinee = Some(Examinee {
            name: entry.name.clone(),
            masked_iin: iin.masked(),
        });
        let token = self.open_session(Role::Examinee);
        Ok(Session {
            token,
            name: entry.name,
        })
    }

    pub fn attempt(&mut self, token: &str) -> R<Option<AttemptView>> {
        self.require_proctor(token)?;
        self.attempt_view()
    }

    pub(super) fn attempt_view(&mut self) -> R<Option<AttemptView>> {
        if self.engine()?.attempt_summary().is_none() {
            return Ok(None);
        }
        let examinee = self.examinee_for_attempt()?;
        let zone = self.zone;
        let engine = self.engine()?;
        let Ok(s) = engine.status() else {
            return Ok(None);
        };
        let (_, cat, _) = engine.attempt_summary().expect("status implies an attempt");
        let visit = engine.visit().is_some();
        Ok(Some(AttemptView {
            state: state_view(s.state),
            name: examinee.name,
            masked_iin: examinee.masked_iin,
            category_number: cat.number,
            remaining_ms: ms(s.remaining_ms),
            answered: s.answered as u32,
            total: s.total as u32,
            flags: self
                .camera
                .flags
                .iter()
                .map(|(kind, at)| CameraFlagView {
                    kind: kind.clone(),
                    at: zone.datetime_of_ms(*at).format("%H:%M:%S").to_string(),
                })
                .collect(),
            visit,
        }))
    }

    /// The examinee of the attempt on the kiosk (from memory, or the roster after a restart).
    pub(super) fn examinee_for_attempt(&mut self) -> R<Examinee> {
        if let Some(e) = &self.examinee {
            return Ok(e.clone());
        }
        let engine = self.engine()?;
        let (iin, _, _) = engine
            .attempt_summary()
            .ok_or(Code::new("store-no-attempt"))?;
        let iin = Iin::parse(&iin).map_err(|e| e.to_code())?;
        let name = self
            .roster
            .as_ref()
            .ok()
            .and_then(|r| r.name_of(&iin))
            .unwrap_or_else(|| iin.masked());
        let e = Examinee {
            name,
            masked_iin: iin.masked(),
        };
        self.examinee = Some(e.clone());
        Ok(e)
    }

    pub(super) fn check_reason(reason: &str) -> R<()> {
        if synaq_core::Incident::parse(reason).is_some_and(synaq_core::Incident::is_proctor_reason)
        {
            Ok(())
        } else {
            err(Refusal::ReasonRequired)
        }
    }

    pub fn pause(&mut self, token: &str, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        self.engine()?
            .pause(&proctor, &format!("{reason}: {note}"))?;
        Ok(())
    }

    /// Resumes a paused or interrupted exam; returns a fresh examinee session (after a
    /// restart the window has none). An exam not started yet only gets its examinee's screen
    /// back: nothing to resume, no reason needed, the clock waits for the start.
    pub fn resume(&mut self, token: &str, reason: &str, note: &str) -> R<Session> {
        let proctor = self.require_proctor(token)?;
        let state = self.engine()?.status()?.state;
        if state != State::Admitted {
            Self::check_reason(reason)?;
        }
        let restarted = state == State::Interrupted;
        let status = if state == State::Admitted {
            // Not started yet (a restart on the identity or rules screen): the examinee gets
            // their screens back; the clock still waits for their start.
            self.engine()?.status()?
        } else {
            self.engine()?
                .resume(&proctor, &format!("{reason}: {note}"))?
        };
        if (restarted || state == State::Admitted) && self.camera.proctor.is_none() {
            // After a restart: the camera again, in a new evidence segment.
            self.start_proctoring(&proctor, &status.attempt)?;
        }
        let name = self.examinee_for_attempt()?.name;
        let token = self.open_session(Role::Examinee);
        Ok(Session { token, name })
    }

    pub fn extend(&mut self, token: &str, minutes: u32, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        // How much time may be added is the engine's rule (`proctor-bad-minutes`).
        self.engine()?
            .extend(&proctor, minutes, &format!("{reason}: {note}"))?;
        Ok(())
    }

    pub fn end(&mut self, token: &str, reason: &str, note: &str) -> R<()> {
        let proctor = self.require_proctor(token)?;
        Self::check_reason(reason)?;
        self.seal_evidence();
        self.engine()?.end_for_violation(&proctor, reason, note)?;
        Ok(())
    }
}
