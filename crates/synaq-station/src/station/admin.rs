//! The branch admin: staff accounts, the journal, diagnostics, camera settings and leaving the
//! kiosk.

use super::*;

impl Station {
    pub fn staff(&mut self, token: &str) -> R<Vec<StaffView>> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        let list = engine.staff().list()?;
        // The branch's staff as ЕУМЦ last sent it: people still without a password here are
        // listed too, so the admin sees whom to set one for.
        let central: Vec<synaq_sync::proto::StaffMember> = engine
            .settings()
            .get(sync::CENTRAL_STAFF)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let role = |r: StaffRole| match r {
            StaffRole::Admin => StaffRoleView::Admin,
            StaffRole::Proctor => StaffRoleView::Proctor,
        };
        let mut out: Vec<StaffView> = list
            .iter()
            .map(|m| StaffView {
                id: m.id.clone(),
                name: m.name.clone(),
                role: role(m.role),
                disabled: m.disabled,
                on_kiosk: true,
                from_central: central.iter().any(|c| c.id == m.id),
            })
            .collect();
        for c in central
            .into_iter()
            .filter(|c| c.active && !list.iter().any(|m| m.id == c.id))
        {
            out.push(StaffView {
                id: c.id,
                name: c.name,
                role: if c.role == "admin" {
                    StaffRoleView::Admin
                } else {
                    StaffRoleView::Proctor
                },
                disabled: false,
                on_kiosk: false,
                from_central: true,
            });
        }
        Ok(out)
    }

    pub fn add_proctor(
        &mut self,
        token: &str,
        id: &str,
        name: &str,
        password: &str,
        now: i64,
    ) -> R<()> {
        let me = self.require_admin(token)?;
        self.engine()?
            .staff()
            .add(id, name, StaffRole::Proctor, password, now)?;
        self.journal_staff(
            Kind::StaffAdded,
            serde_json::json!({ "by": me, "id": id.trim(), "name": name.trim(), "role": "proctor" }),
        )
    }

    pub fn set_disabled(&mut self, token: &str, id: &str, disabled: bool) -> R<()> {
        let me = self.require_admin(token)?;
        if me == id {
            return err(Refusal::SelfAccount);
        }
        self.engine()?.staff().set_disabled(id, disabled)?;
        let kind = if disabled {
            Kind::StaffDisabled
        } else {
            Kind::StaffEnabled
        };
        self.journal_staff(kind, serde_json::json!({ "by": me, "id": id }))
    }

    /// A proctor forgot their password: the admin sets a new one (admins' own accounts are
    /// not reset from here).
    pub fn reset_password(&mut self, token: &str, id: &str, password: &str) -> R<()> {
        let me = self.require_admin(token)?;
        let member = self
            .engine()?
            .staff()
            .get(id.trim())?
            .ok_or(Code::new("staff-unknown"))?;
        if member.role != StaffRole::Proctor {
            return err(Refusal::ResetProctorsOnly);
        }
        self.engine()?.staff().set_password(&member.id, password)?;
        self.journal_staff(
            Kind::PasswordReset,
            serde_json::json!({ "by": me, "id": member.id }),
        )
    }

    pub fn journal(&mut self, token: &str, kind: Option<String>, limit: u32) -> R<Vec<JournalRow>> {
        self.require_admin(token)?;
        let zone = self.zone;
        let rows = self
            .engine()?
            .journal_rows(kind.as_deref(), limit.min(1000))?;
        Ok(rows
            .into_iter()
            .map(|r| JournalRow {
                seq: r.seq as u32,
                at_wall_ms: r.at_wall as f64,
                at: office_seconds(zone, r.at_wall),
                attempt: r.attempt,
                kind: r.kind,
                data: r.data,
            })
            .collect())
    }

    /// Writes the whole audit journal as CSV into `dir` (removable media); returns the file.
    pub fn export_journal(&mut self, token: &str, dir: &str, now_ms: i64) -> R<String> {
        let me = self.require_admin(token)?;
        let zone = self.zone;
        let engine = self.engine()?;
        let rows = engine.journal_rows(None, u32::MAX)?;
        let kiosk = engine.kiosk_id();
        let mut csv = csv::Writer::from_writer(Vec::new());
        let written = csv
            .write_record(["seq", "time_local", "time_utc", "attempt", "kind", "data"])
            .and_then(|()| {
                rows.iter().rev().try_for_each(|r| {
                    let utc = chrono::DateTime::from_timestamp_millis(r.at_wall)
                        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default();
                    let local = office_seconds(zone, r.at_wall);
                    csv.write_record([
                        &r.seq.to_string(),
                        &local,
                        &utc,
                        &r.attempt,
                        &r.kind,
                        &r.data,
                    ])
                })
            });
        // A name people can read and sort: the office's date and time, then the kiosk.
        let stamp = zone.datetime_of_ms(now_ms).format("%Y-%m-%d_%H-%M");
        let path = Path::new(dir.trim()).join(format!("synaq-journal-{stamp}-{kiosk}.csv"));
        let bytes = written
            .map_err(std::io::Error::from)
            .and_then(|()| csv.into_inner().map_err(|e| e.into_error()));
        bytes
            .and_then(|b| synaq_seal::fs::write_atomic(&path, &b))
            .map_err(|e| {
                eprintln!("synaq-kiosk: export {}: {e}", path.display());
                Code::from(Refusal::ExportFailed)
            })?;
        let file = path.display().to_string();
        self.journal_staff(
            Kind::Exported,
            serde_json::json!({ "by": me, "what": "journal", "file": file }),
        )?;
        Ok(file)
    }

    /// Free disk, bank and roster validity, camera, clock.
    pub fn diagnostics(&mut self, token: &str, now_ms: i64) -> R<Diagnostics> {
        self.require_admin(token)?;
        let free = self.free_disk_mb();
        let disk_low = free < self.camera.disk_low_mb;
        let camera = std::fs::read_dir("/dev")
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().starts_with("video"))
            })
            .unwrap_or(false);
        let roster = self.roster.as_ref().ok().map(|r| r.summary());
        let engine = self.engine()?;
        let kiosk_id = engine.kiosk_id();
        let last_journal = engine.journal_rows(None, 1)?.first().map(|r| r.at_wall);
        let bank_label = self.bank_label.clone();
        let within_bank = bank_label
            .as_ref()
            .is_none_or(|(_, until)| now_ms / 1000 <= *until);
        let after_journal = last_journal.is_none_or(|at| now_ms + 60_000 >= at);
        Ok(Diagnostics {
            kiosk_id,
            free_disk_mb: u32::try_from(free).unwrap_or(u32::MAX),
            disk_low,
            bank: bank_label.as_ref().map(|(l, _)| l.clone()),
            bank_valid_until: bank_label.map(|(_, until)| office_date(self.zone, until * 1000)),
            roster: roster
                .as_ref()
                .map(|(b, v, n, _)| format!("{b} v{v} ({n})")),
            roster_valid_until: roster.map(|(_, _, _, until)| office_date(self.zone, until * 1000)),
            camera: if camera {
                CameraPresence::Present
            } else {
                CameraPresence::Absent
            },
            wall_clock: format!("{} ({})", office_seconds(self.zone, now_ms), self.zone),
            clock_ok: within_bank && after_journal,
        })
    }

    /// Camera and capture interval, with the limits that apply.
    pub fn settings(&mut self, token: &str) -> R<SettingsView> {
        self.require_admin(token)?;
        let engine = self.engine()?;
        // Never longer than any category of the bank allows (the profile's default without one).
        let max = engine
            .bank()
            .map_or(synaq_core::profile::DEFAULT_CAPTURE_INTERVAL_SECS, |b| {
                b.profile.capture_interval_cap()
            });
        let settings = engine.settings();
        let interval = settings
            .get("capture_interval_secs")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(max)
            .min(max);
        let cameras = Self::cameras();
        let device = settings
            .get("camera_device")?
            .unwrap_or_else(|| cameras.first().cloned().unwrap_or_default());
        Ok(SettingsView {
            camera_device: device,
            cameras,
            capture_interval_secs: interval,
            max_interval_secs: max,
        })
    }

    /// Saves the camera and the capture interval (never longer than the profiles allow).
    pub fn save_settings(
        &mut self,
        token: &str,
        camera_device: &str,
        capture_interval_secs: u32,
    ) -> R<SettingsView> {
        let current = self.settings(token)?;
        if !(1..=current.max_interval_secs).contains(&capture_interval_secs) {
            return err(Refusal::IntervalOutOfRange);
        }
        let device = camera_device.trim();
        if !device.is_empty() && !current.cameras.iter().any(|c| c == device) {
            return err(Refusal::CameraUnknown);
        }
        let me = self.require_admin(token)?;
        let settings = self.engine()?.settings();
        settings.set("camera_device", device)?;
        settings.set("capture_interval_secs", &capture_interval_secs.to_string())?;
        self.journal_staff(
            Kind::SettingsSaved,
            serde_json::json!({ "by": me, "camera": device, "capture_interval_secs": capture_interval_secs }),
        )?;
        self.settings(token)
    }

    /// The admin allows the window to close (the only way out of the kiosk).
    pub fn allow_exit(&mut self, token: &str) -> R<()> {
        let me = self.require_admin(token)?;
        self.journal_staff(Kind::ExitAllowed, serde_json::json!({ "by": me }))?;
        self.allow_exit = true;
        Ok(())
    }

    /// The admin shuts the kiosk down (after confirming on screen): journalled, then the
    /// window may close; the caller closes it. Refused while an exam is open, so nobody's
    /// exam ends by accident.
    pub fn shut_down(&mut self, token: &str) -> R<()> {
        self.require_admin(token)?;
        if self.exam_open() {
            return err(Refusal::ShutDownExamOpen);
        }
        self.allow_exit(token)
    }

    /// The removable drives mounted now and the Synaq files on each.
    pub fn drives(&mut self, token: &str) -> R<Vec<DriveView>> {
        self.require_admin(token)?;
        let zone = self.zone;
        Ok(crate::drives::mounted()
            .into_iter()
            .map(|d| DriveView {
                files: crate::drives::files_on(&d.path)
                    .into_iter()
                    .map(|f| DriveFileView {
                        path: f.path.display().to_string(),
                        name: f.name,
                        kind: f.kind.into(),
                        size_kb: u32::try_from(f.bytes.div_ceil(1024)).unwrap_or(u32::MAX),
                        modified: office_time(zone, f.modified_ms),
                    })
                    .collect(),
                path: d.path.display().to_string(),
                label: d.label,
            })
            .collect())
    }

    pub fn exit_allowed(&self) -> bool {
        self.allow_exit
    }
}
